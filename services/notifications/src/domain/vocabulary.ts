/** What a notification tells its resident; one kind per fact of another service (docs/decisions/0009). */
export enum NotificationKind {
  SIGN_UP_CONFIRMED = 'SIGN_UP_CONFIRMED',
  SIGN_UP_MOVED_FROM_WAITLIST = 'SIGN_UP_MOVED_FROM_WAITLIST',
  POINTS_AWARDED = 'POINTS_AWARDED',
  TIER_REACHED = 'TIER_REACHED',
  PROMOTION_CANDIDATE = 'PROMOTION_CANDIDATE',
  PROMOTION_APPROVED = 'PROMOTION_APPROVED',
  PROMOTION_DECLINED = 'PROMOTION_DECLINED',
  ORDER_CONFIRMED = 'ORDER_CONFIRMED',
  ORDER_CANCELLED = 'ORDER_CANCELLED',
  ORDER_COMPLETED = 'ORDER_COMPLETED',
  BOOKING_CONFIRMED = 'BOOKING_CONFIRMED',
}

export const NOTIFICATION_KINDS: readonly NotificationKind[] = Object.values(NotificationKind);

/**
 * The facts a notification's text is rendered from, as the producing event carried them: ids, numbers and
 * vocabulary words only, never a name or a text, so that rendering needs nothing but this row.
 */
export interface NotificationParameters {
  opportunityId?: string;
  shiftId?: string;
  signUpId?: string;
  points?: number;
  pointsKind?: string;
  lifetimeEarned?: number;
  tier?: string;
  organizationId?: string;
  fromRole?: string;
  toRole?: string;
  orderId?: string;
  cancelReason?: string;
  bookingId?: string;
  facilityId?: string;
  startsAt?: string;
  endsAt?: string;
}
