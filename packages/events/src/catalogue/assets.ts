import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../event-definition';
import { id, timestamp, fen } from './fields';

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

export const ASSETS_EVENTS: readonly EventDefinition[] = [
  BookingConfirmed,
  AssetsIncomeRecorded,
  ExpenseRecorded,
  DonationReceived,
];
