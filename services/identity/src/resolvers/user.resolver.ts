import {
  hasAnyRole,
  requireCaller,
  requireUuid,
  STAFF_ROLES,
  UnauthenticatedError,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { RoleService } from '../domain/role.service';
import { maskPhone } from '../domain/user-input';
import { HouseholdEntity } from '../entities/household.entity';
import { UserEntity } from '../entities/user.entity';
import { CommunityType, HouseholdType } from '../schema/community.type';
import { Role } from '../schema/role.enum';
import { UserType } from '../schema/user.type';
import { loadCommunities, loadUsers } from './loaders';

/** The owner, or staff of the owner's community, see private details; everyone else a masked view. */
function seesPrivateDetails(context: ServiceContext, user: UserEntity): boolean {
  const caller = context.caller;
  if (!caller) return false;
  return caller.userId === user.id || (caller.communityId === user.communityId && hasAnyRole(caller, STAFF_ROLES));
}

@Resolver(() => UserType)
export class UserResolver {
  constructor(
    private readonly db: DataSource,
    private readonly roles: RoleService,
  ) {}

  @Query(() => UserType, { description: 'The signed-in user' })
  async me(@Ctx() context: ServiceContext): Promise<UserEntity> {
    const caller = requireCaller(context);
    const [user] = await loadUsers(this.db, context, [caller.userId]);
    if (!user) throw new UnauthenticatedError('This account no longer exists');
    return user;
  }

  @Authorized(Role.COMMITTEE, Role.ADMIN)
  @Mutation(() => UserType, { description: 'Give a user of your community a role (committee or admin only)' })
  grantRole(
    @Ctx() context: ServiceContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => Role) role: Role,
  ): Promise<UserEntity> {
    return this.roles.grant(requireCaller(context), requireUuid(userId, 'userId'), role);
  }

  @Authorized(Role.COMMITTEE, Role.ADMIN)
  @Mutation(() => UserType, { description: 'Take a role from a user of your community (committee or admin only)' })
  revokeRole(
    @Ctx() context: ServiceContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => Role) role: Role,
  ): Promise<UserEntity> {
    return this.roles.revoke(requireCaller(context), requireUuid(userId, 'userId'), role);
  }

  @FieldResolver(() => String, {
    description: 'In full for the owner and staff of the same community, else masked (138****5678)',
  })
  phone(@Root() user: UserEntity, @Ctx() context: ServiceContext): string {
    return seesPrivateDetails(context, user) ? user.phone : maskPhone(user.phone);
  }

  @FieldResolver(() => HouseholdType, { nullable: true, description: 'Home address; only for the owner and staff' })
  async household(@Root() user: UserEntity, @Ctx() context: ServiceContext): Promise<HouseholdEntity | null> {
    if (!user.householdId || !seesPrivateDetails(context, user)) return null;
    return this.db.getRepository(HouseholdEntity).findOneBy({ id: user.householdId });
  }

  @FieldResolver(() => CommunityType)
  async community(@Root() user: UserEntity, @Ctx() context: ServiceContext) {
    const [community] = await loadCommunities(this.db, context, [user.communityId]);
    return community;
  }
}
