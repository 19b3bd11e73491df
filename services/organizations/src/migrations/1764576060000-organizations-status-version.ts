import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * organizations.status_version: how many statuses the organization has had (1 = PENDING_APPROVAL at registration,
 * 2 = the committee's decision, +1 per later change). organizations.organization.status-changed carries it so that
 * consumers keep the newest status whatever the order or the claimed time of the events.
 */
export class OrganizationsStatusVersion1764576060000 implements MigrationInterface {
  name = 'OrganizationsStatusVersion1764576060000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE organizations ADD COLUMN status_version integer NOT NULL DEFAULT 1 CHECK (status_version >= 1)`,
    );
    await db.query(`
      UPDATE organizations o
         SET status_version = GREATEST(1, (SELECT count(*) FROM organization_status_changes c
                                            WHERE c.organization_id = o.id))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE organizations DROP COLUMN status_version`);
  }
}
