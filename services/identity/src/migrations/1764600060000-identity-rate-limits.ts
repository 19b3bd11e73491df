import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed-window request counters shared by every identity replica (per client address, per phone). */
export class IdentityRateLimits1764600060000 implements MigrationInterface {
  name = 'IdentityRateLimits1764600060000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rate_limits (
        bucket text NOT NULL,
        key text NOT NULL,
        window_started_at timestamptz NOT NULL,
        hits integer NOT NULL CHECK (hits >= 0),
        PRIMARY KEY (bucket, key)
      )`);
    await db.query(`CREATE INDEX rate_limits_window_idx ON rate_limits (window_started_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rate_limits`);
  }
}
