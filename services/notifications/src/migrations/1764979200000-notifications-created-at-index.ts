import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Retention deletes by age: without this index every hourly run would read the whole table. */
export class NotificationsCreatedAtIndex1764979200000 implements MigrationInterface {
  name = 'NotificationsCreatedAtIndex1764979200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX notifications_created_at_idx ON notifications (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX notifications_created_at_idx`);
  }
}
