import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * organizer_memberships.membership_version: the version of the newest membership fact the row shows. Joined,
 * promoted and left travel on three topics, so they may arrive in any order; the projection keeps the highest
 * version (applyIfNewer). Rows written before versions existed hold 0, so any versioned fact replaces them.
 */
export class VolunteeringMembershipVersions1764576000000 implements MigrationInterface {
  name = 'VolunteeringMembershipVersions1764576000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE organizer_memberships ADD COLUMN membership_version integer NOT NULL DEFAULT 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE organizer_memberships DROP COLUMN membership_version`);
  }
}
