/** The words of the volunteering domain, shared by the database, the domain rules and the GraphQL schema. */

export enum OpportunityCategory {
  ELDERLY_CARE = 'ELDERLY_CARE',
  CHILD_CARE = 'CHILD_CARE',
  EDUCATION = 'EDUCATION',
  ENVIRONMENT = 'ENVIRONMENT',
  SAFETY_PATROL = 'SAFETY_PATROL',
  CULTURE = 'CULTURE',
  HEALTH = 'HEALTH',
  MUTUAL_AID = 'MUTUAL_AID',
  OTHER = 'OTHER',
}

export enum OpportunityStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export enum SignUpStatus {
  SIGNED_UP = 'SIGNED_UP',
  WAITLISTED = 'WAITLISTED',
  CANCELLED = 'CANCELLED',
  CHECKED_IN = 'CHECKED_IN',
  CHECKED_OUT = 'CHECKED_OUT',
  VERIFIED = 'VERIFIED',
  NO_SHOW = 'NO_SHOW',
}

/** Sign-ups holding a place on the shift (counted against capacity). */
export const PLACE_HOLDING_STATUSES: readonly SignUpStatus[] = [
  SignUpStatus.SIGNED_UP,
  SignUpStatus.CHECKED_IN,
  SignUpStatus.CHECKED_OUT,
  SignUpStatus.VERIFIED,
  SignUpStatus.NO_SHOW,
];

/** Sign-ups that still commit the volunteer's time (they block an overlapping sign-up). */
export const TIME_HOLDING_STATUSES: readonly SignUpStatus[] = [
  SignUpStatus.SIGNED_UP,
  SignUpStatus.WAITLISTED,
  SignUpStatus.CHECKED_IN,
  SignUpStatus.CHECKED_OUT,
  SignUpStatus.VERIFIED,
];

export type SignUpCancelReason = 'VOLUNTEER_CANCELLED' | 'OPPORTUNITY_CANCELLED';

export enum Tier {
  VOLUNTEER = 'VOLUNTEER',
  ACTIVIST = 'ACTIVIST',
  BACKBONE = 'BACKBONE',
  LEADER = 'LEADER',
}

/** Lowest first. */
export const TIER_ORDER: readonly Tier[] = [Tier.VOLUNTEER, Tier.ACTIVIST, Tier.BACKBONE, Tier.LEADER];

export function tierRank(tier: Tier): number {
  return TIER_ORDER.indexOf(tier);
}

export enum PointsEntryKind {
  EARNED_VOLUNTEERING = 'EARNED_VOLUNTEERING',
  EARNED_SERVICE = 'EARNED_SERVICE',
  BONUS = 'BONUS',
  REDEEMED = 'REDEEMED',
  REFUNDED = 'REFUNDED',
  REVERSAL = 'REVERSAL',
}

export type EarningKind = PointsEntryKind.EARNED_VOLUNTEERING | PointsEntryKind.EARNED_SERVICE | PointsEntryKind.BONUS;

export const EARNING_KINDS: readonly PointsEntryKind[] = [
  PointsEntryKind.EARNED_VOLUNTEERING,
  PointsEntryKind.EARNED_SERVICE,
  PointsEntryKind.BONUS,
];

export enum LeaderboardPeriod {
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
  ALL = 'ALL',
}

/** Calendar days, weeks and years of the points system are counted in China Standard Time. */
export const POINTS_TIME_ZONE = 'Asia/Shanghai';
