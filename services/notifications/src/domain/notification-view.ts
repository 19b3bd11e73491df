import type { Locale } from '@taoyuan/service-kit';
import type { NotificationEntity } from '../entities/notification.entity';
import { renderNotification } from './notification-texts';
import type { NotificationKind } from './vocabulary';

/** A notification as a reader sees it, in one language: the GraphQL `Notification` and the SSE event's data. */
export interface NotificationView {
  id: string;
  sequence: number;
  kind: NotificationKind;
  title: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
  read: boolean;
  points: number | null;
  opportunityId: string | null;
  organizationId: string | null;
  orderId: string | null;
  bookingId: string | null;
}

export function notificationView(row: NotificationEntity, locale: Locale): NotificationView {
  const p = row.parameters;
  return {
    id: row.id,
    sequence: Number(row.sequence),
    kind: row.kind,
    ...renderNotification(row.kind, p, locale),
    createdAt: row.createdAt,
    readAt: row.readAt,
    read: row.readAt !== null,
    points: p.points ?? null,
    opportunityId: p.opportunityId ?? null,
    organizationId: p.organizationId ?? null,
    orderId: p.orderId ?? null,
    bookingId: p.bookingId ?? null,
  };
}
