/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What a notification is about */
export type NotificationKind =
  /** A facility booking was confirmed */
  | 'BOOKING_CONFIRMED'
  /** A marketplace order was cancelled */
  | 'ORDER_CANCELLED'
  /** A marketplace order was delivered and completed */
  | 'ORDER_COMPLETED'
  /** A marketplace order was paid (or free) and confirmed */
  | 'ORDER_CONFIRMED'
  /** Public-welfare points credited (verified attendance, a fulfilled need, a bonus) */
  | 'POINTS_AWARDED'
  /** You moved up one step in an organization */
  | 'PROMOTION_APPROVED'
  /** You may move up one step in an organization; a decision is pending */
  | 'PROMOTION_CANDIDATE'
  /** A promotion was declined */
  | 'PROMOTION_DECLINED'
  /** A place on a volunteer shift is yours */
  | 'SIGN_UP_CONFIRMED'
  /** You moved from the waitlist into a freed place */
  | 'SIGN_UP_MOVED_FROM_WAITLIST'
  /** Your lifetime points reached a new tier */
  | 'TIER_REACHED';

/** Standing earned by lifetime points (thresholds set per community by its TierPolicy) */
export type PointsTier =
  /** 积极分子 (default: 100 lifetime points) */
  | 'ACTIVIST'
  /** 骨干 (default: 500 lifetime points) */
  | 'BACKBONE'
  /** 领袖 (default: 1500 lifetime points) */
  | 'LEADER'
  /** 志愿者: everyone starts here */
  | 'VOLUNTEER';

export type SignUpStatus =
  /** Cancelled by the volunteer, or because the opportunity was cancelled */
  | 'CANCELLED'
  /** Checked in on site with the shift’s code */
  | 'CHECKED_IN'
  /** Checked out; waiting for the organizer to verify the hours */
  | 'CHECKED_OUT'
  /** Did not come */
  | 'NO_SHOW'
  /** Holds a place on the shift */
  | 'SIGNED_UP'
  /** Hours confirmed by an organizer and points awarded */
  | 'VERIFIED'
  /** The shift was full; promoted in order when a place frees up */
  | 'WAITLISTED';

export type SignInMutationVariables = Exact<{
  phone: string;
  password: string;
}>;


export type SignInMutation = { login: { accessToken: string, expiresAt: string } };

export type ResidentQueryVariables = Exact<{ [key: string]: never; }>;


export type ResidentQuery = { me: { id: string, displayName: string, community: { name: string }, pointsAccount: { balance: number, tier: PointsTier, nextTier: PointsTier | null, pointsToNextTier: number | null } } };

export type OpportunitiesQueryVariables = Exact<{ [key: string]: never; }>;


export type OpportunitiesQuery = { opportunities: { edges: Array<{ node: { id: string, title: string, location: string, shifts: Array<{ id: string, startsAt: string, endsAt: string, timeZone: string, spotsLeft: number }> } }> } };

export type SignUpForShiftMutationVariables = Exact<{
  shiftId: string | number;
}>;


export type SignUpForShiftMutation = { signUp: { id: string, status: SignUpStatus, waitlistPosition: number | null, shift: { id: string, spotsLeft: number } } };

export type NotificationsQueryVariables = Exact<{ [key: string]: never; }>;


export type NotificationsQuery = { me: { id: string, unreadNotificationCount: number, notifications: { edges: Array<{ node: { id: string, sequence: number, kind: NotificationKind, title: string, body: string, createdAt: string, read: boolean } }> } } };

export type MarkAllNotificationsReadMutationVariables = Exact<{ [key: string]: never; }>;


export type MarkAllNotificationsReadMutation = { markAllNotificationsRead: number };


export const SignInDocument = {"__meta__":{"hash":"8727af8cf8adc1dd90dd9ab903ab83d330edda1c88db7f0a4ed678fa5b839c4c"}} as unknown as DocumentNode<SignInMutation, SignInMutationVariables>;
export const ResidentDocument = {"__meta__":{"hash":"804db845290e39e8a52de6f0eb7d66857476bcf8695905ea804d74bac5976613"}} as unknown as DocumentNode<ResidentQuery, ResidentQueryVariables>;
export const OpportunitiesDocument = {"__meta__":{"hash":"e8251429df09f2379d7ee9cfd384032ab3074e0ac49301063cc095392945171d"}} as unknown as DocumentNode<OpportunitiesQuery, OpportunitiesQueryVariables>;
export const SignUpForShiftDocument = {"__meta__":{"hash":"5b18a495e46246a84bcb6b244000acc23f363dcddc086f1f1448e17022b9f0df"}} as unknown as DocumentNode<SignUpForShiftMutation, SignUpForShiftMutationVariables>;
export const NotificationsDocument = {"__meta__":{"hash":"b955ea09537485a988a3e81c7b5267052f7c48a58346e497fafac2e71f4bf9a0"}} as unknown as DocumentNode<NotificationsQuery, NotificationsQueryVariables>;
export const MarkAllNotificationsReadDocument = {"__meta__":{"hash":"e919497b911d73638f8329785ecb0b4b48a247bb6d037bf89b2a498c5bca336d"}} as unknown as DocumentNode<MarkAllNotificationsReadMutation, MarkAllNotificationsReadMutationVariables>;