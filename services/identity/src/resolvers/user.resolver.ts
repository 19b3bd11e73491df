import {
  BadUserInputError,
  hasAnyRole,
  requireCaller,
  requireUuid,
  Role as CallerRole,
  STAFF_ROLES,
  UnauthenticatedError,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { loadHousehold, loadResidence, pendingResidenceClaims } from '../domain/residence-queries';
import type { ResidenceService } from '../domain/residence.service';
import type { RoleService } from '../domain/role.service';
import { maskPhone } from '../domain/user-input';
import type { HouseholdEntity } from '../entities/household.entity';
import { ResidenceStatus, type ResidenceEntity } from '../entities/residence.entity';
import type { UserEntity } from '../entities/user.entity';
import { CommunityType, HouseholdType } from '../schema/community.type';
import { HouseholdAddressInput, ResidenceType } from '../schema/residence.type';
import { Role } from '../schema/role.enum';
import { UserType } from '../schema/user.type';
import { loadCommunities, loadSignedInUser } from './loaders';

/** The owner, or staff of the owner's community, see private details (full phone, home, residence). */
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
    private readonly residences: ResidenceService,
  ) {}

  @Query(() => UserType, { description: 'The signed-in user' })
  async me(@Ctx() context: ServiceContext): Promise<UserEntity> {
    const caller = requireCaller(context);
    const user = await loadSignedInUser(this.db, context, caller.userId);
    if (!user) throw new UnauthenticatedError('This account no longer exists');
    return user;
  }

  @Authorized(Role.COMMUNITY_WORKER, Role.COMMITTEE)
  @Query(() => [UserType], {
    description:
      'Residents whose household claim waits for your decision (a grid worker: their grids; a committee member: all), oldest first, at most 200',
  })
  pendingResidenceClaims(@Ctx() context: ServiceContext): Promise<UserEntity[]> {
    const caller = requireCaller(context);
    return pendingResidenceClaims(this.db, caller, caller.roles.includes(CallerRole.COMMITTEE));
  }

  @Authorized(Role.COMMITTEE, Role.ADMIN)
  @Mutation(() => UserType, { description: 'Give a user of your community a role (committee or admin; not yourself)' })
  grantRole(
    @Ctx() context: ServiceContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => Role) role: Role,
  ): Promise<UserEntity> {
    return this.roles.grant(requireCaller(context), requireUuid(userId, 'userId'), role);
  }

  @Authorized(Role.COMMITTEE, Role.ADMIN)
  @Mutation(() => UserType, {
    description: 'Take a role from a user of your community (committee or admin; not yourself)',
  })
  revokeRole(
    @Ctx() context: ServiceContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => Role) role: Role,
  ): Promise<UserEntity> {
    return this.roles.revoke(requireCaller(context), requireUuid(userId, 'userId'), role);
  }

  @Mutation(() => UserType, {
    description: 'Say which household of your community you live in (by id or by address); staff then confirm it',
  })
  claimHousehold(
    @Ctx() context: ServiceContext,
    @Arg('householdId', () => ID, { nullable: true }) householdId?: string | null,
    @Arg('address', () => HouseholdAddressInput, { nullable: true }) address?: HouseholdAddressInput | null,
  ): Promise<UserEntity> {
    const caller = requireCaller(context);
    if (Boolean(householdId) === Boolean(address))
      throw new BadUserInputError('Give either householdId or address', householdId ? 'address' : 'householdId');
    return this.residences.claimHousehold(
      caller,
      householdId
        ? { householdId: requireUuid(householdId, 'householdId') }
        : { ...(address as HouseholdAddressInput) },
    );
  }

  @Authorized(Role.COMMUNITY_WORKER, Role.COMMITTEE)
  @Mutation(() => UserType, {
    description:
      'Confirm a resident’s household claim (the grid’s community worker or a committee member; not yourself)',
  })
  confirmResidence(@Ctx() context: ServiceContext, @Arg('userId', () => ID) userId: string): Promise<UserEntity> {
    return this.residences.confirm(requireCaller(context), requireUuid(userId, 'userId'));
  }

  @Authorized(Role.COMMUNITY_WORKER, Role.COMMITTEE)
  @Mutation(() => UserType, { description: 'Reject a resident’s household claim, with a reason the resident sees' })
  rejectResidence(
    @Ctx() context: ServiceContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<UserEntity> {
    return this.residences.reject(requireCaller(context), requireUuid(userId, 'userId'), reason);
  }

  @Authorized(Role.COMMUNITY_WORKER, Role.COMMITTEE)
  @Mutation(() => UserType, { description: 'Take back a confirmed residence (moved out, confirmed by mistake)' })
  revokeResidence(
    @Ctx() context: ServiceContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<UserEntity> {
    return this.residences.revoke(requireCaller(context), requireUuid(userId, 'userId'), reason);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'In full for the owner and staff of the same community; masked (138******01) for other signed-in users; null for anonymous callers',
  })
  phone(@Root() user: UserEntity, @Ctx() context: ServiceContext): string | null {
    if (!context.caller) return null;
    return seesPrivateDetails(context, user) ? user.phone : maskPhone(user.phone);
  }

  @FieldResolver(() => HouseholdType, { nullable: true, description: 'Home address; only for the owner and staff' })
  async household(@Root() user: UserEntity, @Ctx() context: ServiceContext): Promise<HouseholdEntity | null> {
    if (!user.householdId || !seesPrivateDetails(context, user)) return null;
    return loadHousehold(this.db, context, user.householdId);
  }

  @FieldResolver(() => ResidenceType, {
    nullable: true,
    description: 'The household claim and its confirmation; only for the owner and staff',
  })
  async residence(@Root() user: UserEntity, @Ctx() context: ServiceContext): Promise<ResidenceEntity | null> {
    if (!seesPrivateDetails(context, user)) return null;
    return loadResidence(this.db, context, user.id);
  }

  @FieldResolver(() => CommunityType)
  async community(@Root() user: UserEntity, @Ctx() context: ServiceContext) {
    const [community] = await loadCommunities(this.db, context, [user.communityId]);
    return community;
  }
}

@Resolver(() => ResidenceType)
export class ResidenceResolver {
  constructor(private readonly db: DataSource) {}

  @FieldResolver(() => HouseholdType, { nullable: true, description: 'The household claimed (null once revoked)' })
  household(@Root() residence: ResidenceEntity, @Ctx() context: ServiceContext): Promise<HouseholdEntity | null> {
    return residence.householdId ? loadHousehold(this.db, context, residence.householdId) : Promise.resolve(null);
  }

  @FieldResolver()
  confirmedAt(@Root() residence: ResidenceEntity): Date | null {
    return residence.status === ResidenceStatus.CONFIRMED ? residence.decidedAt : null;
  }
}
