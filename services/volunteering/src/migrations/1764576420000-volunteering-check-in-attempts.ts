import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * sign_ups.check_in_failures: wrong check-in codes entered for this sign-up. Six digits are guessable without a
 * limit; after MAX_CHECK_IN_FAILURES the sign-up is locked until an organizer resets it.
 */
export class VolunteeringCheckInAttempts1764576420000 implements MigrationInterface {
  name = 'VolunteeringCheckInAttempts1764576420000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE sign_ups ADD COLUMN check_in_failures integer NOT NULL DEFAULT 0 CHECK (check_in_failures >= 0)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sign_ups DROP COLUMN check_in_failures`);
  }
}
