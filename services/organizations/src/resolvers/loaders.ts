import { entityLoader, loadEntities, type ServiceContext } from '@taoyuan/service-kit';
import { In, IsNull, Not, type DataSource } from 'typeorm';
import { MembershipRole, MembershipStatus } from '../domain/ladder';
import { MembershipRoleChangeEntity } from '../entities/membership-role-change.entity';
import { MembershipEntity } from '../entities/membership.entity';
import { OrganizationEntity } from '../entities/organization.entity';

/** Per-request batching: an organizations list with leaders and counts costs one query per field, not per row. */

export function loadOrganizations(
  db: DataSource,
  context: ServiceContext,
  ids: readonly string[],
): Promise<(OrganizationEntity | null)[]> {
  return loadEntities(context.loaders, db.getRepository(OrganizationEntity), ids);
}

export async function loadOrganization(
  db: DataSource,
  context: ServiceContext,
  id: string,
): Promise<OrganizationEntity | null> {
  const [organization] = await loadOrganizations(db, context, [id]);
  return organization ?? null;
}

/** Active LEADER user ids per organization, in the order they became leaders' members. */
export function loadLeaderIds(db: DataSource, context: ServiceContext, organizationId: string): Promise<string[]> {
  const loader = context.loaders.get<string, string[]>('leaders', async (organizationIds) => {
    const rows = await db.getRepository(MembershipEntity).find({
      where: {
        organizationId: In([...organizationIds]),
        status: MembershipStatus.ACTIVE,
        role: MembershipRole.LEADER,
      },
      order: { seq: 'ASC' },
    });
    return organizationIds.map((id) => rows.filter((row) => row.organizationId === id).map((row) => row.userId));
  });
  return loader.load(organizationId);
}

export function loadMemberCount(db: DataSource, context: ServiceContext, organizationId: string): Promise<number> {
  const loader = context.loaders.get<string, number>('member-counts', async (organizationIds) => {
    const rows: { organization_id: string; members: string }[] = await db.query(
      `SELECT organization_id, count(*) AS members FROM memberships
       WHERE organization_id = ANY($1) AND status = 'ACTIVE' GROUP BY organization_id`,
      [[...organizationIds]],
    );
    const counts = new Map(rows.map((row) => [row.organization_id, Number(row.members)]));
    return organizationIds.map((id) => counts.get(id) ?? 0);
  });
  return loader.load(organizationId);
}

/** The caller's own pending or active membership per organization (for permission checks in field resolvers). */
export function loadCallerMembership(
  db: DataSource,
  context: ServiceContext,
  organizationId: string,
): Promise<MembershipEntity | null> {
  const caller = context.caller;
  if (!caller) return Promise.resolve(null);
  const loader = context.loaders.get<string, MembershipEntity | null>('caller-memberships', async (organizationIds) => {
    const rows = await db.getRepository(MembershipEntity).find({
      where: {
        organizationId: In([...organizationIds]),
        userId: caller.userId,
        status: In([MembershipStatus.PENDING, MembershipStatus.ACTIVE]),
      },
    });
    return organizationIds.map((id) => rows.find((row) => row.organizationId === id) ?? null);
  });
  return loader.load(organizationId);
}

export interface MembersPageFilter {
  status: MembershipStatus;
  role: MembershipRole | null;
  /** Rows wanted per organization (the page size plus one, which only says whether a next page exists). */
  take: number;
  afterSeq: string | null;
}

/**
 * One page of members per organization, for every organization of the request in one statement: a window
 * (row_number per organization) keeps `take` rows each, so `organizations { members }` costs the same at 5 or 50.
 * Organizations asked with different arguments get their own loader (the page is per argument set).
 */
