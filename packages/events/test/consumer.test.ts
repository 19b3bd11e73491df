import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { collectMessages, type TestDatabase } from '@taoyuan/testing';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { buildEnvelope, dlqTopic, EventConsumer, fromKafkaMessage, on, PointsAwarded, toKafkaMessage } from '../src';
import { logger, startDatabase, startTestBroker, testKafka, waitFor } from './support';

let database: TestDatabase;
let dataSource: DataSource;
let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
let producer: Producer;
let consumer: EventConsumer;
let failuresLeft = new Map<string, number>();

beforeAll(async () => {
  ({ database, dataSource } = await startDatabase());
  broker = await startTestBroker();
  kafka = testKafka(broker.brokers);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  consumer = new EventConsumer({
    kafka,
    groupId: 'points-test',
    dataSource,
    logger,
    maxAttempts: 3,
    retryBaseMs: 20,
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeInMs: 100,
    handlers: [
      on(PointsAwarded, async (event, manager) => {
        const left = failuresLeft.get(event.payload.userId) ?? 0;
        if (left > 0) {
          failuresLeft.set(event.payload.userId, left - 1);
          throw new Error('database hiccup');
        }
        await manager.query(
          `INSERT INTO residents (id, community_id, points) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET points = residents.points + EXCLUDED.points`,
          [event.payload.userId, event.payload.communityId, event.payload.points],
        );
      }),
    ],
  });
  await consumer.start();
});
afterAll(async () => {
  await consumer?.stop();
  await producer?.disconnect();
  await dataSource?.destroy();
  await database?.drop();
  await broker?.stop();
});

function award(userId: string, points: number) {
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
  return buildEnvelope(PointsAwarded, '/taoyuan/volunteering', payload, { communityId: TAOYUANJU.id });
}

const pointsOf = async (userId: string) => {
  const rows: { points: number }[] = await dataSource.query('SELECT points FROM residents WHERE id = $1', [userId]);
  return rows[0]?.points;
};

describe('inbox consumer', () => {
  it('changes state once when the same event is delivered three times', async () => {
    const userId = randomUUID();
    const event = toKafkaMessage(award(userId, 40));
    for (let i = 0; i < 3; i += 1) await producer.send({ topic: PointsAwarded.topic, acks: -1, messages: [event] });
    const marker = randomUUID();
    await producer.send({ topic: PointsAwarded.topic, acks: -1, messages: [toKafkaMessage(award(marker, 1))] });
    await waitFor(async () => (await pointsOf(marker)) === 1, 'the marker event');
    expect(await pointsOf(userId)).toBe(40);
  });

  it('sends a poison event to the DLQ and still processes the next one', async () => {
    const { messages: dead, consumer: dlqReader } = await collectMessages(broker.brokers, [
      dlqTopic(PointsAwarded.topic),
    ]);
    const poison = award(randomUUID(), 10);
    const poisonMessage = toKafkaMessage(poison);
    poisonMessage.value = JSON.stringify({ ...poison.data, points: 'forty' });
    const next = randomUUID();
    await producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [poisonMessage, toKafkaMessage(award(next, 7))],
    });
    await waitFor(async () => (await pointsOf(next)) === 7, 'the event after the poison one');
    await waitFor(() => dead.some((m) => fromKafkaMessage(m).id === poison.id), 'the poison event in the DLQ');
    const letter = dead.find((m) => fromKafkaMessage(m).id === poison.id)!;
    expect(letter.headers?.dlq_error?.toString()).toMatch(/does not match/);
    expect(letter.headers?.dlq_original_topic?.toString()).toBe(PointsAwarded.topic);
    await dlqReader.disconnect();
  });

  it('retries a transient failure, and dead-letters an event that keeps failing', async () => {
    const flaky = randomUUID();
    const broken = randomUUID();
    failuresLeft = new Map([
      [flaky, 2],
      [broken, 99],
    ]);
    const { messages: dead, consumer: dlqReader } = await collectMessages(broker.brokers, [
      dlqTopic(PointsAwarded.topic),
    ]);
    const brokenEvent = award(broken, 5);
    await producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [toKafkaMessage(award(flaky, 3)), toKafkaMessage(brokenEvent)],
    });
    await waitFor(async () => (await pointsOf(flaky)) === 3, 'the flaky event after retries');
    await waitFor(() => dead.some((m) => fromKafkaMessage(m).id === brokenEvent.id), 'the broken event in the DLQ');
    expect(dead.find((m) => fromKafkaMessage(m).id === brokenEvent.id)!.headers?.dlq_attempts?.toString()).toBe('3');
    expect(await pointsOf(broken)).toBeUndefined();
    await dlqReader.disconnect();
  });

  it('round-trips Chinese text through the envelope', () => {
    const envelope = award(randomUUID(), 1);
    const message = toKafkaMessage({ ...envelope, data: { note: '桃源居·重阳节敬老活动' } });
    expect(fromKafkaMessage({ headers: message.headers, value: Buffer.from(message.value as string) }).data).toEqual({
      note: '桃源居·重阳节敬老活动',
    });
  });
});
