import { randomUUID } from 'node:crypto';
import { collectMessages, type CollectedMessage, type TestDatabase } from '@taoyuan/testing';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { DLQ_HEADERS, dlqTopic, EventConsumer, fromKafkaMessage, on, PointsAwarded, toKafkaMessage } from '../src';
import {
  addPoints,
  logger,
  pointsAwardedEvent,
  pointsOf,
  startDatabase,
  startTestBroker,
  testKafka,
  waitFor,
} from './support';

let database: TestDatabase;
let dataSource: DataSource;
let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
let producer: Producer;
let consumer: EventConsumer;
let dead: CollectedMessage[];
let dlqReader: Consumer;
const handledTimes = new Map<string, Date>();

beforeAll(async () => {
  ({ database, dataSource } = await startDatabase());
  broker = await startTestBroker();
  kafka = testKafka(broker.brokers);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  consumer = new EventConsumer({
    kafka,
    groupId: 'acceptance-test',
    dataSource,
    logger,
    maxClockSkewMs: 5 * 60_000,
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeInMs: 100,
    handlers: [
      on(PointsAwarded, async (event, manager) => {
        handledTimes.set(event.payload.userId, event.time);
        await addPoints(event, manager);
      }),
    ],
  });
  await consumer.start();
  ({ messages: dead, consumer: dlqReader } = await collectMessages(broker.brokers, [dlqTopic(PointsAwarded.topic)]));
});
afterAll(async () => {
  await dlqReader?.disconnect();
  await consumer?.stop();
  await producer?.disconnect();
  await dataSource?.destroy();
  await database?.drop();
  await broker?.stop();
});

const letterOf = (eventId: string) => dead.find((message) => fromKafkaMessage(message).id === eventId);
const header = (message: CollectedMessage | undefined, name: string) => message?.headers?.[name]?.toString();

describe('consumer gate', () => {
  it('dead-letters at once, never handled, an event type published by a producer other than the declared one', async () => {
    const userId = randomUUID();
    const forged = pointsAwardedEvent(userId, 5_000, { source: '/taoyuan/identity' });
    const next = randomUUID();
    await producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [toKafkaMessage(forged), toKafkaMessage(pointsAwardedEvent(next, 3))],
    });
    await waitFor(async () => (await pointsOf(dataSource, next)) === 3, 'the genuine event after the forged one');
    await waitFor(() => letterOf(forged.id) !== undefined, 'the forged event in the DLQ');
    const letter = letterOf(forged.id);
    expect(header(letter, DLQ_HEADERS.reason)).toBe('UNTRUSTED_SOURCE');
    expect(header(letter, DLQ_HEADERS.error)).toMatch(/only by \/taoyuan\/volunteering/);
    expect(header(letter, DLQ_HEADERS.attempts)).toBe('1');
    expect(header(letter, DLQ_HEADERS.consumerGroup)).toBe('acceptance-test');
    expect(header(letter, 'ce_source')).toBe('/taoyuan/identity');
    expect(await pointsOf(dataSource, userId)).toBeUndefined();
  });

  it('dead-letters an event dated beyond the clock skew, and hands handlers the checked time as a Date', async () => {
    const frozen = randomUUID();
    const future = pointsAwardedEvent(frozen, 10, { time: new Date('9999-01-01T00:00:00.000Z') });
    const onTime = randomUUID();
    const sentAt = new Date(Date.now() - 1_000);
    await producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [toKafkaMessage(future), toKafkaMessage(pointsAwardedEvent(onTime, 2, { time: sentAt }))],
    });
    await waitFor(async () => (await pointsOf(dataSource, onTime)) === 2, 'the event dated now');
    await waitFor(() => letterOf(future.id) !== undefined, 'the future event in the DLQ');
    expect(header(letterOf(future.id), DLQ_HEADERS.reason)).toBe('FUTURE_TIME');
    expect(header(letterOf(future.id), DLQ_HEADERS.failureKind)).toBe('rejected');
    expect(await pointsOf(dataSource, frozen)).toBeUndefined();
    expect(handledTimes.get(onTime)).toEqual(sentAt);
  });
});
