import { z } from 'zod';
import { defineEvent, type EventDefinition } from './event-definition';

/**
 * Every event of the system, in one place. A payload change that is not backwards compatible is a new version (a new
 * topic); additive optional fields are not. Public events carry ids and facts only: no phone numbers, real names or
 * addresses.
 */
const id = () => z.uuid();
const timestamp = () => z.iso.datetime({ offset: true });
const role = z.enum(['RESIDENT', 'COMMUNITY_WORKER', 'COMMITTEE', 'ADMIN']);
const tier = z.enum(['VOLUNTEER', 'ACTIVIST', 'BACKBONE', 'LEADER']);
const membershipRole = z.enum(['MEMBER', 'ACTIVIST', 'BACKBONE', 'LEADER']);
const fen = () => z.number().int().describe('amount in fen (分), 1 yuan = 100 fen');

// identity ---------------------------------------------------------------------------------------------------------

export const UserRegistered = defineEvent({
  type: 'identity.user.registered',
  version: 1,
  producer: 'identity',
  visibility: 'public',
  description: 'A resident registered in a community.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({ userId: id(), communityId: id(), registeredAt: timestamp() }),
});

export const UserRolesChanged = defineEvent({
  type: 'identity.user.roles-changed',
  version: 1,
  producer: 'identity',
  visibility: 'internal',
  description: 'A committee member or admin granted or revoked a role.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    userId: id(),
    communityId: id(),
    roles: z.array(role).describe('roles after the change'),
    role,
    action: z.enum(['GRANTED', 'REVOKED']),
    changedBy: id(),
    changedAt: timestamp(),
  }),
});

// volunteering -----------------------------------------------------------------------------------------------------

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

export const PointsDebited = defineEvent({
  type: 'points.debited',
  version: 1,
  producer: 'volunteering',
  visibility: 'internal',
  description: 'Points were taken from a resident’s balance to pay an order.',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: z.object({
    orderId: id(),
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
  description: 'An order could not be paid in points.',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: z.object({
    orderId: id(),
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
  description: 'Points debited for an order were given back after it was cancelled.',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: z.object({
    orderId: id(),
    entryId: id(),
    userId: id(),
    communityId: id(),
    points: z.number().int().positive(),
    refundedAt: timestamp(),
  }),
});

// organizations ----------------------------------------------------------------------------------------------------

export const OrganizationApproved = defineEvent({
  type: 'organizations.organization.approved',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description: 'The committee approved a community social organization.',
  keyDescription: 'organizationId',
  key: (p) => p.organizationId,
  schema: z.object({
    organizationId: id(),
    communityId: id(),
    name: z.string().describe('the organization’s public name, e.g. 桃源居志愿者服务队'),
    kind: z.string(),
    approvedBy: id(),
    approvedAt: timestamp(),
  }),
});

export const OrganizationStatusChanged = defineEvent({
  type: 'organizations.organization.status-changed',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description:
    'An organization’s status changed (approved, rejected, suspended, reinstated, dissolved). While it is not ACTIVE its backbones and leaders organize nothing.',
  keyDescription: 'organizationId',
  key: (p) => p.organizationId,
  schema: z.object({
    organizationId: id(),
    communityId: id(),
    fromStatus: z.enum(['PENDING_APPROVAL', 'ACTIVE', 'SUSPENDED', 'DISSOLVED', 'REJECTED']),
    toStatus: z.enum(['PENDING_APPROVAL', 'ACTIVE', 'SUSPENDED', 'DISSOLVED', 'REJECTED']),
    changedBy: id(),
    changedAt: timestamp(),
  }),
});

export const MemberJoined = defineEvent({
  type: 'organizations.member.joined',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description: 'A resident became an active member of an organization.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    membershipId: id(),
    organizationId: id(),
    userId: id(),
    communityId: id(),
    role: membershipRole,
    joinedAt: timestamp(),
  }),
});

export const MemberLeft = defineEvent({
  type: 'organizations.member.left',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description: 'A membership ended: the resident left or was removed.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    membershipId: id(),
    organizationId: id(),
    userId: id(),
    communityId: id(),
    reason: z.enum(['LEFT', 'REMOVED']),
    leftAt: timestamp(),
  }),
});

export const MemberPromoted = defineEvent({
  type: 'organizations.member.promoted',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description: 'A member moved up the ladder (MEMBER → ACTIVIST → BACKBONE → LEADER).',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    membershipId: id(),
    organizationId: id(),
    userId: id(),
    communityId: id(),
    fromRole: membershipRole,
    toRole: membershipRole,
    decidedBy: id(),
    decidedAt: timestamp(),
  }),
});

// marketplace ------------------------------------------------------------------------------------------------------

const payment = z.enum(['POINTS', 'CASH', 'FREE']);

