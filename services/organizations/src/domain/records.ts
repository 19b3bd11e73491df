import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';
import { MembershipRoleChangeEntity } from '../entities/membership-role-change.entity';
import { MembershipEntity } from '../entities/membership.entity';
import { OrganizationEntity } from '../entities/organization.entity';
import { OrganizationStatus } from './organization-values';
import { MembershipRole, MembershipStatus } from './ladder';

/**
 * Reads and writes the services share inside their transactions. Locks are taken in one order everywhere
 * (organization, resident, membership, candidate), so concurrent decisions queue instead of deadlocking. Row locks are
 * FOR NO KEY UPDATE: they do not block the KEY SHARE locks that foreign-key checks take (inserting a candidate for a
 * locked membership).
 */

/** Locks the organization row: everything that changes who leads it (leaving, removal, LEADER promotion) queues here. */
export async function lockOrganization(manager: EntityManager, id: string): Promise<OrganizationEntity> {
  const organization = await manager.findOne(OrganizationEntity, {
    where: { id },
    lock: { mode: 'for_no_key_update' },
  });
  if (!organization) throw new NotFoundError('Organization', id);
  return organization;
}

export async function lockMembership(manager: EntityManager, id: string): Promise<MembershipEntity> {
  const membership = await manager.findOne(MembershipEntity, { where: { id }, lock: { mode: 'for_no_key_update' } });
  if (!membership) throw new NotFoundError('Membership', id);
  return membership;
}

/**
 * Serialises everything about one resident's ladder (a tier arriving, the resident joining, a promotion decided), so
 * a tier event and a join running at the same moment cannot both miss each other.
 */
export async function lockResident(manager: EntityManager, userId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`organizations:resident:${userId}`]);
}

type MembershipChange = Partial<Pick<MembershipEntity, 'role' | 'status' | 'joinedAt' | 'endedAt' | 'endReason'>>;

/**
 * The one way a membership changes: the change and the version bump are one statement, so no change can be written
 * without a new version, and the entity carries the version its event must announce.
 */
export async function updateMembership(
  manager: EntityManager,
  membership: MembershipEntity,
  change: MembershipChange,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(MembershipEntity)
    .set({ ...change, version: () => 'version + 1' })
    .where('id = :id', { id: membership.id })
    .execute();
  // The update holds the row lock until commit, so this read sees the version just written.
  const row = await manager.findOne(MembershipEntity, { where: { id: membership.id }, select: ['id', 'version'] });
  if (!row) throw new NotFoundError('Membership', membership.id);
  Object.assign(membership, change, { version: row.version });
}

export function requireActive(organization: OrganizationEntity): void {
  if (organization.status !== OrganizationStatus.ACTIVE)
    throw new ConflictError(
      'ORGANIZATION_NOT_ACTIVE',
      `${organization.name} is ${organization.status.toLowerCase().replace('_', ' ')}, not active`,
    );
}

/** The resident's pending or active membership of the organization, or null. */
export function findOpenMembership(
  manager: EntityManager,
  organizationId: string,
  userId: string,
): Promise<MembershipEntity | null> {
  return manager
    .createQueryBuilder(MembershipEntity, 'membership')
    .where('membership.organization_id = :organizationId AND membership.user_id = :userId', { organizationId, userId })
    .andWhere(`membership.status IN ('PENDING', 'ACTIVE')`)
    .getOne();
}

export async function countActiveLeaders(manager: EntityManager, organizationId: string): Promise<number> {
  return manager.count(MembershipEntity, {
    where: { organizationId, status: MembershipStatus.ACTIVE, role: MembershipRole.LEADER },
  });
}

export async function recordRoleChange(
  manager: EntityManager,
  membership: MembershipEntity,
  change: {
    fromRole: MembershipRole | null;
    toRole: MembershipRole;
    changedBy: string;
    reason: string;
    candidateId?: string | null;
  },
): Promise<void> {
  await manager.insert(MembershipRoleChangeEntity, {
    id: randomUUID(),
    membershipId: membership.id,
    communityId: membership.communityId,
    organizationId: membership.organizationId,
    userId: membership.userId,
    fromRole: change.fromRole,
    toRole: change.toRole,
    candidateId: change.candidateId ?? null,
    changedBy: change.changedBy,
    reason: change.reason,
  });
}
