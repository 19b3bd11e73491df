import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { startBroker } from '@taoyuan/kafka-broker';
import { createDataSource, createLogger } from '@taoyuan/service-kit';
import { createTestDatabase, type TestDatabase } from '@taoyuan/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import {
  buildEnvelope,
  createInboxTable,
  createOutboxTable,
  EventConsumer,
  PointsAwarded,
  type EventConsumerOptions,
  type EventEnvelope,
  type PayloadOf,
} from '../src';

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

export type TestBroker = Awaited<ReturnType<typeof startTestBroker>>;

/** What the Kafka tests run against: a fresh database, a broker of their own, and an idempotent producer to it. */
export interface EventsTestBed {
  database: TestDatabase;
  dataSource: DataSource;
  broker: TestBroker;
  kafka: Kafka;
  producer: Producer;
}

export async function startTestBed(): Promise<EventsTestBed> {
  const bed: Partial<EventsTestBed> = {};
  try {
    Object.assign(bed, await startDatabase());
    bed.broker = await startTestBroker();
    bed.kafka = testKafka(bed.broker.brokers);
    bed.producer = bed.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await bed.producer.connect();
    return bed as EventsTestBed;
  } catch (error) {
    // afterAll never sees a half-started bed, so what did start is stopped here.
    await stopTestBed(bed);
    throw error;
  }
}

/** Stops what `startTestBed` started; stop consumers first, they still use the database and the broker. */
export async function stopTestBed(bed: Partial<EventsTestBed> | undefined): Promise<void> {
  await bed?.producer?.disconnect();
  await bed?.dataSource?.destroy();
  await bed?.database?.drop();
  await bed?.broker?.stop();
}

export type TestConsumerOptions = Omit<EventConsumerOptions, 'kafka' | 'dataSource' | 'logger'> &
  Partial<Pick<EventConsumerOptions, 'dataSource'>>;

/** A started consumer with short session and fetch waits, so rebalances and deliveries fit a test's timeout. */
export async function startTestConsumer(
  bed: Pick<EventsTestBed, 'kafka' | 'dataSource'>,
  options: TestConsumerOptions,
): Promise<EventConsumer> {
  const consumer = new EventConsumer({
    kafka: bed.kafka,
    dataSource: bed.dataSource,
    logger,
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeInMs: 100,
    ...options,
  });
  try {
    await consumer.start();
  } catch (error) {
    await consumer.stop().catch(() => undefined);
    throw error;
  }
  return consumer;
}

/** A points.awarded event as volunteering publishes it; `overrides` forges what an attacker could. */
export function pointsAwardedEvent(
  userId: string,
  points: number,
  overrides: { source?: string; time?: Date; correlationId?: string } = {},
): EventEnvelope<PayloadOf<typeof PointsAwarded>> {
  const payload = {
    entryId: randomUUID(),
    userId,
    communityId: TAOYUANJU.id,
    points,
    kind: 'EARNED_VOLUNTEERING' as const,
    sourceType: 'ATTENDANCE',
    sourceId: randomUUID(),
    lifetimeEarned: points,
    awardedAt: new Date().toISOString(),
  };
  return buildEnvelope(PointsAwarded, overrides.source ?? '/taoyuan/volunteering', payload, {
    communityId: TAOYUANJU.id,
    time: overrides.time,
    correlationId: overrides.correlationId,
  });
}

/** How many messages a topic holds (0 when it was never created). */
export async function messageCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Points of a resident in the test schema's `residents` table, undefined before the first award. */
export async function pointsOf(dataSource: DataSource, userId: string): Promise<number | undefined> {
  const rows: { points: number }[] = await dataSource.query('SELECT points FROM residents WHERE id = $1', [userId]);
  return rows[0]?.points;
}

/** The handler the consumer tests share: adds the awarded points to the resident (a second run would double them). */
export async function addPoints(
  event: { payload: PayloadOf<typeof PointsAwarded> },
  manager: EntityManager,
): Promise<void> {
  await manager.query(
    `INSERT INTO residents (id, community_id, points) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET points = residents.points + EXCLUDED.points`,
    [event.payload.userId, event.payload.communityId, event.payload.points],
  );
}
