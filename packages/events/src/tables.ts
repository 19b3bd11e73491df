import type { QueryRunner } from 'typeorm';

/**
 * The outbox and inbox tables, created by each service's own migration (services share this SQL, never a table).
 * Call from a migration's up/down so the tables are versioned with the service's schema.
 */
export async function createOutboxTable(db: QueryRunner): Promise<void> {
  await db.query(`
    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      message_key text NOT NULL,
      community_id uuid NOT NULL,
      headers jsonb NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      sent_at timestamptz
    )`);
  await db.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE sent_at IS NULL`);
  await db.query(`CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL`);
}

export async function dropOutboxTable(db: QueryRunner): Promise<void> {
  await db.query(`DROP TABLE outbox`);
}

export async function createInboxTable(db: QueryRunner): Promise<void> {
  await db.query(`
    CREATE TABLE inbox (
      event_id uuid PRIMARY KEY,
      event_type text NOT NULL,
      topic text NOT NULL,
      kafka_partition integer NOT NULL,
      kafka_offset bigint NOT NULL,
      community_id uuid,
      handled_at timestamptz NOT NULL DEFAULT now()
    )`);
}

export async function dropInboxTable(db: QueryRunner): Promise<void> {
  await db.query(`DROP TABLE inbox`);
}
