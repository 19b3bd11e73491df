import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A resident's claim to live in a household and the staff decision on it (one row per user, versioned), with an
 * append-only trail of every claim and decision. Users who already had a household keep it as an open claim.
 */
export class IdentityResidences1764600180000 implements MigrationInterface {
  name = 'IdentityResidences1764600180000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE residences (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        community_id uuid NOT NULL REFERENCES communities(id),
        household_id uuid REFERENCES households(id),
        status text NOT NULL CHECK (status IN ('CLAIMED', 'CONFIRMED', 'REJECTED', 'REVOKED')),
        version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
        claimed_at timestamptz NOT NULL,
        decided_at timestamptz,
        decided_by uuid REFERENCES users(id),
        reason text,
        CHECK (household_id IS NOT NULL OR status = 'REVOKED'),
        CHECK (decided_by IS NULL OR decided_by <> user_id)
      )`);
    await db.query(`CREATE INDEX residences_household_idx ON residences (household_id)`);
    await db.query(`CREATE INDEX residences_pending_idx ON residences (community_id) WHERE status = 'CLAIMED'`);
    await db.query(`
      CREATE TABLE residence_changes (
        id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        household_id uuid REFERENCES households(id),
        action text NOT NULL CHECK (action IN ('CLAIMED', 'CONFIRMED', 'REJECTED', 'REVOKED')),
        version integer NOT NULL,
        changed_by uuid NOT NULL REFERENCES users(id),
        reason text,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX residence_changes_user_idx ON residence_changes (user_id, changed_at)`);
    await db.query(`
      INSERT INTO residences (user_id, community_id, household_id, status, claimed_at)
      SELECT id, community_id, household_id, 'CLAIMED', created_at FROM users WHERE household_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE residence_changes, residences`);
  }
}
