import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * verification_overrides: audit of attendance verified without a check-in. Only a community worker may do that, and
 * only with a reason; the reason is also in the ledger entry's memo.
 */
export class VolunteeringVerificationOverrides1764576360000 implements MigrationInterface {
  name = 'VolunteeringVerificationOverrides1764576360000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE verification_overrides (
        id uuid PRIMARY KEY,
        attendance_id uuid NOT NULL UNIQUE REFERENCES attendances(id),
        sign_up_id uuid NOT NULL REFERENCES sign_ups(id),
        community_id uuid NOT NULL,
        user_id uuid NOT NULL,
        decided_by uuid NOT NULL CHECK (decided_by <> user_id),
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 4 AND 200),
        decided_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE verification_overrides`);
  }
}
