import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../event-definition';
import { fen, id, timestamp } from './fields';

/** What a service offering (or a need) is about; the vocabulary of the marketplace subgraph's ServiceCategory. */
export const serviceCategory = z.enum([
  'ELDERLY_CARE',
  'MEAL',
  'CHILD_CARE',
  'LEARNING',
  'HEALTH',
  'REPAIRS',
  'HOUSEKEEPING',
  'LEGAL_AID',
  'CULTURE',
  'MUTUAL_AID',
  'OTHER',
]);

const providerKind = z.enum(['GOVERNMENT', 'ENTERPRISE', 'SOCIAL_ORGANIZATION', 'RESIDENT']);
const targetGroup = z.enum(['ELDERLY_ALONE', 'CHILDREN', 'FAMILIES_IN_NEED', 'EVERYONE']);
const payment = z.enum(['POINTS', 'CASH', 'FREE']);

export const OrderPlaced = defineEvent({
  type: 'marketplace.order.placed',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description:
    'A resident ordered a service. Paid in points it starts the debit saga: volunteering answers points.debited or points.debit-rejected (sourceType ORDER, sourceId = orderId).',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: z.object({
    orderId: id(),
    offeringId: id(),
    providerId: id(),
    userId: id(),
    communityId: id(),
    payment,
    pricePoints: z.number().int().nonnegative().describe('points to debit for the whole order (0 unless POINTS)'),
    priceFen: fen().describe('amount for the whole order (0 unless CASH)'),
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
  description: 'The resident confirmed delivery of the service, or it was completed 7 days after delivery.',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: orderFact('completed'),
});

export const OrderCancelled = defineEvent({
  type: 'marketplace.order.cancelled',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description:
    'An order was cancelled (by the buyer, declined by the provider, unpaid in time, or paid too late). volunteering refunds the points it debited for the order, once, whatever the event says about amounts.',
  keyDescription: 'orderId',
  key: (p) => p.orderId,
  schema: orderFact('cancelled').extend({
    reason: z.enum(['BUYER_CANCELLED', 'PROVIDER_DECLINED', 'PAYMENT_TIMEOUT', 'INSUFFICIENT_POINTS', 'LATE_DEBIT']),
    pointsDebited: z.boolean().describe('whether marketplace has seen the debit; volunteering checks its own ledger'),
  }),
});

export const NeedPosted = defineEvent({
  type: 'marketplace.need.posted',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description:
    'A resident posted a need on the mutual-aid board (邻里互助). A reward in points is escrowed from their balance (points.debited, sourceType NEED) before the need opens.',
  keyDescription: 'needId',
  key: (p) => p.needId,
  schema: z.object({
    needId: id(),
    communityId: id(),
    postedBy: id(),
    category: serviceCategory,
    rewardPoints: z.number().int().min(0).max(200),
    neededBy: timestamp(),
    postedAt: timestamp(),
  }),
});

export const NeedFulfilled = defineEvent({
  type: 'marketplace.need.fulfilled',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description: 'The poster confirmed a neighbour fulfilled their need; volunteering pays the helper the escrow, once.',
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

export const NeedCancelled = defineEvent({
  type: 'marketplace.need.cancelled',
  version: 1,
  producer: 'marketplace',
  visibility: 'internal',
  description:
    'A need was cancelled by its poster, expired after its neededBy, or its escrow was rejected; volunteering refunds an escrow it holds, once.',
  keyDescription: 'needId',
  key: (p) => p.needId,
  schema: z.object({
    needId: id(),
    communityId: id(),
    postedBy: id(),
    reason: z.enum(['POSTER_CANCELLED', 'EXPIRED', 'ESCROW_REJECTED', 'LATE_ESCROW']),
    cancelledAt: timestamp(),
  }),
});

export const MarketplaceIncomeRecorded = defineEvent({
  type: 'marketplace.income.recorded',
  version: 1,
  producer: 'marketplace',
  visibility: 'public',
  description:
    'Income of a community service business (社区兴办的社区服务业): a completed, paid cash order of a communityOwned provider. It may only be spent on public welfare and workers’ pay.',
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

export const ProviderVerified = defineEvent({
  type: 'marketplace.provider.verified',
  version: 1,
  producer: 'marketplace',
  visibility: 'public',
  description:
    'Community staff verified a service provider. No personal data: a resident provider is named by its provider id only.',
  keyDescription: 'providerId',
  key: (p) => p.providerId,
  schema: z.object({
    providerId: id(),
    communityId: id(),
    kind: providerKind,
    organizationId: id().nullable(),
    communityOwned: z.boolean(),
    verifiedAt: timestamp(),
  }),
});

export const OfferingPublished = defineEvent({
  type: 'marketplace.offering.published',
  version: 1,
  producer: 'marketplace',
  visibility: 'public',
  description: 'A verified provider published a service offering in its community’s catalogue.',
  keyDescription: 'offeringId',
  key: (p) => p.offeringId,
  schema: z.object({
    offeringId: id(),
    providerId: id(),
    communityId: id(),
    category: serviceCategory,
    targetGroups: z.array(targetGroup),
    free: z.boolean(),
    pricePoints: z.number().int().positive().nullable(),
    priceFen: fen().nullable(),
    publishedAt: timestamp(),
  }),
});

export const MARKETPLACE_EVENTS: readonly EventDefinition[] = [
  OrderPlaced,
  OrderConfirmed,
  OrderCompleted,
  OrderCancelled,
  NeedPosted,
  NeedFulfilled,
  NeedCancelled,
  MarketplaceIncomeRecorded,
  ProviderVerified,
  OfferingPublished,
];
