import { ForbiddenError, Role, STAFF_ROLES, hasAnyRole, type Caller } from '@taoyuan/service-kit';
import { MembershipRole, MembershipStatus } from './ladder';

/**
 * Who may do what with organizations, memberships and promotions, in one place. Every function throws FORBIDDEN with
 * a message that says what would have been needed; none of them touches the database (callers pass what they loaded).
 *
 * - The community decides about organizations: approving, rejecting, suspending, reinstating and dissolving them,
 *   setting the leader limit, and LEADER promotions are for COMMITTEE members of the organization's community.
 * - An organization runs itself: its LEADERs decide ACTIVIST and BACKBONE promotions and remove members; its
 *   organizers (BACKBONE and LEADER, as in DESIGN.md "Organizers") approve and reject applications to join.
 *   Removing a LEADER, like making one, is the committee's.
 * - Roles in one organization give no rights in another; the community always has to match.
 */

export interface OrganizationScope {
  id: string;
  communityId: string;
}

export interface CallerMembership {
  role: MembershipRole;
  status: MembershipStatus;
}

function sameCommunity(caller: Caller, organization: OrganizationScope): boolean {
  return caller.communityId === organization.communityId;
}

function holds(membership: CallerMembership | null, roles: readonly MembershipRole[]): boolean {
  return membership !== null && membership.status === MembershipStatus.ACTIVE && roles.includes(membership.role);
}

export function isCommitteeOf(caller: Caller, organization: OrganizationScope): boolean {
  return sameCommunity(caller, organization) && caller.roles.includes(Role.COMMITTEE);
}

export function isStaffOf(caller: Caller, organization: OrganizationScope): boolean {
  return sameCommunity(caller, organization) && hasAnyRole(caller, STAFF_ROLES);
}

export function isLeaderOf(caller: Caller, organization: OrganizationScope, membership: CallerMembership | null) {
  return sameCommunity(caller, organization) && holds(membership, [MembershipRole.LEADER]);
}

export function isOrganizerOf(caller: Caller, organization: OrganizationScope, membership: CallerMembership | null) {
  return sameCommunity(caller, organization) && holds(membership, [MembershipRole.BACKBONE, MembershipRole.LEADER]);
}

export function requireSameCommunity(caller: Caller, organization: OrganizationScope): void {
  if (!sameCommunity(caller, organization))
    throw new ForbiddenError('OTHER_COMMUNITY', 'This organization belongs to another community');
}

/** Approve, reject, suspend, reinstate, dissolve; set the community's leader limit. */
export function requireCommittee(caller: Caller, organization: OrganizationScope): void {
  requireSameCommunity(caller, organization);
  if (!caller.roles.includes(Role.COMMITTEE))
    throw new ForbiddenError('COMMITTEE_ONLY', 'Only a committee member (居委会) of this community can do this');
}

export function requireCommitteeOfCommunity(caller: Caller, communityId: string): void {
  requireCommittee(caller, { id: '', communityId });
}

/** Approve or reject an application to join. */
export function requireOrganizer(
  caller: Caller,
  organization: OrganizationScope,
  membership: CallerMembership | null,
): void {
  requireSameCommunity(caller, organization);
  if (!isOrganizerOf(caller, organization, membership))
    throw new ForbiddenError('NOT_ORGANIZER', 'Only a BACKBONE or LEADER of this organization can decide applications');
}

/**
 * Remove a member: a LEADER of the organization removes MEMBERs, ACTIVISTs and BACKBONEs; removing a LEADER, whom the
 * committee appointed, takes the committee too.
 */
export function requireRemover(
  caller: Caller,
  organization: OrganizationScope,
  callerMembership: CallerMembership | null,
  target: { role: MembershipRole },
): void {
  requireSameCommunity(caller, organization);
  if (target.role === MembershipRole.LEADER) {
    if (!caller.roles.includes(Role.COMMITTEE))
      throw new ForbiddenError(
        'COMMITTEE_ONLY',
        'Removing a LEADER needs a committee member (居委会) of this community',
      );
    return;
  }
  if (!isLeaderOf(caller, organization, callerMembership))
    throw new ForbiddenError('LEADER_ONLY', 'Only a LEADER of this organization can remove members');
}

/**
 * Approve or decline a promotion: ACTIVIST and BACKBONE by a LEADER of the organization, LEADER by a COMMITTEE member
 * of its community. Nobody decides their own promotion.
 */
export function requirePromotionDecider(
  caller: Caller,
  organization: OrganizationScope,
  callerMembership: CallerMembership | null,
  candidate: { userId: string; targetRole: MembershipRole },
): void {
  requireSameCommunity(caller, organization);
  if (candidate.userId === caller.userId)
    throw new ForbiddenError('SELF_PROMOTION', 'Nobody decides their own promotion');
  if (candidate.targetRole === MembershipRole.LEADER) {
    if (!caller.roles.includes(Role.COMMITTEE))
      throw new ForbiddenError(
        'COMMITTEE_ONLY',
        'A promotion to LEADER needs a committee member (居委会) of this community',
      );
    return;
  }
  if (!isLeaderOf(caller, organization, callerMembership))
    throw new ForbiddenError(
      'LEADER_ONLY',
      `A promotion to ${candidate.targetRole} needs a LEADER of this organization`,
    );
}

/** See the open and past candidates of an organization: its leaders and the community's committee. */
export function requireCandidateReader(
  caller: Caller,
  organization: OrganizationScope,
  membership: CallerMembership | null,
): void {
  requireSameCommunity(caller, organization);
  if (!isLeaderOf(caller, organization, membership) && !isCommitteeOf(caller, organization))
    throw new ForbiddenError(
      'NOT_ORGANIZER',
      'Only the leaders of this organization and the committee see its promotion candidates',
    );
}

/** Members other than ACTIVE ones (applicants, former members) are for organizers and staff. */
export function canSeeAllMemberships(
  caller: Caller | null,
  organization: OrganizationScope,
  membership: CallerMembership | null,
): boolean {
  if (!caller) return false;
  return isOrganizerOf(caller, organization, membership) || isStaffOf(caller, organization);
}

/**
 * Registrations not (yet) approved are between the registrant and the community's staff; every other organization is
 * public.
 */
export function canSeeOrganization(
  caller: Caller | null,
  organization: OrganizationScope & { status: string; registeredBy: string },
): boolean {
  if (organization.status !== 'PENDING_APPROVAL' && organization.status !== 'REJECTED') return true;
  if (!caller) return false;
  return caller.userId === organization.registeredBy || isStaffOf(caller, organization);
}