export const OrderPlaced = defineEvent({
  type: 'marketplace.order.placed',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description: 'A resident ordered a service; paid in points it starts the debit saga.',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: z.object({
    orderId: id(),
    offeringId: id(),
    providerId: id(),
    userId: id(),
    communityId: id(),
    payment,
    pricePoints: z.number().int().nonnegative(),
    priceFen: fen(),
    placedAt: timestamp(),
  }),
});

const orderFact = (verb: string) =>
  z.object({ orderId: id(), userId: id(), communityId: id(), at: timestamp().describe(`when it was ${verb}`) });

export const OrderConfirmed = defineEvent({
  type: 'marketplace.order.confirmed',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description: 'An order was paid (or needed no payment) and is confirmed.',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: orderFact('confirmed'),
});

export const OrderCompleted = defineEvent({
  type: 'marketplace.order.completed',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description: 'The resident confirmed delivery of the service.',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: orderFact('completed'),
});

export const OrderCancelled = defineEvent({
  type: 'marketplace.order.cancelled',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description: 'An order was cancelled; points already debited are refunded.',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: orderFact('cancelled').extend({ reason: z.string(), pointsDebited: z.boolean() }),
});

export const NeedFulfilled = defineEvent({
  type: 'marketplace.need.fulfilled',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description: 'A neighbour fulfilled a mutual-aid need; the helper may earn points.',
  keyDescription: 'needId',
  key: (p) => p.needId,
  schema: z.object({
    needId: id(),
    communityId: id(),
    postedBy: id(),
    fulfilledBy: id(),
    rewardPoints: z.number().int().nonnegative(),
    fulfilledAt: timestamp(),
  }),
});

export const MarketplaceIncomeRecorded = defineEvent({
  type: 'marketplace.income.recorded',
  version: 1,
  producer: 'marketplace',
  visibility: 'public',
  description: 'Income from a community service business; it may only be spent on public welfare and workers’ pay.',
  keyDescription: 'incomeId',
  key: (p) => p.incomeId,
  schema: z.object({
    incomeId: id(),
    communityId: id(),
    orderId: id().nullable(),
    providerId: id(),
    amountFen: fen(),
    category: z.string(),
    recordedAt: timestamp(),
  }),
});

// assets -----------------------------------------------------------------------------------------------------------

export const BookingConfirmed = defineEvent({
  type: 'assets.booking.confirmed',
  version: 1,
  producer: 'assets',
  visibility: 'internal',
  description: 'A facility booking was confirmed.',
  keyDescription: 'facilityId',
  key: (p) => p.facilityId,
  schema: z.object({
    bookingId: id(),
    facilityId: id(),
    userId: id(),
    communityId: id(),
    startsAt: timestamp(),
    endsAt: timestamp(),
  }),
});

const ledgerFact = {
  entryId: id(),
  communityId: id(),
  fundId: id(),
  amountFen: fen(),
  category: z.string(),
  approvedBy: id(),
  recordedAt: timestamp(),
};

export const AssetsIncomeRecorded = defineEvent({
  type: 'assets.income.recorded',
  version: 1,
  producer: 'assets',
  visibility: 'public',
  description: 'Money came into a community fund.',
  keyDescription: 'fundId',
  key: (p) => p.fundId,
  schema: z.object(ledgerFact),
});

export const ExpenseRecorded = defineEvent({
  type: 'assets.expense.recorded',
  version: 1,
  producer: 'assets',
  visibility: 'public',
  description: 'Money went out of a community fund, within its restriction.',
  keyDescription: 'fundId',
  key: (p) => p.fundId,
  schema: z.object(ledgerFact),
});

export const DonationReceived = defineEvent({
  type: 'assets.donation.received',
  version: 1,
  producer: 'assets',
  visibility: 'public',
  description: 'A donation to a campaign (the donor is not named in public).',
  keyDescription: 'campaignId',
  key: (p) => p.campaignId,
  schema: z.object({
    donationId: id(),
    campaignId: id(),
    communityId: id(),
    amountFen: fen(),
    receivedAt: timestamp(),
  }),
});

export const CATALOGUE: readonly EventDefinition[] = [
  UserRegistered,
  UserRolesChanged,
  OpportunityPublished,
  SignUpCancelled,
  AttendanceVerified,
  PointsAwarded,
  TierReached,
  PointsDebited,
  PointsDebitRejected,
  PointsRefunded,
  OrganizationApproved,
  OrganizationStatusChanged,
  MemberJoined,
  MemberLeft,
  MemberPromoted,
  OrderPlaced,
  OrderConfirmed,
  OrderCompleted,
  OrderCancelled,
  NeedFulfilled,
  MarketplaceIncomeRecorded,
  BookingConfirmed,
  AssetsIncomeRecorded,
  ExpenseRecorded,
  DonationReceived,
];

export const PUBLIC_EVENTS = CATALOGUE.filter((definition) => definition.visibility === 'public');

export function definitionForTopic(topic: string): EventDefinition | undefined {
  return CATALOGUE.find((definition) => definition.topic === topic);
}
