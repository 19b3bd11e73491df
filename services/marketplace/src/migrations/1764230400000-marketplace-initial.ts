import { createInboxTable, createOutboxTable, dropInboxTable, dropOutboxTable } from '@taoyuan/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Providers, offerings with time slots, orders, needs, reviews, the audit trail, and the projections marketplace
 * keeps of other services' facts (organization memberships, confirmed residences).
 */
export class MarketplaceInitial1764230400000 implements MigrationInterface {
  name = 'MarketplaceInitial1764230400000';

  async up(db: QueryRunner): Promise<void> {
    await createOutboxTable(db);
    await createInboxTable(db);
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // Character bigrams of lower-cased text: most Chinese words are two characters, which trigrams cannot find
    // through an index, so `search_bigrams @> ARRAY['课堂']` answers them from a GIN index instead.
    await db.query(`
      CREATE FUNCTION marketplace_bigrams(value text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(lower(value), i, 2)), '{}')
          FROM generate_series(1, char_length(value) - 1) AS i
      $$`);

    await db.query(`
      CREATE TABLE organization_memberships (
        membership_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        user_id uuid NOT NULL,
        community_id uuid NOT NULL,
        role text NOT NULL,
        active boolean NOT NULL,
        membership_version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(
      `CREATE INDEX organization_memberships_user_idx ON organization_memberships (user_id, organization_id)`,
    );
    await db.query(`
      CREATE TABLE residences (
        user_id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        household_id uuid,
        residence_version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);

    await db.query(`
      CREATE TABLE providers (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('GOVERNMENT', 'ENTERPRISE', 'SOCIAL_ORGANIZATION', 'RESIDENT')),
        name text NOT NULL,
        description text NOT NULL,
        contact text NOT NULL,
        community_owned boolean NOT NULL DEFAULT false,
        organization_id uuid,
        owner_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'VERIFIED', 'REJECTED', 'SUSPENDED')),
        status_reason text,
        decided_by uuid,
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK ((kind = 'SOCIAL_ORGANIZATION') = (organization_id IS NOT NULL)),
        -- Staff never decide on a provider they registered themselves.
        CHECK (decided_by IS NULL OR decided_by <> owner_id)
      )`);
    await db.query(
      `CREATE UNIQUE INDEX providers_one_per_organization ON providers (organization_id) WHERE status <> 'REJECTED'`,
    );
    await db.query(`CREATE INDEX providers_community_idx ON providers (community_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX providers_owner_idx ON providers (owner_id)`);

    await db.query(`
      CREATE TABLE offerings (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES providers (id),
        community_id uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        target_groups text[] NOT NULL CHECK (cardinality(target_groups) > 0),
        free boolean NOT NULL,
        price_points integer CHECK (price_points > 0),
        price_fen integer CHECK (price_fen > 0),
        status text NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'PAUSED', 'RETIRED')),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz,
        search_text text GENERATED ALWAYS AS (lower(title || ' ' || description)) STORED,
        search_bigrams text[] GENERATED ALWAYS AS (marketplace_bigrams(title || ' ' || description)) STORED,
        -- Free, or a price, or several of them: the buyer picks how to pay.
        CHECK (free OR price_points IS NOT NULL OR price_fen IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX offerings_search_trgm ON offerings USING gin (search_text gin_trgm_ops)`);
    await db.query(`CREATE INDEX offerings_search_bigrams ON offerings USING gin (search_bigrams)`);
    await db.query(
      `CREATE INDEX offerings_catalogue_idx ON offerings (community_id, status, created_at DESC, id DESC)`,
    );
    await db.query(`CREATE INDEX offerings_provider_idx ON offerings (provider_id)`);

    await db.query(`
      CREATE TABLE slots (
        id uuid PRIMARY KEY,
        offering_id uuid NOT NULL REFERENCES offerings (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 500),
        -- Places held by orders that are not cancelled; the CHECK is the last line against overselling.
        taken integer NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
        CHECK (ends_at > starts_at)
      )`);
    await db.query(`CREATE INDEX slots_offering_idx ON slots (offering_id, starts_at)`);

    await db.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        offering_id uuid NOT NULL REFERENCES offerings (id),
        provider_id uuid NOT NULL REFERENCES providers (id),
        slot_id uuid REFERENCES slots (id),
        buyer_id uuid NOT NULL,
        client_order_id text NOT NULL,
        quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 10),
        pay_with text NOT NULL CHECK (pay_with IN ('FREE', 'POINTS', 'CASH')),
        price_points integer NOT NULL DEFAULT 0 CHECK (price_points >= 0),
        price_fen integer NOT NULL DEFAULT 0 CHECK (price_fen >= 0),
        note text NOT NULL DEFAULT '',
        status text NOT NULL
          CHECK (status IN ('PENDING_PAYMENT', 'CONFIRMED', 'DELIVERED', 'COMPLETED', 'CANCELLED')),
        cancel_reason text,
        decline_reason text,
        points_debited boolean NOT NULL DEFAULT false,
        points_refunded boolean NOT NULL DEFAULT false,
        payment_reference text,
        paid_at timestamptz,
        payment_due_at timestamptz,
        placed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        confirmed_at timestamptz,
        delivered_at timestamptz,
        completed_at timestamptz,
        cancelled_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (buyer_id, client_order_id)
      )`);
    await db.query(`CREATE INDEX orders_buyer_idx ON orders (buyer_id, placed_at DESC, id DESC)`);
    await db.query(`CREATE INDEX orders_provider_idx ON orders (provider_id, placed_at DESC, id DESC)`);
    await db.query(`CREATE INDEX orders_community_idx ON orders (community_id, placed_at DESC, id DESC)`);
    await db.query(`CREATE INDEX orders_unpaid_idx ON orders (payment_due_at) WHERE status = 'PENDING_PAYMENT'`);
    await db.query(`CREATE INDEX orders_delivered_idx ON orders (delivered_at) WHERE status = 'DELIVERED'`);

    await db.query(`
      CREATE TABLE income_records (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE REFERENCES orders (id),
        provider_id uuid NOT NULL REFERENCES providers (id),
        community_id uuid NOT NULL,
        amount_fen integer NOT NULL CHECK (amount_fen > 0),
        category text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);

