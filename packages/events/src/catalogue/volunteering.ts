import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../event-definition';
import { id, timestamp, tier } from './fields';

const category = z.enum([
  'ELDERLY_CARE',
  'CHILD_CARE',
  'EDUCATION',
  'ENVIRONMENT',
  'SAFETY_PATROL',
  'CULTURE',
  'HEALTH',
  'MUTUAL_AID',
  'OTHER',
]);

export const OpportunityPublished = defineEvent({
  type: 'volunteering.opportunity.published',
  version: 1,
  producer: 'volunteering',
  visibility: 'public',
  description: 'A volunteer opportunity was published and residents may sign up for its shifts.',
  keyDescription: 'opportunityId',
  key: (p) => p.opportunityId,
  schema: z.object({
    opportunityId: id(),
    communityId: id(),
    organizationId: id().nullable(),
    category,
    publishedAt: timestamp(),
  }),
});

export const SignUpCancelled = defineEvent({
  type: 'volunteering.signup.cancelled',
  version: 1,
  producer: 'volunteering',
  visibility: 'internal',
  description: 'A volunteer’s sign-up ended: they cancelled, or the opportunity was cancelled (notify them).',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    signUpId: id(),
    shiftId: id(),
    opportunityId: id(),
    userId: id(),
    communityId: id(),
    reason: z.enum(['VOLUNTEER_CANCELLED', 'OPPORTUNITY_CANCELLED']),
    cancelledAt: timestamp(),
  }),
});

export const SignUpConfirmed = defineEvent({
  type: 'volunteering.signup.confirmed',
  version: 1,
  producer: 'volunteering',
  visibility: 'internal',
  description:
    'A volunteer holds a place on a shift: at sign-up when a place was free, or moved up from the waitlist when one freed (notify them).',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    signUpId: id(),
    shiftId: id(),
    opportunityId: id(),
    userId: id(),
    communityId: id(),
    fromWaitlist: z.boolean().describe('true when the volunteer was waitlisted and moved up into a freed place'),
    confirmedAt: timestamp(),
  }),
});

export const AttendanceVerified = defineEvent({
  type: 'volunteering.attendance.verified',
  version: 1,
  producer: 'volunteering',
  visibility: 'public',
  description: 'An organizer confirmed a volunteer’s hours on a shift.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    attendanceId: id(),
    signUpId: id(),
    shiftId: id(),
    opportunityId: id(),
    userId: id(),
    communityId: id(),
    category,
    hours: z.number().positive(),
    verifiedBy: id(),
    verifiedAt: timestamp(),
  }),
});

export const PointsAwarded = defineEvent({
  type: 'points.awarded',
  version: 1,
  producer: 'volunteering',
  visibility: 'public',
  description: 'Public-welfare points (公益积分) were credited to a resident.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    entryId: id(),
    userId: id(),
    communityId: id(),
    points: z.number().int().positive(),
    kind: z.enum(['EARNED_VOLUNTEERING', 'EARNED_SERVICE', 'BONUS']),
    sourceType: z.string(),
    sourceId: z.string(),
    lifetimeEarned: z.number().int().nonnegative(),
    awardedAt: timestamp(),
  }),
});

export const TierReached = defineEvent({
  type: 'points.tier-reached',
  version: 1,
  producer: 'volunteering',
  visibility: 'public',
  description: 'A resident’s lifetime points crossed a tier threshold (once per tier per resident).',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    userId: id(),
    communityId: id(),
    tier,
    lifetimeEarned: z.number().int().nonnegative(),
    reachedAt: timestamp(),
  }),
});

/**
 * What a points debit, refund or rejection is for: a marketplace order paid in points, or the reward a resident
 * escrows when posting a need. With sourceId it is the saga's correlation key (and the Kafka key).
 */
const pointsSource = {
  sourceType: z.enum(['ORDER', 'NEED']).describe('ORDER: a marketplace order; NEED: a needs-board reward escrow'),
  sourceId: id().describe('the order or need id'),
};

export const PointsDebited = defineEvent({
  type: 'points.debited',
  version: 1,
  producer: 'volunteering',
  visibility: 'internal',
  description:
    'Points were taken from a resident’s spendable balance (lifetime earned and tier untouched) to pay an order or escrow a need’s reward; at most once per source.',
  keyDescription: 'sourceId',
  key: (p) => p.sourceId,
  schema: z.object({
    ...pointsSource,
    entryId: id(),
    userId: id(),
    communityId: id(),
    points: z.number().int().positive(),
    balance: z.number().int().nonnegative(),
    debitedAt: timestamp(),
  }),
});

export const PointsDebitRejected = defineEvent({
  type: 'points.debit-rejected',
  version: 1,
  producer: 'volunteering',
  visibility: 'internal',
  description: 'An order or a need’s reward could not be paid in points; nothing was taken.',
  keyDescription: 'sourceId',
  key: (p) => p.sourceId,
  schema: z.object({
    ...pointsSource,
    userId: id(),
    communityId: id(),
    points: z.number().int().positive(),
    reason: z.enum(['INSUFFICIENT_POINTS', 'NO_ACCOUNT']),
    rejectedAt: timestamp(),
  }),
});

export const PointsRefunded = defineEvent({
  type: 'points.refunded',
  version: 1,
  producer: 'volunteering',
  visibility: 'internal',
  description:
    'Points debited for a cancelled order, or escrowed for a cancelled or expired need, were given back (once per source).',
  keyDescription: 'sourceId',
  key: (p) => p.sourceId,
  schema: z.object({
    ...pointsSource,
    entryId: id(),
    userId: id(),
    communityId: id(),
    points: z.number().int().positive(),
    refundedAt: timestamp(),
  }),
});

export const VOLUNTEERING_EVENTS: readonly EventDefinition[] = [
  OpportunityPublished,
  SignUpConfirmed,
  SignUpCancelled,
  AttendanceVerified,
  PointsAwarded,
  TierReached,
  PointsDebited,
  PointsDebitRejected,
  PointsRefunded,
];
