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
  type EventHandler,
} from '@taoyuan/events';
import type { NotificationService } from '../domain/notification.service';
import { NotificationKind } from '../domain/vocabulary';

/**
 * Every event that tells a resident something about themselves, and only those: the recipient is the payload's
 * `userId`, never anyone the event merely names (an organizer, a decider). The shared consumer has already refused
 * an event from any producer but its catalogue one, and its inbox makes a redelivery a no-op.
 */
export function notificationHandlers(notifications: NotificationService): EventHandler[] {
  return [
    on(SignUpConfirmed, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: payload.fromWaitlist ? NotificationKind.SIGN_UP_MOVED_FROM_WAITLIST : NotificationKind.SIGN_UP_CONFIRMED,
        parameters: { opportunityId: payload.opportunityId, shiftId: payload.shiftId, signUpId: payload.signUpId },
        sourceEventId: envelope.id,
      });
    }),
    on(PointsAwarded, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: NotificationKind.POINTS_AWARDED,
        parameters: { points: payload.points, pointsKind: payload.kind, lifetimeEarned: payload.lifetimeEarned },
        sourceEventId: envelope.id,
      });
    }),
    on(TierReached, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: NotificationKind.TIER_REACHED,
        parameters: { tier: payload.tier, lifetimeEarned: payload.lifetimeEarned },
        sourceEventId: envelope.id,
      });
    }),
    on(PromotionCandidateRaised, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: NotificationKind.PROMOTION_CANDIDATE,
        parameters: { organizationId: payload.organizationId, fromRole: payload.fromRole, toRole: payload.targetRole },
        sourceEventId: envelope.id,
      });
    }),
    on(MemberPromoted, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: NotificationKind.PROMOTION_APPROVED,
        parameters: { organizationId: payload.organizationId, fromRole: payload.fromRole, toRole: payload.toRole },
        sourceEventId: envelope.id,
      });
    }),
    on(PromotionDeclined, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: NotificationKind.PROMOTION_DECLINED,
        parameters: { organizationId: payload.organizationId, toRole: payload.targetRole },
        sourceEventId: envelope.id,
      });
    }),
    on(OrderConfirmed, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: NotificationKind.ORDER_CONFIRMED,
        parameters: { orderId: payload.orderId },
        sourceEventId: envelope.id,
      });
    }),
    on(OrderCancelled, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: NotificationKind.ORDER_CANCELLED,
        parameters: { orderId: payload.orderId, cancelReason: payload.reason },
        sourceEventId: envelope.id,
      });
    }),
    on(OrderCompleted, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: NotificationKind.ORDER_COMPLETED,
        parameters: { orderId: payload.orderId },
        sourceEventId: envelope.id,
      });
    }),
    on(BookingConfirmed, async ({ payload, envelope }, manager) => {
      await notifications.record(manager, {
        recipientId: payload.userId,
        communityId: payload.communityId,
        kind: NotificationKind.BOOKING_CONFIRMED,
        parameters: {
          bookingId: payload.bookingId,
          facilityId: payload.facilityId,
          ...(payload.organizationId ? { organizationId: payload.organizationId } : {}),
          startsAt: payload.startsAt,
          endsAt: payload.endsAt,
        },
        sourceEventId: envelope.id,
      });
    }),
  ];
}
