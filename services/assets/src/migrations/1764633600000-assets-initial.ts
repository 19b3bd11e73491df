import { createInboxTable, createOutboxTable, dropInboxTable, dropOutboxTable } from '@taoyuan/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Millisecond timestamps for the columns that page lists: a keyset cursor travels through JavaScript's Date. */
const NOW_MS = `date_trunc('milliseconds', clock_timestamp())`;

const INCOME_CATEGORIES = `'FACILITY_FEE','SERVICE_BUSINESS_INCOME','DONATION','GRANT','OTHER_INCOME'`;
const SPENDING_CATEGORIES = `'PUBLIC_WELFARE_EXPENSE','WORKER_PAY','OPERATING_EXPENSE','CAMPAIGN_EXPENSE'`;

/**
 * Assets, facilities and bookings; funds, the append-only ledger and its daily roll-up; expenses; campaigns, household
 * votes and donations; projections of households and memberships. The money rules live in the database too (checks
 * and triggers), so neither a bug nor a hand-written statement can break them.
 */
export class AssetsInitial1764633600000 implements MigrationInterface {
  name = 'AssetsInitial1764633600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    // Assets and facilities ------------------------------------------------------------------------------------
    await db.query(`
      CREATE TABLE assets (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('FACILITY','EQUIPMENT','PROPERTY')),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
        owner text NOT NULL DEFAULT 'COMMUNITY' CHECK (char_length(owner) BETWEEN 1 AND 120),
        value_fen bigint NOT NULL DEFAULT 0 CHECK (value_fen >= 0),
        status text NOT NULL DEFAULT 'IN_USE' CHECK (status IN ('IN_USE','UNDER_MAINTENANCE','LET','RETIRED')),
        note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        UNIQUE (community_id, name)
      )`);
    await db.query(`
      CREATE TABLE facilities (
        id uuid PRIMARY KEY REFERENCES assets(id),
        community_id uuid NOT NULL,
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 5000),
        time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
        opening_hours jsonb NOT NULL,
        bookable_by text[] NOT NULL CHECK (bookable_by <@ ARRAY['RESIDENT','ORGANIZATION','STAFF']),
        max_booking_minutes integer NOT NULL CHECK (max_booking_minutes BETWEEN 15 AND 1440),
        max_days_ahead integer NOT NULL CHECK (max_days_ahead BETWEEN 1 AND 366),
        fee_per_hour_fen bigint NOT NULL DEFAULT 0 CHECK (fee_per_hour_fen >= 0),
        free_for_organizations boolean NOT NULL DEFAULT true,
        approval_above_attendees integer CHECK (approval_above_attendees >= 0)
      )`);
    await db.query(`
      CREATE TABLE bookings (
        id uuid PRIMARY KEY,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        community_id uuid NOT NULL,
        booked_by uuid NOT NULL,
        organization_id uuid,
        purpose text NOT NULL CHECK (char_length(purpose) BETWEEN 1 AND 200),
        attendees integer NOT NULL CHECK (attendees >= 1),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        period tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, ends_at, '[)')) STORED,
        status text NOT NULL CHECK (status IN ('PENDING_APPROVAL','CONFIRMED','REJECTED','CANCELLED')),
        fee_fen bigint NOT NULL CHECK (fee_fen >= 0),
        paid_at timestamptz,
        payment_reference text,
        decided_by uuid,
        decided_at timestamptz,
        decision_reason text,
        cancelled_by uuid,
        cancelled_at timestamptz,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        CHECK (ends_at > starts_at),
        CHECK ((paid_at IS NULL) = (payment_reference IS NULL)),
        -- The last line against double booking: two active bookings of one facility never overlap, whatever runs.
        CONSTRAINT bookings_no_overlap EXCLUDE USING gist (facility_id WITH =, period WITH &&)
          WHERE (status IN ('PENDING_APPROVAL','CONFIRMED'))
      )`);
    await db.query(`CREATE INDEX bookings_user_idx ON bookings (booked_by, created_at DESC, id DESC)`);
    await db.query(
      `CREATE INDEX bookings_organization_idx ON bookings (organization_id, created_at DESC, id DESC) WHERE organization_id IS NOT NULL`,
    );
    await db.query(`CREATE INDEX bookings_community_time_idx ON bookings (community_id, starts_at)`);

