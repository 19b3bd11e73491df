import { createInboxTable, createOutboxTable } from '@taoyuan/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints, the messages owed to each (one per event and endpoint: its id is the `webhook-id`), every
 * attempt (the delivery log), the projections of partner clients and residents' consents, and notices to partners.
 */
export class PartnersInitial1764800000000 implements MigrationInterface {
  name = 'PartnersInitial1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL,
        url text NOT NULL CHECK (length(url) <= 2000),
        event_types text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 50),
        community_ids uuid[] NOT NULL CHECK (cardinality(community_ids) BETWEEN 1 AND 20),
        -- The signing key must be usable to sign, so it is kept as is; only this service reads this table.
        secret text NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED')),
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX webhook_endpoints_client_idx ON webhook_endpoints (client_id, created_at)`);
    await db.query(`CREATE INDEX webhook_endpoints_types_idx ON webhook_endpoints USING gin (event_types)`);
    await db.query(`
      CREATE TABLE webhook_messages (
        seq bigserial UNIQUE,
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id),
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        -- Messages of one subject (a resident, an opportunity) reach an endpoint in order.
        subject text NOT NULL,
        community_id uuid NOT NULL,
        -- Set for personal records: whose data this is (their disclosure log) and under which consent.
        user_id uuid,
        payload jsonb,
        event_time timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'CANCELLED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        last_status_code integer,
        last_latency_ms integer,
        last_error text,
        last_response text CHECK (length(last_response) <= 1024),
        UNIQUE (endpoint_id, event_id)
      )`);
    await db.query(
      `CREATE INDEX webhook_messages_due_idx ON webhook_messages (next_attempt_at, seq) WHERE status = 'PENDING'`,
    );
    await db.query(
      `CREATE INDEX webhook_messages_subject_idx ON webhook_messages (endpoint_id, subject, seq) WHERE status = 'PENDING'`,
    );
    await db.query(`CREATE INDEX webhook_messages_endpoint_idx ON webhook_messages (endpoint_id, seq)`);
    await db.query(
      `CREATE INDEX webhook_messages_user_idx ON webhook_messages (user_id, seq) WHERE user_id IS NOT NULL`,
    );
    await db.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES webhook_messages (id),
        attempted_at timestamptz NOT NULL DEFAULT now(),
        status_code integer,
        latency_ms integer NOT NULL,
        succeeded boolean NOT NULL,
        error text,
        response text CHECK (length(response) <= 1024)
      )`);
    await db.query(`CREATE INDEX webhook_attempts_message_idx ON webhook_attempts (message_id, id)`);
    await db.query(`
      CREATE TABLE partner_clients (
        client_id uuid PRIMARY KEY,
        name text,
        community_ids uuid[] NOT NULL DEFAULT '{}',
        revoked_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE consents (
        user_id uuid NOT NULL,
        partner_client_id uuid NOT NULL,
        scope text NOT NULL,
        community_id uuid NOT NULL,
        granted boolean NOT NULL,
        -- Kept only while the consent stands; erased on revocation (decision 0008).
        display_name text,
        consent_version integer NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, partner_client_id, scope),
        CHECK (granted OR display_name IS NULL)
      )`);
    await db.query(`
      CREATE TABLE partner_notices (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL,
        endpoint_id uuid,
        kind text NOT NULL,
        message text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await createInboxTable(db);
    await createOutboxTable(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox, inbox, partner_notices, consents, partner_clients, webhook_attempts,
      webhook_messages, webhook_endpoints`);
  }
}
