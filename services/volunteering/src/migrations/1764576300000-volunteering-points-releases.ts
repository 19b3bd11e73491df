import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * points_releases: append-only record of held points released toward tiers when a residence was confirmed. One
 * per confirmation (user, residence version), so a redelivered confirmation releases nothing twice.
 */
export class VolunteeringPointsReleases1764576300000 implements MigrationInterface {
  name = 'VolunteeringPointsReleases1764576300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE points_releases (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES points_accounts(user_id),
        community_id uuid NOT NULL,
        points integer NOT NULL CHECK (points > 0),
        tier_points_after integer NOT NULL CHECK (tier_points_after >= 0),
        residence_version integer NOT NULL,
        released_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (user_id, residence_version)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE points_releases`);
  }
}
