import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Growing delays instead of a fixed lock. One row per throttled key (a phone, or a phone from one client address):
 * how many sign-ins failed in a row and when the next attempt may run. The old table held transient counters only.
 */
export class IdentitySignInDelays1764600000000 implements MigrationInterface {
  name = 'IdentitySignInDelays1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE login_throttle`);
    await db.query(`
      CREATE TABLE sign_in_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL CHECK (failures >= 0),
        next_attempt_at timestamptz NOT NULL,
        last_failure_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sign_in_throttle`);
    await db.query(`
      CREATE TABLE login_throttle (
        phone text PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);
  }
}
