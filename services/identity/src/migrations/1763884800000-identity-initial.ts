import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityInitial1763884800000 implements MigrationInterface {
  name = 'IdentityInitial1763884800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE communities (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        city text NOT NULL,
        district text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE grids (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL REFERENCES communities(id),
        name text NOT NULL,
        leader_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (community_id, name)
      )`);
    await db.query(`
      CREATE TABLE households (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL REFERENCES communities(id),
        grid_id uuid NOT NULL REFERENCES grids(id),
        building text NOT NULL,
        unit text NOT NULL,
        room text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (community_id, building, unit, room)
      )`);
    await db.query(`CREATE INDEX households_grid_idx ON households (grid_id)`);
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL REFERENCES communities(id),
        phone text NOT NULL CHECK (phone ~ '^1[3-9][0-9]{9}$'),
        display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 40),
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT ARRAY['RESIDENT']
          CHECK (roles <@ ARRAY['RESIDENT','COMMUNITY_WORKER','COMMITTEE','ADMIN']::text[] AND cardinality(roles) > 0),
        household_id uuid REFERENCES households(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX users_phone_key ON users (phone)`);
    await db.query(`CREATE INDEX users_community_idx ON users (community_id)`);
    await db.query(
      `ALTER TABLE grids ADD CONSTRAINT grids_leader_fk FOREIGN KEY (leader_user_id) REFERENCES users(id)`,
    );
    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await db.query(`
      CREATE TABLE role_changes (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        role text NOT NULL,
        action text NOT NULL CHECK (action IN ('GRANTED', 'REVOKED')),
        changed_by uuid NOT NULL REFERENCES users(id),
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX role_changes_user_idx ON role_changes (user_id, changed_at)`);
    // Keyed by phone, not by user or community: unknown phones are throttled exactly like known ones, so the lock
    // tells an attacker nothing about which numbers are registered.
    await db.query(`
      CREATE TABLE login_throttle (
        phone text PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE login_throttle, role_changes, refresh_tokens`);
    await db.query(`ALTER TABLE grids DROP CONSTRAINT grids_leader_fk`);
    await db.query(`DROP TABLE users, households, grids, communities`);
  }
}
