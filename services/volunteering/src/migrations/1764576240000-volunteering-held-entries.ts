import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * points_entries.held: the earning was credited while the resident's residence was not confirmed, so it did not
 * count toward tiers when written. A fact fixed at insertion (the ledger stays append-only); its release is a
 * points_releases row.
 */
export class VolunteeringHeldEntries1764576240000 implements MigrationInterface {
  name = 'VolunteeringHeldEntries1764576240000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE points_entries ADD COLUMN held boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE points_entries DROP COLUMN held`);
  }
}
