import {
  BadUserInputError,
  ForbiddenError,
  isUuid,
  pageArgs,
  sequenceCursor,
  textAndIdCursor,
  requireCaller,
  requireUuid,
  toConnection,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Brackets, type DataSource } from 'typeorm';
import type { LeaderLimit } from '../domain/leader-limit';
import { MembershipRole, MembershipStatus } from '../domain/ladder';
import {
  canSeeAllMemberships,
  canSeeOrganization,
  isLeaderOf,
  isStaffOf,
  requireSameCommunity,
} from '../domain/organization-policy';
import type { OrganizationService } from '../domain/organization.service';
import { OrganizationStatus } from '../domain/organization-values';
import { MembershipEntity } from '../entities/membership.entity';
import { OrganizationStatusChangeEntity } from '../entities/organization-status-change.entity';
import { OrganizationEntity } from '../entities/organization.entity';
import { MembershipConnection, MembershipType } from '../schema/membership.type';
import {
  OrganizationConnection,
  OrganizationFilter,
  OrganizationPolicyType,
  OrganizationStatusChangeType,
  OrganizationType,
  RegisterOrganizationInput,
} from '../schema/organization.type';
import { userRef, UserRef } from '../schema/user-ref.type';
import { seqOf, type SeqCursor } from './cursors';
import { loadCallerMembership, loadLeaderIds, loadMemberCount, loadMembersPage, loadOrganization } from './loaders';

type OrganizationCursor = [name: string, id: string];

const HIDDEN_FROM_PUBLIC = [OrganizationStatus.PENDING_APPROVAL, OrganizationStatus.REJECTED];

function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

@Resolver(() => OrganizationType)
export class OrganizationResolver {
  constructor(
    private readonly db: DataSource,
    private readonly organizationService: OrganizationService,
    private readonly leaderLimit: LeaderLimit,
  ) {}

  @Query(() => OrganizationType, {
    nullable: true,
    description: 'An organization by id; unapproved registrations only for their registrant and community staff',
  })
  async organization(@Arg('id', () => ID) id: string, @Ctx() context: ServiceContext) {
    if (!isUuid(id)) return null;
    const organization = await loadOrganization(this.db, context, id.toLowerCase());
    return organization && canSeeOrganization(context.caller, organization) ? organization : null;
  }

