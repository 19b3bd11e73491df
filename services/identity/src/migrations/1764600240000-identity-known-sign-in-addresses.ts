import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each phone last signed in successfully, as a hash of phone and client address (no address is stored in the
 * clear): from such an address the owner is not held back by the phone-wide delay that a distributed attack causes.
 */
export class IdentityKnownSignInAddresses1764600240000 implements MigrationInterface {
  name = 'IdentityKnownSignInAddresses1764600240000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE known_sign_in_addresses (
        key_hash text PRIMARY KEY,
        last_success_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE known_sign_in_addresses`);
  }
}
