import {
  MemberJoined,
  MemberLeft,
  MemberPromoted,
  on,
  OrganizationStatusChanged,
  UserRegistered,
  type EventHandler,
} from '@taoyuan/events';
import type { PointsLedger } from '../domain/points-ledger';

/**
 * What volunteering consumes. Each handler runs inside the inbox transaction, so a redelivered event has no second
 * effect. Membership events keep the organizer projection (see OrganizerPolicy); they are keyed by userId, so one
 * resident's membership events arrive in order.
 */
export function volunteeringHandlers(ledger: PointsLedger): EventHandler[] {
  return [
    on(UserRegistered, async ({ payload }, manager) => {
      await ledger.openAccount(manager, payload.userId, payload.communityId);
    }),
    on(MemberJoined, async ({ payload }, manager) => {
      await manager.query(
        `INSERT INTO organizer_memberships (membership_id, organization_id, user_id, community_id, role, active)
         VALUES ($1, $2, $3, $4, $5, true)
         ON CONFLICT (membership_id) DO UPDATE
           SET role = EXCLUDED.role, active = true, updated_at = clock_timestamp()`,
        [payload.membershipId, payload.organizationId, payload.userId, payload.communityId, payload.role],
      );
    }),
    on(MemberPromoted, async ({ payload }, manager) => {
      await manager.query(
        `INSERT INTO organizer_memberships (membership_id, organization_id, user_id, community_id, role, active)
         VALUES ($1, $2, $3, $4, $5, true)
         ON CONFLICT (membership_id) DO UPDATE SET role = EXCLUDED.role, updated_at = clock_timestamp()`,
        [payload.membershipId, payload.organizationId, payload.userId, payload.communityId, payload.toRole],
      );
    }),
    on(OrganizationStatusChanged, async ({ payload, envelope }, manager) => {
      // Keyed by organization, so one organization's changes arrive in order; the time guards a replay of an old one.
      await manager.query(
        `INSERT INTO organizer_organizations (organization_id, community_id, status, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
          WHERE organizer_organizations.updated_at <= EXCLUDED.updated_at`,
        [payload.organizationId, payload.communityId, payload.toStatus, envelope.time || payload.changedAt],
      );
    }),
    on(MemberLeft, async ({ payload }, manager) => {
      // Events of one resident arrive in order, so a leave never precedes its join; the insert branch covers a
      // join this projection never saw (e.g. older than the topic's retention) and records the membership as ended.
      await manager.query(
        `INSERT INTO organizer_memberships (membership_id, organization_id, user_id, community_id, role, active)
         VALUES ($1, $2, $3, $4, 'MEMBER', false)
         ON CONFLICT (membership_id) DO UPDATE SET active = false, updated_at = clock_timestamp()`,
        [payload.membershipId, payload.organizationId, payload.userId, payload.communityId],
      );
    }),
  ];
}
