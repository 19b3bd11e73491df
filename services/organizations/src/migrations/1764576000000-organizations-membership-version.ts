import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * memberships.version: 1 when the membership is created, +1 with every change of it. Each membership event carries
 * it, so a consumer can apply joined / promoted / left in whatever order Kafka delivers them (they travel on three
 * topics) and keep the newest.
 */
export class OrganizationsMembershipVersion1764576000000 implements MigrationInterface {
  name = 'OrganizationsMembershipVersion1764576000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE memberships ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE memberships DROP COLUMN version`);
  }
}
