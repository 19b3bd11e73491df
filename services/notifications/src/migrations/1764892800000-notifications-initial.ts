import { createInboxTable, createOutboxTable, dropInboxTable, dropOutboxTable } from '@taoyuan/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = [
  'SIGN_UP_CONFIRMED',
  'SIGN_UP_MOVED_FROM_WAITLIST',
  'POINTS_AWARDED',
  'TIER_REACHED',
  'PROMOTION_CANDIDATE',
  'PROMOTION_APPROVED',
  'PROMOTION_DECLINED',
  'ORDER_CONFIRMED',
  'ORDER_CANCELLED',
  'ORDER_COMPLETED',
  'BOOKING_CONFIRMED',
]
  .map((kind) => `'${kind}'`)
  .join(',');

/**
 * Notifications, numbered per recipient. The counter row of `notification_recipients` is locked by the transaction
 * that takes the next number, so one recipient's notifications commit in number order: a stream that has sent n
 * never later finds a committed n-1 it skipped. The outbox exists because the shared event backbone relays one,
 * even for a service that publishes nothing yet.
 */
export class NotificationsInitial1764892800000 implements MigrationInterface {
  name = 'NotificationsInitial1764892800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notification_recipients (
        recipient_id uuid PRIMARY KEY,
        last_sequence bigint NOT NULL CHECK (last_sequence > 0)
      )`);
    await db.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        recipient_id uuid NOT NULL REFERENCES notification_recipients (recipient_id),
        community_id uuid NOT NULL,
        sequence bigint NOT NULL CHECK (sequence > 0),
        kind text NOT NULL CHECK (kind IN (${KINDS})),
        parameters jsonb NOT NULL DEFAULT '{}',
        source_event_id uuid NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        read_at timestamptz,
        UNIQUE (recipient_id, sequence)
      )`);
    await db.query(
      `CREATE INDEX notifications_unread_idx ON notifications (recipient_id, sequence) WHERE read_at IS NULL`,
    );
    await createInboxTable(db);
    await createOutboxTable(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await dropOutboxTable(db);
    await dropInboxTable(db);
    await db.query(`DROP TABLE notifications`);
    await db.query(`DROP TABLE notification_recipients`);
  }
}
