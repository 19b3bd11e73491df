import { randomUUID } from 'node:crypto';
import { createDataSource } from '@taoyuan/service-kit';
import { startTcpProxy, type TcpProxy } from '@taoyuan/testing';
import type { DataSource } from 'typeorm';
import { dlqTopic, type EventConsumer, on, PointsAwarded, toKafkaMessage } from '../src';
import {
  addPoints,
  messageCount,
  pointsAwardedEvent,
  pointsOf,
  startTestBed,
  startTestConsumer,
  stopTestBed,
  waitFor,
  type EventsTestBed,
} from './support';

/**
 * A consumer whose database goes away: PostgreSQL is reached through a TCP proxy the test cuts (open connections
 * reset, new ones refused, as when the server is stopped) and restores. The consumer must wait the outage out with
 * its partition paused — nothing dead-lettered, every effect exactly once.
 */
let bed: EventsTestBed;
let consumerDataSource: DataSource;
let proxy: TcpProxy;
let consumer: EventConsumer;
const stuck = new Set<string>();
const attempts = new Map<string, number>();
const MAX_ATTEMPTS = 3;

beforeAll(async () => {
  bed = await startTestBed();
  const target = new URL(bed.database.url);
  proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
  ({ dataSource: consumerDataSource } = createDataSource({
    url: proxy.rewrite(bed.database.url),
    entities: [],
    migrations: [],
    poolSize: 4,
  }));
  await consumerDataSource.initialize();
  const admin = bed.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: PointsAwarded.topic, numPartitions: 2 }] });
  await admin.disconnect();
  consumer = await startTestConsumer(bed, {
    groupId: 'outage-test',
    dataSource: consumerDataSource,
    // The old rule (a few tries, ~3 s) would dead-letter during a 20 s outage; only the retry budget may.
    maxAttempts: MAX_ATTEMPTS,
    retryBaseMs: 100,
    retryMaxDelayMs: 1_000,
    handlers: [
      on(PointsAwarded, async (event, manager) => {
        const userId = event.payload.userId;
        attempts.set(userId, (attempts.get(userId) ?? 0) + 1);
        if (stuck.has(userId))
          throw Object.assign(new Error('deadlock detected'), { code: '40P01' /* deadlock_detected */ });
        await addPoints(event, manager);
      }),
    ],
  });
});
afterAll(async () => {
  await consumer?.stop();
  await consumerDataSource?.destroy().catch(() => undefined);
  await proxy?.close();
  await stopTestBed(bed);
});

async function award(userId: string, points: number, partition: number): Promise<void> {
  await bed.producer.send({
    topic: PointsAwarded.topic,
    acks: -1,
    messages: [{ ...toKafkaMessage(pointsAwardedEvent(userId, points)), partition }],
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('consumer under a database outage', () => {
  it('waits out PostgreSQL gone for 20 s: nothing in the DLQ, every effect exactly once', async () => {
    const before = randomUUID();
    await award(before, 1, 0);
    await waitFor(async () => (await pointsOf(bed.dataSource, before)) === 1, 'the event before the outage');

    await proxy.cut('refuse');
    const during = Array.from({ length: 10 }, (_, i) => ({ userId: randomUUID(), points: 10 + i }));
    for (const [i, { userId, points }] of during.entries()) {
      await award(userId, points, i % 2);
      await sleep(2_000);
    }
    // 20 s without a database, events arriving all along on both partitions.
    await proxy.restore();

    for (const { userId, points } of during)
      await waitFor(async () => (await pointsOf(bed.dataSource, userId)) === points, `the award to ${userId}`, 30_000);
    const handledOnce: { n: string }[] = await bed.dataSource.query(
      `SELECT count(*) AS n FROM inbox WHERE event_type = $1`,
      [PointsAwarded.cloudEventType],
    );
    expect(Number(handledOnce[0]?.n)).toBe(during.length + 1);
    for (const { userId, points } of during) expect(await pointsOf(bed.dataSource, userId)).toBe(points);
    expect(await messageCount(bed.kafka, dlqTopic(PointsAwarded.topic))).toBe(0);
  }, 90_000);

  it('pauses only the failing partition: the other keeps flowing, the paused one keeps its order', async () => {
    const blocked = randomUUID();
    const behindBlocked = randomUUID();
    const otherPartition = randomUUID();
    stuck.add(blocked);
    await award(blocked, 5, 0);
    await award(behindBlocked, 6, 0);
    // Transient failures are retried past the few tries a permanent failure gets.
    await waitFor(() => (attempts.get(blocked) ?? 0) > MAX_ATTEMPTS + 1, 'retries of the blocked event');
    await award(otherPartition, 7, 1);
    await waitFor(async () => (await pointsOf(bed.dataSource, otherPartition)) === 7, 'the other partition');
    expect(await pointsOf(bed.dataSource, behindBlocked)).toBeUndefined();

    stuck.delete(blocked);
    await waitFor(
      async () => (await pointsOf(bed.dataSource, behindBlocked)) === 6,
      'the event behind the blocked one',
    );
    expect(await pointsOf(bed.dataSource, blocked)).toBe(5);
    expect(await messageCount(bed.kafka, dlqTopic(PointsAwarded.topic))).toBe(0);
  }, 60_000);
});
