import { BadUserInputError, ForbiddenError, Role, type Caller } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';

/** Membership roles of a host organization that may organize its opportunities. */
const ORGANIZING_MEMBERSHIP_ROLES = ['BACKBONE', 'LEADER'] as const;

export interface OrganizedThing {
  communityId: string;
  organizationId: string | null;
}

/**
 * Who may organize an opportunity (create, edit, publish, cancel, add shifts, see the check-in code, verify
 * attendance, mark no-shows), decided here and nowhere else:
 * - a COMMUNITY_WORKER of the opportunity's community, from the access token's roles; or
 * - a BACKBONE or LEADER of the host organization, from the local projection of organizations' membership events
 *   (organizer_memberships), while that organization is not suspended or dissolved (organizer_organizations, from
 *   its status events; an organization never heard of counts as active), so no call to the organizations service
 *   is ever needed.
 * Nobody organizes across communities.
 */
export class OrganizerPolicy {
  async canOrganize(manager: EntityManager, caller: Caller, thing: OrganizedThing): Promise<boolean> {
    if (caller.communityId !== thing.communityId) return false;
    if (caller.roles.includes(Role.COMMUNITY_WORKER)) return true;
    if (!thing.organizationId) return false;
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM organizer_memberships
        WHERE organization_id = $1 AND user_id = $2 AND community_id = $3 AND active AND role = ANY($4)
          AND NOT EXISTS (SELECT 1 FROM organizer_organizations o WHERE o.organization_id = $1 AND o.status <> 'ACTIVE')
        LIMIT 1`,
      [thing.organizationId, caller.userId, thing.communityId, ORGANIZING_MEMBERSHIP_ROLES],
    );
    return rows.length > 0;
  }

  /**
   * `canOrganize` for many host organizations at once (a list of opportunities): the ids among `organizationIds`
   * whose opportunities in `communityId` the caller organizes through their membership, in one statement.
   */
  async organizedAmong(
    manager: EntityManager,
    caller: Caller,
    communityId: string,
    organizationIds: readonly string[],
  ): Promise<Set<string>> {
    if (caller.communityId !== communityId) return new Set();
    const rows: { organization_id: string }[] = await manager.query(
      `SELECT m.organization_id FROM organizer_memberships m
        WHERE m.organization_id = ANY($1) AND m.user_id = $2 AND m.community_id = $3 AND m.active AND m.role = ANY($4)
          AND NOT EXISTS (SELECT 1 FROM organizer_organizations o
                           WHERE o.organization_id = m.organization_id AND o.status <> 'ACTIVE')`,
      [[...organizationIds], caller.userId, communityId, ORGANIZING_MEMBERSHIP_ROLES],
    );
    return new Set(rows.map((row) => row.organization_id));
  }

  /**
   * An opportunity may name as host only an organization that organizations announced as approved and active in the
   * caller's community (organizer_organizations, from organization.approved / status-changed): the id goes out in
   * the public volunteering.opportunity.published, so another community's or an invented one must not.
   */
  async requireHostOrganization(manager: EntityManager, communityId: string, organizationId: string): Promise<void> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM organizer_organizations WHERE organization_id = $1 AND community_id = $2 AND status = 'ACTIVE'`,
      [organizationId, communityId],
    );
    if (rows.length === 0)
      throw new BadUserInputError(
        'No active organization of your community has this id (a newly approved one may take a moment to appear)',
        'organizationId',
      );
  }

  async requireOrganizer(manager: EntityManager, caller: Caller, thing: OrganizedThing): Promise<void> {
    if (await this.canOrganize(manager, caller, thing)) return;
    if (caller.communityId !== thing.communityId)
      throw new ForbiddenError('OTHER_COMMUNITY', 'This belongs to another community');
    throw new ForbiddenError(
      'NOT_ORGANIZER',
      thing.organizationId
        ? 'Only a community worker or a backbone or leader of the host organization can organize this'
        : 'Only a community worker can organize an opportunity without a host organization',
    );
  }
}
