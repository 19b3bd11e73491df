import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live one-time code of a phone being registered: only its hash, its expiry and how often it was tried. A phone
 * that is already registered gets a row whose hash is null, so no code can ever match it.
 */
export class IdentityRegistrationCodes1764600120000 implements MigrationInterface {
  name = 'IdentityRegistrationCodes1764600120000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE registration_codes (
        phone text PRIMARY KEY,
        code_hash text,
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE registration_codes`);
  }
}
