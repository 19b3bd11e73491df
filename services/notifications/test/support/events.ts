import { randomUUID } from 'node:crypto';
import {
  BookingConfirmed,
  MemberPromoted,
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  PointsAwarded,
  PromotionCandidateRaised,
  PromotionDeclined,
  SignUpConfirmed,
  TierReached,
  type EventDefinition,
} from '@taoyuan/events';
import { COMMUNITY_ID } from './start-notifications';

export interface ResidentFact {
  definition: EventDefinition;
  payload: Record<string, unknown>;
  /** The notification kind it must produce. */
  kind: string;
}

const now = () => new Date().toISOString();

/** One fact of every kind a resident hears about, each concerning `userId`, as their producers publish them. */
export function everyResidentFact(userId: string): ResidentFact[] {
  const organizationId = randomUUID();
  const membershipId = randomUUID();
  const opportunity = { signUpId: randomUUID(), shiftId: randomUUID(), opportunityId: randomUUID() };
  const order = (at = now()) => ({ orderId: randomUUID(), userId, communityId: COMMUNITY_ID, at });
  const decider = randomUUID();
  return [
    {
      definition: SignUpConfirmed,
      kind: 'SIGN_UP_CONFIRMED',
      payload: { ...opportunity, userId, communityId: COMMUNITY_ID, fromWaitlist: false, confirmedAt: now() },
    },
    {
      definition: SignUpConfirmed,
      kind: 'SIGN_UP_MOVED_FROM_WAITLIST',
      payload: {
        signUpId: randomUUID(),
        shiftId: randomUUID(),
        opportunityId: randomUUID(),
        userId,
        communityId: COMMUNITY_ID,
        fromWaitlist: true,
        confirmedAt: now(),
      },
    },
    {
      definition: PointsAwarded,
      kind: 'POINTS_AWARDED',
      payload: {
        entryId: randomUUID(),
        userId,
        communityId: COMMUNITY_ID,
        points: 30,
        kind: 'EARNED_VOLUNTEERING',
        sourceType: 'ATTENDANCE',
        sourceId: randomUUID(),
        lifetimeEarned: 120,
        awardedAt: now(),
      },
    },
    {
      definition: TierReached,
      kind: 'TIER_REACHED',
      payload: { userId, communityId: COMMUNITY_ID, tier: 'ACTIVIST', lifetimeEarned: 120, reachedAt: now() },
    },
    {
      definition: PromotionCandidateRaised,
      kind: 'PROMOTION_CANDIDATE',
      payload: {
        candidateId: randomUUID(),
        membershipId,
        organizationId,
        userId,
        communityId: COMMUNITY_ID,
        fromRole: 'MEMBER',
        targetRole: 'ACTIVIST',
        raisedAt: now(),
      },
    },
    {
      definition: MemberPromoted,
      kind: 'PROMOTION_APPROVED',
      payload: {
        membershipId,
        organizationId,
        userId,
        communityId: COMMUNITY_ID,
        fromRole: 'MEMBER',
        toRole: 'ACTIVIST',
        decidedBy: decider,
        decidedAt: now(),
        membershipVersion: 2,
      },
    },
    {
      definition: PromotionDeclined,
      kind: 'PROMOTION_DECLINED',
      payload: {
        candidateId: randomUUID(),
        membershipId,
        organizationId,
        userId,
        communityId: COMMUNITY_ID,
        targetRole: 'BACKBONE',
        decidedBy: decider,
        decidedAt: now(),
      },
    },
    { definition: OrderConfirmed, kind: 'ORDER_CONFIRMED', payload: order() },
    {
      definition: OrderCancelled,
      kind: 'ORDER_CANCELLED',
      payload: { ...order(), reason: 'PROVIDER_DECLINED', pointsDebited: true },
    },
    { definition: OrderCompleted, kind: 'ORDER_COMPLETED', payload: order() },
    {
      definition: BookingConfirmed,
      kind: 'BOOKING_CONFIRMED',
      payload: {
        bookingId: randomUUID(),
        facilityId: randomUUID(),
        communityId: COMMUNITY_ID,
        organizationId: null,
        startsAt: '2026-12-05T06:00:00.000Z',
        endsAt: '2026-12-05T08:00:00.000Z',
        userId,
      },
    },
  ];
}
