import { createInboxTable, createOutboxTable, dropInboxTable, dropOutboxTable } from '@taoyuan/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const ORGANIZATION_KINDS = `'VOLUNTEER_TEAM','INTEREST_CLUB','ELDERLY_ASSOCIATION','YOUTH_GROUP','MUTUAL_AID_GROUP','FOUNDATION','SERVICE_CENTER','OTHER'`;
const ORGANIZATION_STATUSES = `'PENDING_APPROVAL','ACTIVE','SUSPENDED','DISSOLVED','REJECTED'`;
const MEMBERSHIP_ROLES = `'MEMBER','ACTIVIST','BACKBONE','LEADER'`;
const TIERS = `'VOLUNTEER','ACTIVIST','BACKBONE','LEADER'`;

export class OrganizationsInitial1764057600000 implements MigrationInterface {
  name = 'OrganizationsInitial1764057600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 60),
        kind text NOT NULL CHECK (kind IN (${ORGANIZATION_KINDS})),
        description text NOT NULL CHECK (char_length(description) <= 2000),
        contact text CHECK (char_length(contact) <= 100),
        join_policy text NOT NULL CHECK (join_policy IN ('OPEN', 'APPROVAL')),
        status text NOT NULL CHECK (status IN (${ORGANIZATION_STATUSES})),
        registered_by uuid NOT NULL,
        approved_by uuid,
        approved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A rejected or dissolved organization gives its name back, so a new group may use it; among the living ones
    // the name is unique per community, ignoring case.
    await db.query(`
      CREATE UNIQUE INDEX organizations_name_key ON organizations (community_id, lower(name))
        WHERE status NOT IN ('REJECTED', 'DISSOLVED')`);
    await db.query(`CREATE INDEX organizations_community_name_idx ON organizations (community_id, name, id)`);
    await db.query(`
      CREATE TABLE organization_status_changes (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        community_id uuid NOT NULL,
        from_status text CHECK (from_status IN (${ORGANIZATION_STATUSES})),
        to_status text NOT NULL CHECK (to_status IN (${ORGANIZATION_STATUSES})),
        reason text,
        changed_by uuid NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(
      `CREATE INDEX organization_status_changes_org_idx ON organization_status_changes (organization_id, changed_at)`,
    );
    await db.query(`
      CREATE TABLE organization_policies (
        community_id uuid PRIMARY KEY,
        max_leaders_per_organization integer NOT NULL CHECK (max_leaders_per_organization BETWEEN 1 AND 50),
        updated_by uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE memberships (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        community_id uuid NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        user_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN (${MEMBERSHIP_ROLES})),
        status text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'LEFT', 'REMOVED', 'REJECTED')),
        requested_at timestamptz NOT NULL DEFAULT now(),
        joined_at timestamptz,
        ended_at timestamptz,
        end_reason text,
        CHECK (status <> 'ACTIVE' OR (joined_at IS NOT NULL AND ended_at IS NULL)),
        CHECK (status NOT IN ('LEFT', 'REMOVED', 'REJECTED') OR ended_at IS NOT NULL)
      )`);
    // One open (pending or active) membership per resident and organization; after leaving they may join again.
    await db.query(`
      CREATE UNIQUE INDEX memberships_open_key ON memberships (organization_id, user_id)
        WHERE status IN ('PENDING', 'ACTIVE')`);
    await db.query(`CREATE INDEX memberships_org_role_idx ON memberships (organization_id, status, role, seq)`);
    await db.query(`CREATE INDEX memberships_user_idx ON memberships (user_id, status)`);
    await db.query(`
      CREATE TABLE membership_role_changes (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        membership_id uuid NOT NULL REFERENCES memberships(id),
        community_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        user_id uuid NOT NULL,
        from_role text CHECK (from_role IN (${MEMBERSHIP_ROLES})),
        to_role text NOT NULL CHECK (to_role IN (${MEMBERSHIP_ROLES})),
        candidate_id uuid,
        changed_by uuid NOT NULL,
        reason text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(
      `CREATE INDEX membership_role_changes_membership_idx ON membership_role_changes (membership_id, seq)`,
    );
    await db.query(`CREATE INDEX membership_role_changes_user_idx ON membership_role_changes (user_id, seq)`);
    // What organizations knows of volunteering's tiers, from points.tier-reached: the highest tier per resident.
    await db.query(`
      CREATE TABLE resident_tiers (
        user_id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        tier text NOT NULL CHECK (tier IN (${TIERS})),
        lifetime_earned integer NOT NULL CHECK (lifetime_earned >= 0),
        reached_at timestamptz NOT NULL,
        source_event_id uuid NOT NULL
      )`);
    await db.query(`
      CREATE TABLE promotion_candidates (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        community_id uuid NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        membership_id uuid NOT NULL REFERENCES memberships(id),
        user_id uuid NOT NULL,
        from_role text NOT NULL CHECK (from_role IN (${MEMBERSHIP_ROLES})),
        target_role text NOT NULL CHECK (target_role IN ('ACTIVIST', 'BACKBONE', 'LEADER')),
        eligible_up_to text NOT NULL CHECK (eligible_up_to IN ('ACTIVIST', 'BACKBONE', 'LEADER')),
        status text NOT NULL CHECK (status IN ('ELIGIBLE', 'APPROVED', 'DECLINED', 'SUPERSEDED')),
        source_event_id uuid NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        decided_by uuid,
        decided_at timestamptz,
        decline_reason text,
        CHECK ((status = 'DECLINED') = (decline_reason IS NOT NULL))
      )`);
    // At most one open candidate per membership: a leader decides one step at a time.
    await db.query(`
      CREATE UNIQUE INDEX promotion_candidates_open_key ON promotion_candidates (membership_id)
        WHERE status = 'ELIGIBLE'`);
    // One tier event raises a given step for a membership once: redelivery or a decline never brings it back.
    await db.query(`
      CREATE UNIQUE INDEX promotion_candidates_source_key
        ON promotion_candidates (membership_id, target_role, source_event_id)`);
    await db.query(`CREATE INDEX promotion_candidates_org_idx ON promotion_candidates (organization_id, status, seq)`);
    await createOutboxTable(db);
    await createInboxTable(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await dropInboxTable(db);
    await dropOutboxTable(db);
    await db.query(`DROP TABLE promotion_candidates, resident_tiers, membership_role_changes, memberships`);
    await db.query(`DROP TABLE organization_policies, organization_status_changes, organizations`);
  }
}
