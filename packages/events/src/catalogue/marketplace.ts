import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../event-definition';
import { id, timestamp, fen } from './fields';

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

export const MARKETPLACE_EVENTS: readonly EventDefinition[] = [
  OrderPlaced,
  OrderConfirmed,
  OrderCompleted,
  OrderCancelled,
  NeedFulfilled,
  MarketplaceIncomeRecorded,
];
