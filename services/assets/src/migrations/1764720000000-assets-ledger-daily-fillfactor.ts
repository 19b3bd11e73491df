import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every ledger entry updates one row of the daily roll-up. Leaving half of each page free lets those updates stay
 * on their page (HOT), so the roll-up and its index do not bloat with dead versions between vacuums.
 */
export class AssetsLedgerDailyFillfactor1764720000000 implements MigrationInterface {
  name = 'AssetsLedgerDailyFillfactor1764720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ledger_daily SET (fillfactor = 50)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ledger_daily RESET (fillfactor)`);
  }
}
