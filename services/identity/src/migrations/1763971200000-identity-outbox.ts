import { createOutboxTable, dropOutboxTable } from '@taoyuan/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityOutbox1763971200000 implements MigrationInterface {
  name = 'IdentityOutbox1763971200000';

  async up(db: QueryRunner): Promise<void> {
    await createOutboxTable(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await dropOutboxTable(db);
  }
}
