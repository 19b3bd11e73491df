import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Projection of host organizations' status, from organizations.organization.status-changed. */
export class VolunteeringOrganizationStatus1764144000000 implements MigrationInterface {
  name = 'VolunteeringOrganizationStatus1764144000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organizer_organizations (
        organization_id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        status text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE organizer_organizations`);
  }
}
