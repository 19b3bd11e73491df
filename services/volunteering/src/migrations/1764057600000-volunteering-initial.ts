import { createInboxTable, createOutboxTable, dropInboxTable, dropOutboxTable } from '@taoyuan/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const CATEGORIES = `'ELDERLY_CARE','CHILD_CARE','EDUCATION','ENVIRONMENT','SAFETY_PATROL','CULTURE','HEALTH','MUTUAL_AID','OTHER'`;
const TIERS = `'VOLUNTEER','ACTIVIST','BACKBONE','LEADER'`;
/** Millisecond timestamps for the columns that page lists: a keyset cursor travels through JavaScript's Date. */
const NOW_MS = `date_trunc('milliseconds', clock_timestamp())`;

export class VolunteeringInitial1764057600000 implements MigrationInterface {
  name = 'VolunteeringInitial1764057600000';

  async up(db: QueryRunner): Promise<void> {
    // Opportunities, shifts, sign-ups, attendance ----------------------------------------------------------------
    await db.query(`
      CREATE TABLE opportunities (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        organization_id uuid,
        title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 80),
        description text NOT NULL CHECK (char_length(description) <= 2000),
        category text NOT NULL CHECK (category IN (${CATEGORIES})),
        location text NOT NULL CHECK (char_length(location) BETWEEN 1 AND 120),
        status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT','PUBLISHED','COMPLETED','CANCELLED')),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz,
        completed_at timestamptz,
        cancelled_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX opportunities_listing_idx ON opportunities (community_id, status, created_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX opportunities_organization_idx ON opportunities (organization_id, created_at DESC, id DESC) WHERE organization_id IS NOT NULL`,
    );
    await db.query(`
      CREATE TABLE shifts (
        id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunities(id),
        community_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 500),
        check_in_code text NOT NULL CHECK (check_in_code ~ '^[0-9]{6}$'),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '24 hours')
      )`);
    await db.query(`CREATE INDEX shifts_opportunity_idx ON shifts (opportunity_id, starts_at)`);
    await db.query(`
      CREATE TABLE sign_ups (
        id uuid PRIMARY KEY,
        shift_id uuid NOT NULL REFERENCES shifts(id),
        opportunity_id uuid NOT NULL REFERENCES opportunities(id),
        community_id uuid NOT NULL,
        user_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('SIGNED_UP','WAITLISTED','CANCELLED','CHECKED_IN','CHECKED_OUT','VERIFIED','NO_SHOW')),
        waitlist_position integer CHECK (waitlist_position > 0),
        signed_up_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        promoted_at timestamptz,
        checked_in_at timestamptz,
        checked_out_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text CHECK (cancel_reason IN ('VOLUNTEER_CANCELLED','OPPORTUNITY_CANCELLED')),
        CHECK ((status = 'WAITLISTED') = (waitlist_position IS NOT NULL))
      )`);
    // One live sign-up per volunteer and shift; a cancelled one does not stop signing up again.
    await db.query(
      `CREATE UNIQUE INDEX sign_ups_one_per_shift_idx ON sign_ups (shift_id, user_id) WHERE status <> 'CANCELLED'`,
    );
    await db.query(`CREATE INDEX sign_ups_shift_status_idx ON sign_ups (shift_id, status, waitlist_position)`);
    await db.query(`CREATE INDEX sign_ups_user_idx ON sign_ups (user_id, signed_up_at DESC, id DESC)`);
    await db.query(`
      CREATE TABLE attendances (
        id uuid PRIMARY KEY,
        sign_up_id uuid NOT NULL UNIQUE REFERENCES sign_ups(id),
        shift_id uuid NOT NULL REFERENCES shifts(id),
        community_id uuid NOT NULL,
        user_id uuid NOT NULL,
        service_date date NOT NULL,
        hours numeric(5,2) NOT NULL CHECK (hours > 0 AND hours <= 24),
        points_awarded integer NOT NULL CHECK (points_awarded >= 0),
        points_rule_version integer NOT NULL,
        verified_by uuid NOT NULL CHECK (verified_by <> user_id),
        verified_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`CREATE INDEX attendances_user_day_idx ON attendances (user_id, service_date)`);

    // Points ---------------------------------------------------------------------------------------------------
    await db.query(`
      CREATE TABLE points_accounts (
        user_id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        balance integer NOT NULL DEFAULT 0 CHECK (balance >= 0),
        lifetime_earned integer NOT NULL DEFAULT 0 CHECK (lifetime_earned >= 0),
        tier text NOT NULL DEFAULT 'VOLUNTEER' CHECK (tier IN (${TIERS})),
        version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(
      `CREATE INDEX points_accounts_lifetime_idx ON points_accounts (community_id, lifetime_earned DESC, user_id)`,
    );
    await db.query(`
      CREATE TABLE points_entries (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES points_accounts(user_id),
        delta integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('EARNED_VOLUNTEERING','EARNED_SERVICE','BONUS','REDEEMED','REFUNDED','REVERSAL')),
        source_type text NOT NULL CHECK (char_length(source_type) BETWEEN 1 AND 40),
        source_id text NOT NULL CHECK (char_length(source_id) BETWEEN 1 AND 200),
        balance_after integer NOT NULL CHECK (balance_after >= 0),
        lifetime_after integer NOT NULL CHECK (lifetime_after >= 0),
        memo text NOT NULL DEFAULT '' CHECK (char_length(memo) <= 500),
        caused_by uuid,
        created_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        UNIQUE (source_type, source_id),
        -- Earnings add, redemptions take; a clamped reversal may be 0 when nothing was left to take back.
        CHECK (CASE kind
          WHEN 'REDEEMED' THEN delta < 0
          WHEN 'REVERSAL' THEN delta <= 0
          ELSE delta > 0 END)
      )`);
    await db.query(`CREATE INDEX points_entries_account_idx ON points_entries (user_id, created_at DESC, id DESC)`);
    // The leaderboard reads only this index (an index-only range scan per community and period): see leaderboard.ts.
    await db.query(`
      CREATE INDEX points_entries_leaderboard_idx ON points_entries (community_id, created_at) INCLUDE (user_id, delta)
      WHERE kind IN ('EARNED_VOLUNTEERING','EARNED_SERVICE','BONUS','REVERSAL')`);
    // Append-only: a wrong entry is corrected by a REVERSAL entry, never edited or deleted.
    await db.query(`
      CREATE FUNCTION points_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'points_entries is append-only: % refused (correct a wrong entry with a REVERSAL)', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER points_entries_append_only BEFORE UPDATE OR DELETE ON points_entries
      FOR EACH ROW EXECUTE FUNCTION points_entries_append_only()`);
    await db.query(`
      CREATE TRIGGER points_entries_no_truncate BEFORE TRUNCATE ON points_entries
      FOR EACH STATEMENT EXECUTE FUNCTION points_entries_append_only()`);
    await db.query(`
      CREATE TABLE tier_achievements (
        user_id uuid NOT NULL REFERENCES points_accounts(user_id),
        community_id uuid NOT NULL,
        tier text NOT NULL CHECK (tier IN ('ACTIVIST','BACKBONE','LEADER')),
        lifetime_earned integer NOT NULL,
        reached_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (user_id, tier)
      )`);
    // Versioned: a change is a new row; awards read the row in force when they happen, so nothing is retroactive.
    await db.query(`
      CREATE TABLE points_rules (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        points_per_hour integer NOT NULL CHECK (points_per_hour BETWEEN 0 AND 1000),
        category_multipliers jsonb NOT NULL,
        daily_cap integer NOT NULL CHECK (daily_cap BETWEEN 0 AND 100000),
        effective_from timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by uuid NOT NULL,
        UNIQUE (community_id, version)
      )`);
    await db.query(`
      CREATE TABLE tier_policies (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        activist integer NOT NULL CHECK (activist > 0),
        backbone integer NOT NULL,
        leader integer NOT NULL,
        effective_from timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by uuid NOT NULL,
        UNIQUE (community_id, version),
        CHECK (activist < backbone AND backbone < leader)
      )`);

    // Projection of organizations' memberships: who may organize for a host organization -----------------------
    await db.query(`
      CREATE TABLE organizer_memberships (
        membership_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        user_id uuid NOT NULL,
        community_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN ('MEMBER','ACTIVIST','BACKBONE','LEADER')),
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(
      `CREATE INDEX organizer_memberships_lookup_idx ON organizer_memberships (organization_id, user_id) WHERE active`,
    );

    await createOutboxTable(db);
    await createInboxTable(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await dropInboxTable(db);
    await dropOutboxTable(db);
    await db.query(`DROP TABLE organizer_memberships, tier_policies, points_rules, tier_achievements`);
    await db.query(`DROP TABLE points_entries`);
    await db.query(`DROP FUNCTION points_entries_append_only()`);
    await db.query(`DROP TABLE points_accounts, attendances, sign_ups, shifts, opportunities`);
  }
}
