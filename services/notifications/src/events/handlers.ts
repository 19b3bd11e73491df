import {
  BookingConfirmed,
  MemberPromoted,
  on,
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  PointsAwarded,
  PromotionCandidateRaised,
  PromotionDeclined,
  SignUpConfirmed,
  TierReached,
  type EventDefinition,
  type EventHandler,
  type PayloadOf,
} from '@taoyuan/events';
import type { NotificationService } from '../domain/notification.service';
import { NotificationKind, type NotificationParameters } from '../domain/vocabulary';

/** Whom a notification is for: every event handled here names its resident and community. */
interface Recipient {
  userId: string;
  communityId: string;
}

/**
 * Every event that tells a resident something about themselves, and only those: the recipient is the payload's
 * `userId`, never anyone the event merely names (an organizer, a decider). The shared consumer has already refused
 * an event from any producer but its catalogue one, and its inbox makes a redelivery a no-op.
 */
export function notificationHandlers(notifications: NotificationService): EventHandler[] {
  /** One event type → one notification for the payload's resident, its kind and parameters read off the payload. */
  const notify = <Definition extends EventDefinition>(
    definition: Definition,
    describe: (payload: PayloadOf<Definition> & Recipient) => {
      kind: NotificationKind;
      parameters: NotificationParameters;
    },
  ): EventHandler =>
    on(definition, async ({ payload, envelope }, manager) => {
      const resident = payload as PayloadOf<Definition> & Recipient;
      await notifications.record(manager, {
        recipientId: resident.userId,
        communityId: resident.communityId,
        ...describe(resident),
        sourceEventId: envelope.id,
      });
    });

  return [
    notify(SignUpConfirmed, (p) => ({
      kind: p.fromWaitlist ? NotificationKind.SIGN_UP_MOVED_FROM_WAITLIST : NotificationKind.SIGN_UP_CONFIRMED,
      parameters: { opportunityId: p.opportunityId, shiftId: p.shiftId, signUpId: p.signUpId },
    })),
    notify(PointsAwarded, (p) => ({
      kind: NotificationKind.POINTS_AWARDED,
      parameters: { points: p.points, pointsKind: p.kind, lifetimeEarned: p.lifetimeEarned },
    })),
    notify(TierReached, (p) => ({
      kind: NotificationKind.TIER_REACHED,
      parameters: { tier: p.tier, lifetimeEarned: p.lifetimeEarned },
    })),
    notify(PromotionCandidateRaised, (p) => ({
      kind: NotificationKind.PROMOTION_CANDIDATE,
      parameters: { organizationId: p.organizationId, fromRole: p.fromRole, toRole: p.targetRole },
    })),
    notify(MemberPromoted, (p) => ({
      kind: NotificationKind.PROMOTION_APPROVED,
      parameters: { organizationId: p.organizationId, fromRole: p.fromRole, toRole: p.toRole },
    })),
    notify(PromotionDeclined, (p) => ({
      kind: NotificationKind.PROMOTION_DECLINED,
      parameters: { organizationId: p.organizationId, toRole: p.targetRole },
    })),
    notify(OrderConfirmed, (p) => ({ kind: NotificationKind.ORDER_CONFIRMED, parameters: { orderId: p.orderId } })),
    notify(OrderCancelled, (p) => ({
      kind: NotificationKind.ORDER_CANCELLED,
      parameters: { orderId: p.orderId, cancelReason: p.reason },
    })),
    notify(OrderCompleted, (p) => ({ kind: NotificationKind.ORDER_COMPLETED, parameters: { orderId: p.orderId } })),
    notify(BookingConfirmed, (p) => ({
      kind: NotificationKind.BOOKING_CONFIRMED,
      parameters: {
        bookingId: p.bookingId,
        facilityId: p.facilityId,
        ...(p.organizationId ? { organizationId: p.organizationId } : {}),
        startsAt: p.startsAt,
        endsAt: p.endsAt,
      },
    })),
  ];
}
