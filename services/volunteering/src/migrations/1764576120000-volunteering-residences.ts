import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Projection of identity.residence.changed: whether a grid worker or committee member has confirmed that the
 * resident lives in a household of the community. Only then do earned points count toward tiers (decision 0007).
 */
export class VolunteeringResidences1764576120000 implements MigrationInterface {
  name = 'VolunteeringResidences1764576120000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE residences (
        user_id uuid PRIMARY KEY,
        community_id uuid NOT NULL,
        household_id uuid,
        status text NOT NULL CHECK (status IN ('CONFIRMED', 'REJECTED', 'REVOKED')),
        residence_version integer NOT NULL CHECK (residence_version >= 0),
        changed_by uuid,
        changed_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE residences`);
  }
}
