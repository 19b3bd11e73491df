import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * points_accounts.tier_points: the part of lifetime_earned that counts toward tiers (earned while the resident's
 * residence was confirmed, or released when it was). lifetime_earned − tier_points is held. Accounts that existed
 * before the rule keep everything they had counted (their tiers were already announced).
 */
export class VolunteeringTierPoints1764576180000 implements MigrationInterface {
  name = 'VolunteeringTierPoints1764576180000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE points_accounts ADD COLUMN tier_points integer NOT NULL DEFAULT 0`);
    await db.query(`UPDATE points_accounts SET tier_points = lifetime_earned`);
    await db.query(
      `ALTER TABLE points_accounts ADD CONSTRAINT points_accounts_tier_points_check
         CHECK (tier_points >= 0 AND tier_points <= lifetime_earned)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE points_accounts DROP COLUMN tier_points`);
  }
}
