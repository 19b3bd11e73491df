/** The words of the marketplace domain, shared by the database, the domain rules and the GraphQL schema. */

export enum ProviderKind {
  GOVERNMENT = 'GOVERNMENT',
  ENTERPRISE = 'ENTERPRISE',
  SOCIAL_ORGANIZATION = 'SOCIAL_ORGANIZATION',
  RESIDENT = 'RESIDENT',
}

export enum ProviderStatus {
  PENDING = 'PENDING',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
  SUSPENDED = 'SUSPENDED',
}

export enum ServiceCategory {
  ELDERLY_CARE = 'ELDERLY_CARE',
  MEAL = 'MEAL',
  CHILD_CARE = 'CHILD_CARE',
  LEARNING = 'LEARNING',
  HEALTH = 'HEALTH',
  REPAIRS = 'REPAIRS',
  HOUSEKEEPING = 'HOUSEKEEPING',
  LEGAL_AID = 'LEGAL_AID',
  CULTURE = 'CULTURE',
  MUTUAL_AID = 'MUTUAL_AID',
  OTHER = 'OTHER',
}

export enum TargetGroup {
  ELDERLY_ALONE = 'ELDERLY_ALONE',
  CHILDREN = 'CHILDREN',
  FAMILIES_IN_NEED = 'FAMILIES_IN_NEED',
  EVERYONE = 'EVERYONE',
}

export enum OfferingStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  PAUSED = 'PAUSED',
  RETIRED = 'RETIRED',
}

export enum PayWith {
  FREE = 'FREE',
  POINTS = 'POINTS',
  CASH = 'CASH',
}

export enum OrderStatus {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  CONFIRMED = 'CONFIRMED',
  DELIVERED = 'DELIVERED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export enum OrderCancelReason {
  BUYER_CANCELLED = 'BUYER_CANCELLED',
  PROVIDER_DECLINED = 'PROVIDER_DECLINED',
  PAYMENT_TIMEOUT = 'PAYMENT_TIMEOUT',
  INSUFFICIENT_POINTS = 'INSUFFICIENT_POINTS',
  /** The debit arrived after the order had already been cancelled: it is refunded at once. */
  LATE_DEBIT = 'LATE_DEBIT',
}

export enum NeedStatus {
  /** Waiting for volunteering to escrow the reward; not on the board yet. */
  PENDING_ESCROW = 'PENDING_ESCROW',
  OPEN = 'OPEN',
  CLAIMED = 'CLAIMED',
  FULFILLED = 'FULFILLED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}

/** Orders whose slot place is held (counted in `slots.taken`). */
export const PLACE_HOLDING_ORDER_STATUSES: readonly OrderStatus[] = [
  OrderStatus.PENDING_PAYMENT,
  OrderStatus.CONFIRMED,
  OrderStatus.DELIVERED,
  OrderStatus.COMPLETED,
];

export const MAX_ORDER_QUANTITY = 10;
export const MAX_NEED_REWARD = 200;
export const AUTO_COMPLETE_DAYS = 7;
export const REVIEW_EDIT_DAYS = 7;
