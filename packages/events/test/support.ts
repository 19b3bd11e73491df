import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBroker } from '@taoyuan/kafka-broker';
import { createDataSource, createLogger } from '@taoyuan/service-kit';
import { createTestDatabase, type TestDatabase } from '@taoyuan/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createInboxTable, createOutboxTable } from '../src';

class EventsTestSchema1700000000000 implements MigrationInterface {
  name = 'EventsTestSchema1700000000000';
  async up(db: QueryRunner) {
    await createOutboxTable(db);
    await createInboxTable(db);
    await db.query(
      `CREATE TABLE residents (id uuid PRIMARY KEY, community_id uuid NOT NULL, points integer NOT NULL DEFAULT 0)`,
    );
  }
  async down() {}
}

export const logger = createLogger('events-test', process.env.LOG_LEVEL ?? 'silent');

export async function startDatabase(): Promise<{ database: TestDatabase; dataSource: DataSource }> {
  const database = await createTestDatabase('events');
  const { dataSource } = createDataSource({
    url: database.url,
    entities: [],
    migrations: [EventsTestSchema1700000000000],
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return { database, dataSource };
}

export async function startTestBroker(
  port = 0,
  dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'taoyuan-events-broker-')), 'data'),
) {
  const broker = await startBroker({ port, dataDir });
  return { ...broker, dataDir };
}

export function testKafka(brokers: string): Kafka {
  return new Kafka({
    clientId: 'events-test',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
}

export { waitFor } from '@taoyuan/testing';
