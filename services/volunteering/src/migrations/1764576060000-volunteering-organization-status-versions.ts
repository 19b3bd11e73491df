import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * organizer_organizations.status_version: the organization's status version the row shows, so the newest status
 * wins whatever the order of the events or the time they claim (a status event dated 9999 no longer freezes it).
 */
export class VolunteeringOrganizationStatusVersions1764576060000 implements MigrationInterface {
  name = 'VolunteeringOrganizationStatusVersions1764576060000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE organizer_organizations ADD COLUMN status_version integer NOT NULL DEFAULT 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE organizer_organizations DROP COLUMN status_version`);
  }
}