    await db.query(`
      CREATE TABLE needs (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        posted_by uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        needed_by timestamptz NOT NULL,
        reward_points integer NOT NULL CHECK (reward_points BETWEEN 0 AND 200),
        status text NOT NULL
          CHECK (status IN ('PENDING_ESCROW', 'OPEN', 'CLAIMED', 'FULFILLED', 'CANCELLED', 'EXPIRED')),
        escrowed boolean NOT NULL DEFAULT false,
        claimed_by uuid,
        claimed_at timestamptz,
        fulfilled_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        search_text text GENERATED ALWAYS AS (lower(title || ' ' || description)) STORED,
        search_bigrams text[] GENERATED ALWAYS AS (marketplace_bigrams(title || ' ' || description)) STORED,
        CHECK (claimed_by IS NULL OR claimed_by <> posted_by)
      )`);
    await db.query(`CREATE INDEX needs_board_idx ON needs (community_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX needs_poster_idx ON needs (posted_by, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX needs_search_trgm ON needs USING gin (search_text gin_trgm_ops)`);
    await db.query(`CREATE INDEX needs_search_bigrams ON needs USING gin (search_bigrams)`);
    await db.query(`CREATE INDEX needs_due_idx ON needs (needed_by) WHERE status IN ('OPEN', 'CLAIMED')`);

    await db.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE REFERENCES orders (id),
        offering_id uuid NOT NULL REFERENCES offerings (id),
        provider_id uuid NOT NULL REFERENCES providers (id),
        community_id uuid NOT NULL,
        author_id uuid NOT NULL,
        rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment text NOT NULL DEFAULT '',
        reply text,
        replied_by uuid,
        replied_at timestamptz,
        hidden boolean NOT NULL DEFAULT false,
        hidden_reason text,
        hidden_by uuid,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`CREATE INDEX reviews_offering_idx ON reviews (offering_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX reviews_provider_idx ON reviews (provider_id) WHERE NOT hidden`);

    await db.query(`
      CREATE TABLE audit_entries (
        id bigserial PRIMARY KEY,
        community_id uuid NOT NULL,
        actor_id uuid NOT NULL,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        reason text NOT NULL DEFAULT '',
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'audit_entries',
      'reviews',
      'needs',
      'income_records',
      'orders',
      'slots',
      'offerings',
      'providers',
      'residences',
      'organization_memberships',
    ])
      await db.query(`DROP TABLE ${table}`);
    await db.query(`DROP FUNCTION marketplace_bigrams(text)`);
    await dropInboxTable(db);
    await dropOutboxTable(db);
  }
}
