/**
 * The talent ladder (人才阶梯), as pure functions: which role a points tier allows, and which single step a member may
 * be offered next. Everything that raises or approves a promotion asks these, so the rule lives in one place.
 */
export enum MembershipRole {
  MEMBER = 'MEMBER',
  ACTIVIST = 'ACTIVIST',
  BACKBONE = 'BACKBONE',
  LEADER = 'LEADER',
}

/** PENDING → ACTIVE → LEFT / REMOVED; PENDING → REJECTED (or LEFT when the applicant withdraws). */
export enum MembershipStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  LEFT = 'LEFT',
  REMOVED = 'REMOVED',
  REJECTED = 'REJECTED',
}

export enum PromotionStatus {
  ELIGIBLE = 'ELIGIBLE',
  APPROVED = 'APPROVED',
  DECLINED = 'DECLINED',
  /** Closed without a decision: the membership ended while the candidate was open. */
  SUPERSEDED = 'SUPERSEDED',
}

/** volunteering's points tiers (points.tier-reached); VOLUNTEER is where everyone starts. */
export type Tier = 'VOLUNTEER' | 'ACTIVIST' | 'BACKBONE' | 'LEADER';

const ROLE_ORDER: readonly MembershipRole[] = [
  MembershipRole.MEMBER,
  MembershipRole.ACTIVIST,
  MembershipRole.BACKBONE,
  MembershipRole.LEADER,
];

const TIER_ORDER: readonly Tier[] = ['VOLUNTEER', 'ACTIVIST', 'BACKBONE', 'LEADER'];

export function roleRank(role: MembershipRole): number {
  return ROLE_ORDER.indexOf(role);
}

export function tierRank(tier: Tier): number {
  return TIER_ORDER.indexOf(tier);
}

/** The role directly above, or null at the top. */
export function nextRole(role: MembershipRole): MembershipRole | null {
  return ROLE_ORDER[roleRank(role) + 1] ?? null;
}

/** The highest membership role a tier makes a resident eligible for. */
export function highestRoleForTier(tier: Tier): MembershipRole {
  switch (tier) {
    case 'VOLUNTEER':
      return MembershipRole.MEMBER;
    case 'ACTIVIST':
      return MembershipRole.ACTIVIST;
    case 'BACKBONE':
      return MembershipRole.BACKBONE;
    case 'LEADER':
      return MembershipRole.LEADER;
  }
}

/**
 * The promotion to offer a member holding `current` with `tier`: always the very next role (no step is skipped), and
 * only if the tier allows it; null when there is nothing to offer.
 */
export function promotionTarget(current: MembershipRole, tier: Tier): MembershipRole | null {
  const next = nextRole(current);
  if (next === null) return null;
  return roleRank(next) <= roleRank(highestRoleForTier(tier)) ? next : null;
}