    // Funds and the ledger -------------------------------------------------------------------------------------
    await db.query(`
      CREATE TABLE funds (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('UNRESTRICTED','PUBLIC_WELFARE','DESIGNATED')),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
        campaign_id uuid UNIQUE,
        balance_fen bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        CONSTRAINT funds_never_below_zero CHECK (balance_fen >= 0),
        CHECK ((kind = 'DESIGNATED') = (campaign_id IS NOT NULL))
      )`);
    await db.query(
      `CREATE UNIQUE INDEX funds_one_general_per_kind ON funds (community_id, kind) WHERE kind <> 'DESIGNATED'`,
    );
    await db.query(`
      CREATE TABLE ledger_entries (
        id uuid PRIMARY KEY,
        fund_id uuid NOT NULL REFERENCES funds(id),
        community_id uuid NOT NULL,
        direction text NOT NULL CHECK (direction IN ('IN','OUT')),
        category text NOT NULL CHECK (category IN (${INCOME_CATEGORIES}, ${SPENDING_CATEGORIES}, 'REVERSAL')),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        source_type text NOT NULL CHECK (source_type IN ('BOOKING','MARKETPLACE_INCOME','DONATION','EXPENSE','INCOME','REVERSAL','SEED')),
        source_id text NOT NULL CHECK (char_length(source_id) BETWEEN 1 AND 200),
        campaign_id uuid,
        reverses_entry_id uuid UNIQUE REFERENCES ledger_entries(id),
        memo text NOT NULL DEFAULT '' CHECK (char_length(memo) <= 500),
        recorded_by uuid,
        approved_by uuid,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        UNIQUE (source_type, source_id),
        CHECK (category = 'REVERSAL' OR (direction = 'IN') = (category IN (${INCOME_CATEGORIES}))),
        CHECK ((category = 'REVERSAL') = (reverses_entry_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX ledger_entries_fund_time_idx ON ledger_entries (fund_id, occurred_at, id)`);
    await db.query(`
      CREATE TABLE ledger_daily (
        fund_id uuid NOT NULL REFERENCES funds(id),
        day date NOT NULL,
        direction text NOT NULL,
        category text NOT NULL,
        amount_fen bigint NOT NULL,
        entries integer NOT NULL,
        PRIMARY KEY (fund_id, day, direction, category)
      )`);
    await db.query(`
      CREATE FUNCTION ledger_entry_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        fund funds%ROWTYPE;
        reversed ledger_entries%ROWTYPE;
      BEGIN
        SELECT * INTO fund FROM funds WHERE id = NEW.fund_id FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'fund % does not exist', NEW.fund_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF fund.community_id <> NEW.community_id THEN
          RAISE EXCEPTION 'ledger entry of another community than its fund' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'ledger_fund_community';
        END IF;
        IF NEW.category = 'REVERSAL' THEN
          -- A correction takes back exactly one earlier entry of the same fund, in the opposite direction.
          SELECT * INTO reversed FROM ledger_entries WHERE id = NEW.reverses_entry_id;
          IF NOT FOUND OR reversed.fund_id <> NEW.fund_id OR reversed.direction = NEW.direction
             OR reversed.amount_fen <> NEW.amount_fen OR reversed.category = 'REVERSAL' THEN
            RAISE EXCEPTION 'a reversal must mirror one entry of the same fund' USING ERRCODE = 'check_violation',
              CONSTRAINT = 'ledger_reversal_mirrors';
          END IF;
        ELSIF NEW.direction = 'OUT' THEN
          IF fund.kind = 'PUBLIC_WELFARE' AND NEW.category NOT IN ('PUBLIC_WELFARE_EXPENSE','WORKER_PAY') THEN
            RAISE EXCEPTION 'public-welfare money goes out only as public-welfare expense or worker pay'
              USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_fund_restriction';
          END IF;
          IF fund.kind = 'DESIGNATED' AND (NEW.campaign_id IS DISTINCT FROM fund.campaign_id
             OR NEW.category <> 'CAMPAIGN_EXPENSE') THEN
            RAISE EXCEPTION 'a designated fund pays only for its own campaign'
              USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_fund_restriction';
          END IF;
        END IF;
        UPDATE funds SET balance_fen = balance_fen + CASE NEW.direction WHEN 'IN' THEN NEW.amount_fen ELSE -NEW.amount_fen END
         WHERE id = NEW.fund_id;
        INSERT INTO ledger_daily AS d (fund_id, day, direction, category, amount_fen, entries)
        VALUES (NEW.fund_id, (NEW.occurred_at AT TIME ZONE 'Asia/Shanghai')::date, NEW.direction, NEW.category,
                NEW.amount_fen, 1)
        ON CONFLICT (fund_id, day, direction, category)
          DO UPDATE SET amount_fen = d.amount_fen + EXCLUDED.amount_fen, entries = d.entries + 1;
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER ledger_entries_apply BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_entry_apply()`,
    );
    await db.query(`
      CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: correct it with a reversing entry', TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(
      `CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_append_only()`,
    );
    await db.query(
      `CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()`,
    );
    // Balances and the roll-up change only through the ledger trigger above (trigger depth 2), never by hand.
    await db.query(`
      CREATE FUNCTION ledger_derived_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION '% follows the ledger: write a ledger entry instead', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await db.query(
      `CREATE TRIGGER funds_no_delete BEFORE DELETE ON funds FOR EACH ROW EXECUTE FUNCTION ledger_derived_only()`,
    );
    await db.query(
      `CREATE TRIGGER funds_balance_from_ledger BEFORE UPDATE OF balance_fen ON funds FOR EACH ROW
         WHEN (NEW.balance_fen IS DISTINCT FROM OLD.balance_fen) EXECUTE FUNCTION ledger_derived_only()`,
    );
    await db.query(
      `CREATE TRIGGER ledger_daily_from_ledger BEFORE INSERT OR UPDATE OR DELETE ON ledger_daily FOR EACH ROW EXECUTE FUNCTION ledger_derived_only()`,
    );
    await db.query(`
      CREATE FUNCTION funds_start_empty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.balance_fen <> 0 THEN
          RAISE EXCEPTION 'a fund starts empty: its money comes through the ledger' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER funds_start_empty BEFORE INSERT ON funds FOR EACH ROW EXECUTE FUNCTION funds_start_empty()`,
    );

    // Expenses: proposed by a community worker, approved by committee members who are not the proposer -------------
    await db.query(`
      CREATE TABLE expenses (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        fund_id uuid NOT NULL REFERENCES funds(id),
        category text NOT NULL CHECK (category IN (${SPENDING_CATEGORIES})),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        payee text NOT NULL CHECK (char_length(payee) BETWEEN 1 AND 120),
        purpose text NOT NULL CHECK (char_length(purpose) BETWEEN 1 AND 500),
        receipt_reference text NOT NULL CHECK (char_length(receipt_reference) BETWEEN 1 AND 120),
        status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED','APPROVED','REJECTED')),
        approvals_required integer NOT NULL CHECK (approvals_required IN (1, 2)),
        proposed_by uuid NOT NULL,
        rejected_by uuid,
        reject_reason text,
        entry_id uuid REFERENCES ledger_entries(id),
        created_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        decided_at timestamptz,
        CHECK ((status = 'APPROVED') = (entry_id IS NOT NULL)),
        CHECK (rejected_by IS DISTINCT FROM proposed_by)
      )`);
    await db.query(`CREATE INDEX expenses_community_idx ON expenses (community_id, created_at DESC, id DESC)`);
    await db.query(`
      CREATE TABLE expense_approvals (
        expense_id uuid NOT NULL REFERENCES expenses(id),
        approver_id uuid NOT NULL,
        proposed_by uuid NOT NULL,
        approved_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (expense_id, approver_id),
        CONSTRAINT expense_approver_not_proposer CHECK (approver_id <> proposed_by)
      )`);

    // Campaigns, household votes and donations ------------------------------------------------------------------
    await db.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 80),
        purpose text NOT NULL CHECK (char_length(purpose) BETWEEN 1 AND 2000),
        goal_fen bigint NOT NULL CHECK (goal_fen > 0),
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        requires_vote boolean NOT NULL,
        quorum_percent integer NOT NULL CHECK (quorum_percent BETWEEN 1 AND 100),
        status text NOT NULL CHECK (status IN ('VOTING','AWAITING_APPROVAL','OPEN','REJECTED','CLOSED')),
        proposed_by uuid NOT NULL,
        organization_id uuid,
        decided_by uuid,
        decided_at timestamptz,
        yes_votes integer,
        no_votes integer,
        abstain_votes integer,
        households_eligible integer,
        created_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        CHECK (closes_at > opens_at)
      )`);
    await db.query(`CREATE INDEX campaigns_community_idx ON campaigns (community_id, created_at DESC, id DESC)`);
    await db.query(
      `ALTER TABLE funds ADD CONSTRAINT funds_campaign_fk FOREIGN KEY (campaign_id) REFERENCES campaigns(id)`,
    );
    await db.query(`
      CREATE TABLE campaign_votes (
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        household_id uuid NOT NULL,
        voter_id uuid NOT NULL,
        choice text NOT NULL CHECK (choice IN ('YES','NO','ABSTAIN')),
        voted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (campaign_id, household_id)
      )`);
    await db.query(`CREATE SEQUENCE donation_receipt_numbers`);
    await db.query(`
      CREATE TABLE donations (
        id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        community_id uuid NOT NULL,
        donor_id uuid NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        anonymous boolean NOT NULL,
        message text NOT NULL DEFAULT '' CHECK (char_length(message) <= 200),
        status text NOT NULL DEFAULT 'PLEDGED' CHECK (status IN ('PLEDGED','CONFIRMED')),
        payment_reference text,
        receipt_number text UNIQUE,
        entry_id uuid REFERENCES ledger_entries(id),
        confirmed_by uuid,
        confirmed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT ${NOW_MS},
        CHECK ((status = 'CONFIRMED') = (receipt_number IS NOT NULL AND entry_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX donations_campaign_idx ON donations (campaign_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX donations_donor_idx ON donations (donor_id, created_at DESC, id DESC)`);

    // Projections of other services' facts ---------------------------------------------------------------------
    await db.query(`
      CREATE TABLE household_residents (
        user_id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        household_id uuid,
        status text NOT NULL CHECK (status IN ('CONFIRMED','REJECTED','REVOKED')),
        residence_version integer NOT NULL
      )`);
    await db.query(
      `CREATE INDEX household_residents_confirmed_idx ON household_residents (community_id, household_id) WHERE status = 'CONFIRMED'`,
    );
    await db.query(`
      CREATE TABLE organization_members (
        membership_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        user_id uuid NOT NULL,
        community_id uuid NOT NULL,
        role text NOT NULL,
        active boolean NOT NULL,
        membership_version integer NOT NULL
      )`);
    await db.query(`CREATE INDEX organization_members_user_idx ON organization_members (user_id, organization_id)`);

    await createOutboxTable(db);
    await createInboxTable(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await dropInboxTable(db);
    await dropOutboxTable(db);
    for (const table of [
      'organization_members',
      'household_residents',
      'donations',
      'campaign_votes',
      'expense_approvals',
      'expenses',
      'ledger_daily',
      'ledger_entries',
      'funds',
      'campaigns',
      'bookings',
      'facilities',
      'assets',
    ])
      await db.query(`DROP TABLE ${table} CASCADE`);
    await db.query(`DROP SEQUENCE donation_receipt_numbers`);
    await db.query(`DROP FUNCTION ledger_entry_apply, ledger_append_only, ledger_derived_only, funds_start_empty`);
  }
}
