import { hasAnyRole, requireCaller, STAFF_ROLES, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { MembershipStatus } from '../domain/ladder';
import { MembershipRoleChangeEntity } from '../entities/membership-role-change.entity';
import { MembershipEntity } from '../entities/membership.entity';
import { MembershipRoleChangeType, MembershipType } from '../schema/membership.type';
import { UserRef } from '../schema/user-ref.type';
import { loadPromotionHistory, loadUserMemberships } from './loaders';

/** Adds this subgraph's view of a resident to identity's User. Only rows of the caller's own community are shown. */
@Resolver(() => UserRef)
export class UserMembershipsResolver {
  constructor(private readonly db: DataSource) {}

  @FieldResolver(() => [MembershipType], {
    description:
      'Memberships in the caller’s community, oldest first. The resident and community staff see every status; other residents only ACTIVE ones',
  })
  async memberships(
    @Root() user: UserRef,
    @Ctx() context: ServiceContext,
    @Arg('status', () => MembershipStatus, { nullable: true }) status?: MembershipStatus | null,
  ): Promise<MembershipEntity[]> {
    const caller = requireCaller(context);
    const seesAll = caller.userId === user.id || hasAnyRole(caller, STAFF_ROLES);
    if (!seesAll && status && status !== MembershipStatus.ACTIVE) return [];
    const wanted = status ?? (seesAll ? undefined : MembershipStatus.ACTIVE);
    return loadUserMemberships(this.db, context, user.id, caller.communityId, wanted);
  }

  @FieldResolver(() => [MembershipRoleChangeType], {
    description: 'Every step up the ladder, in any organization of the caller’s community, oldest first',
  })
  promotionHistory(@Root() user: UserRef, @Ctx() context: ServiceContext): Promise<MembershipRoleChangeEntity[]> {
    const caller = requireCaller(context);
    return loadPromotionHistory(this.db, context, user.id, caller.communityId);
  }
}
