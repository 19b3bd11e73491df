import type { Caller } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';

/** Membership roles that act for an organization here: book its rooms, see its bookings, propose its campaigns. */
const ACTING_ROLES = ['BACKBONE', 'LEADER'];

/**
 * Whether the caller is a BACKBONE or LEADER of the organization in their own community, from the projection of
 * organizations' membership events (organization_members), so no call to the organizations service is needed.
 */
export async function actsForOrganization(
  manager: EntityManager,
  caller: Caller,
  organizationId: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM organization_members
      WHERE organization_id = $1 AND user_id = $2 AND community_id = $3 AND active AND role = ANY($4) LIMIT 1`,
    [organizationId, caller.userId, caller.communityId, ACTING_ROLES],
  );
  return rows.length > 0;
}

/** `actsForOrganization` for many organizations at once (a list of them): those the caller acts for. */
export async function organizationsActedFor(
  manager: EntityManager,
  caller: Caller,
  organizationIds: readonly string[],
): Promise<Set<string>> {
  const rows: { organization_id: string }[] = await manager.query(
    `SELECT DISTINCT organization_id FROM organization_members
      WHERE organization_id = ANY($1) AND user_id = $2 AND community_id = $3 AND active AND role = ANY($4)`,
    [[...organizationIds], caller.userId, caller.communityId, ACTING_ROLES],
  );
  return new Set(rows.map((row) => row.organization_id));
}