  @Query(() => OrganizationConnection, {
    description: 'Organizations of a community by name; PENDING_APPROVAL and REJECTED ones for its staff only',
  })
  async organizations(
    @Ctx() context: ServiceContext,
    @Arg('filter', () => OrganizationFilter, { nullable: true }) filter?: OrganizationFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<OrganizationEntity>> {
    const page = pageArgs(first, after, textAndIdCursor);
    const communityId = filter?.communityId
      ? requireUuid(filter.communityId, 'communityId')
      : context.caller?.communityId;
    if (!communityId) throw new BadUserInputError('Name the community (filter.communityId) or sign in', 'communityId');
    const status = filter?.status ?? OrganizationStatus.ACTIVE;
    if (HIDDEN_FROM_PUBLIC.includes(status) && !(context.caller && isStaffOf(context.caller, { id: '', communityId })))
      throw new ForbiddenError('STAFF_ONLY', `Only community staff list ${status} organizations`);
    const query = this.db
      .getRepository(OrganizationEntity)
      .createQueryBuilder('organization')
      .where('organization.community_id = :communityId AND organization.status = :status', { communityId, status })
      .orderBy('organization.name', 'ASC')
      .addOrderBy('organization.id', 'ASC')
      .take(page.limit + 1);
    if (filter?.kind) query.andWhere('organization.kind = :kind', { kind: filter.kind });
    const search = filter?.search?.trim();
    if (search) {
      query.andWhere(
        new Brackets((where) =>
          where
            .where(`organization.name ILIKE :pattern ESCAPE '\\'`, { pattern: likePattern(search) })
            .orWhere(`organization.description ILIKE :pattern ESCAPE '\\'`),
        ),
      );
    }
    if (page.after) {
      const [name, id] = Array.isArray(page.after) ? page.after : [];
      if (typeof name !== 'string' || typeof id !== 'string')
        throw new BadUserInputError('after is not a valid cursor', 'after');
      query.andWhere('(organization.name, organization.id) > (:afterName, :afterId)', { afterName: name, afterId: id });
    }
    const rows = await query.getMany();
    return toConnection(rows, page.limit, (row): OrganizationCursor => [row.name, row.id]);
  }

  @Query(() => OrganizationPolicyType, { description: 'The limits of the caller’s community' })
  async organizationPolicy(@Ctx() context: ServiceContext) {
    const caller = requireCaller(context);
    return {
      communityId: caller.communityId,
      maxLeadersPerOrganization: await this.leaderLimit.forCommunity(this.db.manager, caller.communityId),
    };
  }

  @Mutation(() => OrganizationType, {
    description: 'Register an organization in your community; it waits for the committee (PENDING_APPROVAL)',
  })
  registerOrganization(
    @Ctx() context: ServiceContext,
    @Arg('input', () => RegisterOrganizationInput) input: RegisterOrganizationInput,
  ) {
    return this.organizationService.register(requireCaller(context), input);
  }

  @Mutation(() => OrganizationType, {
    description: 'Committee: approve a registration; the registrant becomes its first LEADER',
  })
  approveOrganization(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string) {
    return this.organizationService.approve(requireCaller(context), requireUuid(id));
  }

  @Mutation(() => OrganizationType, { description: 'Committee: reject a registration, with a reason' })
  rejectOrganization(
    @Ctx() context: ServiceContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
  ) {
    return this.organizationService.reject(requireCaller(context), requireUuid(id), reason);
  }

  @Mutation(() => OrganizationType, { description: 'Committee: suspend an active organization, with a reason' })
  suspendOrganization(
    @Ctx() context: ServiceContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
  ) {
    return this.organizationService.suspend(requireCaller(context), requireUuid(id), reason);
  }

  @Mutation(() => OrganizationType, { description: 'Committee: make a suspended organization active again' })
  reinstateOrganization(
    @Ctx() context: ServiceContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
  ) {
    return this.organizationService.reinstate(requireCaller(context), requireUuid(id), reason);
  }

  @Mutation(() => OrganizationType, {
    description: 'Committee: dissolve an organization, with a reason; every membership ends',
  })
  dissolveOrganization(
    @Ctx() context: ServiceContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
  ) {
    return this.organizationService.dissolve(requireCaller(context), requireUuid(id), reason);
  }

  @Mutation(() => OrganizationPolicyType, {
    description: 'Committee: how many LEADERs each organization of your community may have (default 3)',
  })
  setOrganizationLeaderLimit(
    @Ctx() context: ServiceContext,
    @Arg('maxLeadersPerOrganization', () => Int) maxLeadersPerOrganization: number,
  ) {
    return this.organizationService.setLeaderLimit(requireCaller(context), maxLeadersPerOrganization);
  }

  @FieldResolver(() => UserRef, { description: 'The resident who registered it' })
  registeredBy(@Root() organization: OrganizationEntity): UserRef {
    return userRef(organization.registeredBy);
  }

  @FieldResolver(() => [UserRef], { description: 'Its active LEADERs (public: they speak for it)' })
  async leaders(@Root() organization: OrganizationEntity, @Ctx() context: ServiceContext): Promise<UserRef[]> {
    return (await loadLeaderIds(this.db, context, organization.id)).map(userRef);
  }

  @FieldResolver(() => Int, { description: 'Active members, leaders included' })
  memberCount(@Root() organization: OrganizationEntity, @Ctx() context: ServiceContext): Promise<number> {
    return loadMemberCount(this.db, context, organization.id);
  }

  @FieldResolver(() => MembershipConnection, {
    description:
      'Members in the order they applied. ACTIVE ones for signed-in residents of the community; other statuses for its organizers and community staff',
  })
  async members(
    @Root() organization: OrganizationEntity,
    @Ctx() context: ServiceContext,
    @Arg('role', () => MembershipRole, { nullable: true }) role?: MembershipRole | null,
    @Arg('status', () => MembershipStatus, { nullable: true, description: 'Default ACTIVE' })
    status?: MembershipStatus | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<MembershipEntity>> {
    const caller = requireCaller(context);
    requireSameCommunity(caller, organization);
    const wanted = status ?? MembershipStatus.ACTIVE;
    if (wanted !== MembershipStatus.ACTIVE) {
      const own = await loadCallerMembership(this.db, context, organization.id);
      if (!canSeeAllMemberships(caller, organization, own))
        throw new ForbiddenError(
          'NOT_ORGANIZER',
          'Only organizers of this organization and community staff see other memberships',
        );
    }
    const page = pageArgs(first, after, sequenceCursor);
    const rows = await loadMembersPage(this.db, context, organization.id, {
      status: wanted,
      role: role ?? null,
      take: page.limit + 1,
      afterSeq: page.after ? seqOf(page.after) : null,
    });
    return toConnection(rows, page.limit, (row): SeqCursor => [row.seq]);
  }

  @FieldResolver(() => MembershipType, {
    nullable: true,
    description: 'The caller’s own pending or active membership',
  })
  myMembership(@Root() organization: OrganizationEntity, @Ctx() context: ServiceContext) {
    return loadCallerMembership(this.db, context, organization.id);
  }

  @FieldResolver(() => [OrganizationStatusChangeType], {
    description: 'Status history with reasons: for community staff and the organization’s leaders',
  })
  async statusHistory(@Root() organization: OrganizationEntity, @Ctx() context: ServiceContext) {
    const caller = requireCaller(context);
    const own = await loadCallerMembership(this.db, context, organization.id);
    if (!isStaffOf(caller, organization) && !isLeaderOf(caller, organization, own))
      throw new ForbiddenError(
        'STAFF_OR_LEADER_ONLY',
        'Only community staff and the organization’s leaders see its status history',
      );
    return this.db
      .getRepository(OrganizationStatusChangeEntity)
      .find({ where: { organizationId: organization.id }, order: { changedAt: 'ASC' } });
  }
}
