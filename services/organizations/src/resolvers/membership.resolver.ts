import { requireCaller, requireUuid, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { MembershipService } from '../domain/membership.service';
import { canSeeAllMemberships } from '../domain/organization-policy';
import { MembershipRoleChangeEntity } from '../entities/membership-role-change.entity';
import type { MembershipEntity } from '../entities/membership.entity';
import { MembershipRoleChangeType, MembershipType } from '../schema/membership.type';
import { OrganizationType } from '../schema/organization.type';
import { userRef, UserRef } from '../schema/user-ref.type';
import { loadCallerMembership, loadOrganization, loadRoleHistory } from './loaders';

@Resolver(() => MembershipType)
export class MembershipResolver {
  constructor(
    private readonly db: DataSource,
    private readonly memberships: MembershipService,
  ) {}

  @Mutation(() => MembershipType, {
    description:
      'Join an organization of your community: ACTIVE at once if it is OPEN, else PENDING for its organizers',
  })
  joinOrganization(@Ctx() context: ServiceContext, @Arg('organizationId', () => ID) organizationId: string) {
    return this.memberships.join(requireCaller(context), requireUuid(organizationId, 'organizationId'));
  }

  @Mutation(() => MembershipType, { description: 'BACKBONE or LEADER: accept an application' })
  approveMembership(@Ctx() context: ServiceContext, @Arg('membershipId', () => ID) membershipId: string) {
    return this.memberships.approve(requireCaller(context), requireUuid(membershipId, 'membershipId'));
  }

  @Mutation(() => MembershipType, { description: 'BACKBONE or LEADER: turn an application down, with a reason' })
  rejectMembership(
    @Ctx() context: ServiceContext,
    @Arg('membershipId', () => ID) membershipId: string,
    @Arg('reason', () => String) reason: string,
  ) {
    return this.memberships.reject(requireCaller(context), requireUuid(membershipId, 'membershipId'), reason);
  }

  @Mutation(() => MembershipType, {
    description: 'Leave an organization (or withdraw your application); the last LEADER cannot leave',
  })
  leaveOrganization(@Ctx() context: ServiceContext, @Arg('organizationId', () => ID) organizationId: string) {
    return this.memberships.leave(requireCaller(context), requireUuid(organizationId, 'organizationId'));
  }

  @Mutation(() => MembershipType, {
    description: 'LEADER: remove a member, with a reason (removing a LEADER takes a committee member)',
  })
  removeMember(
    @Ctx() context: ServiceContext,
    @Arg('membershipId', () => ID) membershipId: string,
    @Arg('reason', () => String) reason: string,
  ) {
    return this.memberships.remove(requireCaller(context), requireUuid(membershipId, 'membershipId'), reason);
  }

  @FieldResolver(() => OrganizationType)
  organization(@Root() membership: MembershipEntity, @Ctx() context: ServiceContext) {
    return loadOrganization(this.db, context, membership.organizationId);
  }

  @FieldResolver(() => UserRef)
  user(@Root() membership: MembershipEntity): UserRef {
    return userRef(membership.userId);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Why it ended: for the member, the organization’s organizers and community staff',
  })
  async endReason(@Root() membership: MembershipEntity, @Ctx() context: ServiceContext): Promise<string | null> {
    if (!membership.endReason || !context.caller) return null;
    if (context.caller.userId === membership.userId) return membership.endReason;
    const own = await loadCallerMembership(this.db, context, membership.organizationId);
    const scope = { id: membership.organizationId, communityId: membership.communityId };
    return canSeeAllMemberships(context.caller, scope, own) ? membership.endReason : null;
  }

  @FieldResolver(() => [MembershipRoleChangeType], { description: 'Who changed this membership’s role, when and why' })
  roleHistory(@Root() membership: MembershipEntity, @Ctx() context: ServiceContext) {
    return loadRoleHistory(this.db, context, membership.id);
  }
}

@Resolver(() => MembershipRoleChangeType)
export class MembershipRoleChangeResolver {
  constructor(private readonly db: DataSource) {}

  @FieldResolver(() => UserRef, { description: 'Who made the change (the member themselves when they joined)' })
  changedBy(@Root() change: MembershipRoleChangeEntity): UserRef {
    return userRef(change.changedBy);
  }

  @FieldResolver(() => OrganizationType)
  organization(@Root() change: MembershipRoleChangeEntity, @Ctx() context: ServiceContext) {
    return loadOrganization(this.db, context, change.organizationId);
  }
}
