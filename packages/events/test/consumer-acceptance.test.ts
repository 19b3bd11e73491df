import { randomUUID } from 'node:crypto';
import { collectMessages, type CollectedMessage } from '@taoyuan/testing';
import type { Consumer } from 'kafkajs';
import { DLQ_HEADERS, dlqTopic, type EventConsumer, fromKafkaMessage, on, PointsAwarded, toKafkaMessage } from '../src';
import {
  addPoints,
  pointsAwardedEvent,
  pointsOf,
  startTestBed,
  startTestConsumer,
  stopTestBed,
  waitFor,
  type EventsTestBed,
} from './support';

let bed: EventsTestBed;
let consumer: EventConsumer;
let dead: CollectedMessage[];
let dlqReader: Consumer;
const handledTimes = new Map<string, Date>();

beforeAll(async () => {
  bed = await startTestBed();
  consumer = await startTestConsumer(bed, {
    groupId: 'acceptance-test',
    maxClockSkewMs: 5 * 60_000,
    handlers: [
      on(PointsAwarded, async (event, manager) => {
        handledTimes.set(event.payload.userId, event.time);
        await addPoints(event, manager);
      }),
    ],
  });
  ({ messages: dead, consumer: dlqReader } = await collectMessages(bed.broker.brokers, [
    dlqTopic(PointsAwarded.topic),
  ]));
});
afterAll(async () => {
  await dlqReader?.disconnect();
  await consumer?.stop();
  await stopTestBed(bed);
});

const letterOf = (eventId: string) => dead.find((message) => fromKafkaMessage(message).id === eventId);
const header = (message: CollectedMessage | undefined, name: string) => message?.headers?.[name]?.toString();

describe('consumer gate', () => {
  it('dead-letters at once, never handled, an event type published by a producer other than the declared one', async () => {
    const userId = randomUUID();
    const forged = pointsAwardedEvent(userId, 5_000, { source: '/taoyuan/identity' });
    const next = randomUUID();
    await bed.producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [toKafkaMessage(forged), toKafkaMessage(pointsAwardedEvent(next, 3))],
    });
    await waitFor(async () => (await pointsOf(bed.dataSource, next)) === 3, 'the genuine event after the forged one');
    await waitFor(() => letterOf(forged.id) !== undefined, 'the forged event in the DLQ');
    const letter = letterOf(forged.id);
    expect(header(letter, DLQ_HEADERS.reason)).toBe('UNTRUSTED_SOURCE');
    expect(header(letter, DLQ_HEADERS.error)).toMatch(/only by \/taoyuan\/volunteering/);
    expect(header(letter, DLQ_HEADERS.attempts)).toBe('1');
    expect(header(letter, DLQ_HEADERS.consumerGroup)).toBe('acceptance-test');
    expect(header(letter, 'ce_source')).toBe('/taoyuan/identity');
    expect(await pointsOf(bed.dataSource, userId)).toBeUndefined();
  });

  it('dead-letters an event dated beyond the clock skew, and hands handlers the checked time as a Date', async () => {
    const frozen = randomUUID();
    const future = pointsAwardedEvent(frozen, 10, { time: new Date('9999-01-01T00:00:00.000Z') });
    const onTime = randomUUID();
    const sentAt = new Date(Date.now() - 1_000);
    await bed.producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [toKafkaMessage(future), toKafkaMessage(pointsAwardedEvent(onTime, 2, { time: sentAt }))],
    });
    await waitFor(async () => (await pointsOf(bed.dataSource, onTime)) === 2, 'the event dated now');
    await waitFor(() => letterOf(future.id) !== undefined, 'the future event in the DLQ');
    expect(header(letterOf(future.id), DLQ_HEADERS.reason)).toBe('FUTURE_TIME');
    expect(header(letterOf(future.id), DLQ_HEADERS.failureKind)).toBe('rejected');
    expect(await pointsOf(bed.dataSource, frozen)).toBeUndefined();
    expect(handledTimes.get(onTime)).toEqual(sentAt);
  });
});
