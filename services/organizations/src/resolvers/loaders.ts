import { loadByIds, type ServiceContext } from '@taoyuan/service-kit';
import { In, type DataSource } from 'typeorm';
import { MembershipRole, MembershipStatus } from '../domain/ladder';
import { MembershipEntity } from '../entities/membership.entity';
import { OrganizationEntity } from '../entities/organization.entity';

/** Per-request batching: an organizations list with leaders and counts costs one query per field, not per row. */

export function loadOrganizations(
  db: DataSource,
  context: ServiceContext,
  ids: readonly string[],
): Promise<(OrganizationEntity | null)[]> {
  const loader = context.loaders.get<string, OrganizationEntity | null>('organizations', (keys) =>
    loadByIds(keys, (unique) => db.getRepository(OrganizationEntity).findBy({ id: In(unique) })),
  );
  return loader.loadMany(ids).then((rows) => rows.map((row) => (row instanceof Error ? null : row)));
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
