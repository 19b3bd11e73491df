import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../event-definition';
import { id, timestamp, fen } from './fields';

const bookingFact = {
  bookingId: id(),
  facilityId: id(),
  communityId: id(),
  organizationId: id().nullable().describe('the organization booked for, if any'),
  startsAt: timestamp(),
  endsAt: timestamp(),
};

export const BookingConfirmed = defineEvent({
  type: 'assets.booking.confirmed',
  version: 1,
  producer: 'assets',
  visibility: 'internal',
  description: 'A facility booking was confirmed (at once, or when staff approved it).',
  keyDescription: 'facilityId',
  key: (p) => p.facilityId,
  schema: z.object({ ...bookingFact, userId: id().describe('who booked') }),
});

export const BookingCancelled = defineEvent({
  type: 'assets.booking.cancelled',
  version: 1,
  producer: 'assets',
  visibility: 'internal',
  description: 'A confirmed or pending booking was cancelled by its booker or by staff; the slot is free again.',
  keyDescription: 'facilityId',
  key: (p) => p.facilityId,
  schema: z.object({
    ...bookingFact,
    userId: id().describe('who booked'),
    cancelledBy: id(),
    reason: z.string(),
    refundedFen: fen().describe('a paid fee taken back out of the fund by a reversing entry; 0 if none was paid'),
    cancelledAt: timestamp(),
  }),
});

const ledgerFact = {
  entryId: id(),
  communityId: id(),
  fundId: id(),
  fundKind: z.enum(['UNRESTRICTED', 'PUBLIC_WELFARE', 'DESIGNATED']),
  amountFen: fen(),
  category: z.string(),
  approvedBy: id().nullable().describe('the staff member who approved it; null for income recorded automatically'),
  occurredAt: timestamp(),
  recordedAt: timestamp(),
};

export const AssetsIncomeRecorded = defineEvent({
  type: 'assets.income.recorded',
  version: 1,
  producer: 'assets',
  visibility: 'public',
  description: 'Money came into a community fund (a facility fee, service-business income, a grant, a donation).',
  keyDescription: 'fundId',
  key: (p) => p.fundId,
  schema: z.object(ledgerFact),
});

export const ExpenseRecorded = defineEvent({
  type: 'assets.expense.recorded',
  version: 1,
  producer: 'assets',
  visibility: 'public',
  description:
    'Money went out of a community fund, within its restriction (an approved expense, or a reversal of earlier income).',
  keyDescription: 'fundId',
  key: (p) => p.fundId,
  schema: z.object(ledgerFact),
});

export const DonationReceived = defineEvent({
  type: 'assets.donation.received',
  version: 1,
  producer: 'assets',
  visibility: 'public',
  description: 'Staff confirmed a donation to a campaign: the amount only, never the donor.',
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

export const CampaignOpened = defineEvent({
  type: 'assets.campaign.opened',
  version: 1,
  producer: 'assets',
  visibility: 'public',
  description:
    'A fund-raising campaign was approved (by household vote or by the committee) and its designated fund opened.',
  keyDescription: 'campaignId',
  key: (p) => p.campaignId,
  schema: z.object({
    campaignId: id(),
    communityId: id(),
    fundId: id(),
    title: z.string().describe('the campaign’s public title, e.g. 为独居老人安装紧急呼叫器'),
    goalFen: fen(),
    decidedBy: z.enum(['HOUSEHOLD_VOTE', 'COMMITTEE']),
    opensAt: timestamp(),
    closesAt: timestamp(),
  }),
});

export const CampaignClosed = defineEvent({
  type: 'assets.campaign.closed',
  version: 1,
  producer: 'assets',
  visibility: 'public',
  description: 'A campaign stopped taking donations (or its vote or approval failed): what it raised against its goal.',
  keyDescription: 'campaignId',
  key: (p) => p.campaignId,
  schema: z.object({
    campaignId: id(),
    communityId: id(),
    outcome: z.enum(['CLOSED', 'REJECTED']),
    goalFen: fen(),
    raisedFen: fen(),
    closedAt: timestamp(),
  }),
});

export const ASSETS_EVENTS: readonly EventDefinition[] = [
  BookingConfirmed,
  BookingCancelled,
  AssetsIncomeRecorded,
  ExpenseRecorded,
  DonationReceived,
  CampaignOpened,
  CampaignClosed,
];