export function loadMembersPage(
  db: DataSource,
  context: ServiceContext,
  organizationId: string,
  filter: MembersPageFilter,
): Promise<MembershipEntity[]> {
  const name = `members-page:${filter.status}:${filter.role ?? ''}:${filter.take}:${filter.afterSeq ?? ''}`;
  const loader = context.loaders.get<string, MembershipEntity[]>(name, async (organizationIds) => {
    const conditions = ['ranked.organization_id = ANY(:organizationIds)', 'ranked.status = :status'];
    if (filter.role) conditions.push('ranked.role = :role');
    if (filter.afterSeq) conditions.push('ranked.seq > :afterSeq');
    const rows = await db
      .getRepository(MembershipEntity)
      .createQueryBuilder('membership')
      .where(
        `membership.id IN (SELECT page.id FROM (
           SELECT ranked.id, row_number() OVER (PARTITION BY ranked.organization_id ORDER BY ranked.seq) AS position
           FROM memberships ranked WHERE ${conditions.join(' AND ')}) page
         WHERE page.position <= :take)`,
        {
          organizationIds: [...organizationIds],
          status: filter.status,
          role: filter.role,
          afterSeq: filter.afterSeq,
          take: filter.take,
        },
      )
      .orderBy('membership.seq', 'ASC')
      .getMany();
    return organizationIds.map((id) => rows.filter((row) => row.organizationId === id));
  });
  return loader.load(organizationId);
}

/** Role changes per membership, oldest first: one statement for every membership of the request. */
export function loadRoleHistory(
  db: DataSource,
  context: ServiceContext,
  membershipId: string,
): Promise<MembershipRoleChangeEntity[]> {
  const loader = context.loaders.get<string, MembershipRoleChangeEntity[]>('role-history', async (membershipIds) => {
    const rows = await db
      .getRepository(MembershipRoleChangeEntity)
      .find({ where: { membershipId: In([...membershipIds]) }, order: { seq: 'ASC' } });
    return membershipIds.map((id) => rows.filter((row) => row.membershipId === id));
  });
  return loader.load(membershipId);
}

/** A user's memberships in one community (optionally of one status), oldest first, batched over the request's users. */
export function loadUserMemberships(
  db: DataSource,
  context: ServiceContext,
  userId: string,
  communityId: string,
  status: MembershipStatus | undefined,
): Promise<MembershipEntity[]> {
  const loader = context.loaders.get<string, MembershipEntity[]>(
    `user-memberships:${communityId}:${status ?? ''}`,
    async (userIds) => {
      // Their organizations come in the same statement (a resident's memberships are few) and are handed to the
      // organizations loader, so `Membership.organization` costs no statement of its own.
      const query = db
        .getRepository(MembershipEntity)
        .createQueryBuilder('membership')
        .leftJoinAndMapOne(
          'membership.joinedOrganization',
          OrganizationEntity,
          'organization',
          'organization.id = membership.organizationId',
        )
        .where('membership.userId IN (:...userIds)', { userIds })
        .andWhere('membership.communityId = :communityId', { communityId });
      if (status) query.andWhere('membership.status = :status', { status });
      const rows = await query.orderBy('membership.seq', 'ASC').getMany();
      const organizations = entityLoader(context.loaders, db.getRepository(OrganizationEntity));
      for (const row of rows)
        if (row.joinedOrganization) organizations.prime(row.organizationId, row.joinedOrganization);
      return userIds.map((id) => rows.filter((row) => row.userId === id));
    },
  );
  return loader.load(userId);
}

/** A user's steps up the ladder in one community, oldest first, batched over the request's users. */
export function loadPromotionHistory(
  db: DataSource,
  context: ServiceContext,
  userId: string,
  communityId: string,
): Promise<MembershipRoleChangeEntity[]> {
  const loader = context.loaders.get<string, MembershipRoleChangeEntity[]>(
    `promotion-history:${communityId}`,
    async (userIds) => {
      const rows = await db.getRepository(MembershipRoleChangeEntity).find({
        where: { userId: In([...userIds]), communityId, fromRole: Not(IsNull()) },
        order: { seq: 'ASC' },
      });
      return userIds.map((id) => rows.filter((row) => row.userId === id));
    },
  );
  return loader.load(userId);
}
