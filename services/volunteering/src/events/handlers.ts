import {
  applyIfNewer,
  MemberJoined,
  MemberLeft,
  MemberPromoted,
  on,
  OrganizationApproved,
  OrganizationStatusChanged,
  ResidenceChanged,
  UserRegistered,
  type EventHandler,
  type OrderedProjection,
} from '@taoyuan/events';
import type { EntityManager } from 'typeorm';
import type { PointsLedger } from '../domain/points-ledger';
import { residences } from '../domain/residences';

type OrganizerMembershipRow = {
  membership_id: string;
  organization_id: string;
  user_id: string;
  community_id: string;
  role: 'MEMBER' | 'ACTIVIST' | 'BACKBONE' | 'LEADER';
  active: boolean;
  membership_version: number;
  updated_at: Date;
};

type OrganizerOrganizationRow = {
  organization_id: string;
  community_id: string;
  status: 'PENDING_APPROVAL' | 'ACTIVE' | 'SUSPENDED' | 'DISSOLVED' | 'REJECTED';
  status_version: number;
  updated_at: Date;
};

const ORGANIZER_MEMBERSHIPS: OrderedProjection<OrganizerMembershipRow> = {
  table: 'organizer_memberships',
  key: ['membership_id'],
  version: 'membership_version',
};

const ORGANIZER_ORGANIZATIONS: OrderedProjection<OrganizerOrganizationRow> = {
  table: 'organizer_organizations',
  key: ['organization_id'],
  version: 'status_version',
};

/**
 * The committee's approval is an organization's second status by definition (see statusVersion in the
 * organizations catalogue): organization.approved stands for that version, so it never overrides a later
 * suspension or dissolution however late it arrives.
 */
export const APPROVAL_STATUS_VERSION = 2;

/** Every membership fact carries the whole projected state, so the newest version alone decides the row. */
function membershipFact(manager: EntityManager, fact: Omit<OrganizerMembershipRow, 'updated_at'>): Promise<boolean> {
  return applyIfNewer(manager, ORGANIZER_MEMBERSHIPS, { ...fact, updated_at: new Date() });
}

/**
 * What volunteering consumes. Each handler runs inside the inbox transaction, so a redelivered event has no second
 * effect. Facts about one membership travel on three topics (joined, promoted, left) and facts about one
 * organization or residence may be late or replayed, so each projection keeps the fact with the highest version
 * (applyIfNewer): any order of delivery ends in the same rows.
 */
export function volunteeringHandlers(ledger: PointsLedger): EventHandler[] {
  return [
    on(UserRegistered, async ({ payload }, manager) => {
      await ledger.openAccount(manager, payload.userId, payload.communityId);
    }),
    on(MemberJoined, async ({ payload }, manager) => {
      await membershipFact(manager, {
        membership_id: payload.membershipId,
        organization_id: payload.organizationId,
        user_id: payload.userId,
        community_id: payload.communityId,
        role: payload.role,
        active: true,
        membership_version: payload.membershipVersion,
      });
    }),
    on(MemberPromoted, async ({ payload }, manager) => {
      await membershipFact(manager, {
        membership_id: payload.membershipId,
        organization_id: payload.organizationId,
        user_id: payload.userId,
        community_id: payload.communityId,
        role: payload.toRole,
        active: true,
        membership_version: payload.membershipVersion,
      });
    }),
    on(MemberLeft, async ({ payload }, manager) => {
      await membershipFact(manager, {
        membership_id: payload.membershipId,
        organization_id: payload.organizationId,
        user_id: payload.userId,
        community_id: payload.communityId,
        role: payload.role,
        active: false,
        membership_version: payload.membershipVersion,
      });
    }),
    on(OrganizationApproved, async ({ payload }, manager) => {
      await applyIfNewer(manager, ORGANIZER_ORGANIZATIONS, {
        organization_id: payload.organizationId,
        community_id: payload.communityId,
        status: 'ACTIVE',
        status_version: APPROVAL_STATUS_VERSION,
        updated_at: new Date(),
      });
    }),
    on(OrganizationStatusChanged, async ({ payload }, manager) => {
      await applyIfNewer(manager, ORGANIZER_ORGANIZATIONS, {
        organization_id: payload.organizationId,
        community_id: payload.communityId,
        status: payload.toStatus,
        status_version: payload.statusVersion,
        updated_at: new Date(),
      });
    }),
    on(ResidenceChanged, async ({ payload, envelope }, manager) => {
      const applied = await residences.apply(manager, {
        userId: payload.userId,
        communityId: payload.communityId,
        householdId: payload.householdId,
        status: payload.status,
        residenceVersion: payload.residenceVersion,
        changedBy: payload.changedBy,
        changedAt: payload.changedAt,
      });
      // Only the newest fact decides: a stale confirmation arriving after a revocation releases nothing.
      if (applied && payload.status === 'CONFIRMED')
        await ledger.releaseHeld(manager, payload.userId, payload.communityId, payload.residenceVersion, envelope.id);
    }),
  ];
}
