import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConflictError } from '@taoyuan/service-kit';
import { collectMessages, type CollectedMessage } from '@taoyuan/testing';
import type { Consumer } from 'kafkajs';
import {
  DeadLetterOffice,
  dlqTopic,
  type EventConsumer,
  fromKafkaMessage,
  on,
  PointsAwarded,
  REPLAY_HEADERS,
  toKafkaMessage,
} from '../src';
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

/**
 * A dead letter is not the end: once its cause is fixed, `pnpm dlq replay` publishes it again to its topic and the
 * consumer applies it — once, however often it is replayed.
 */
let bed: EventsTestBed;
let consumer: EventConsumer;
let office: DeadLetterOffice;
let originals: CollectedMessage[];
let originalsReader: Consumer;
/** Residents whose events the handler refuses (a rule not yet deployed), or cannot store (a database that stays down). */
const refused = new Set<string>();
const unreachable = new Set<string>();

beforeAll(async () => {
  bed = await startTestBed();
  consumer = await startTestConsumer(bed, {
    groupId: 'replay-test',
    maxAttempts: 2,
    retryBaseMs: 20,
    retryMaxDelayMs: 100,
    retryBudgetMs: 1_000,
    handlers: [
      on(PointsAwarded, async (event, manager) => {
        if (refused.has(event.payload.userId)) throw new ConflictError('NOT_READY', 'the account is not open yet');
        if (unreachable.has(event.payload.userId))
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        await addPoints(event, manager);
      }),
    ],
  });
  office = new DeadLetterOffice(bed.kafka);
  ({ messages: originals, consumer: originalsReader } = await collectMessages(bed.broker.brokers, [
    PointsAwarded.topic,
  ]));
});
afterAll(async () => {
  await originalsReader?.disconnect();
  await consumer?.stop();
  await stopTestBed(bed);
});

async function deadLetterOf(eventId: string) {
  const letters = await office.list({ topic: PointsAwarded.topic });
  return letters.find((letter) => letter.eventId === eventId);
}

/** A later event on the same partition: once it is applied, everything before it has been consumed. */
async function drain(): Promise<void> {
  const marker = randomUUID();
  await bed.producer.send({
    topic: PointsAwarded.topic,
    acks: -1,
    messages: [toKafkaMessage(pointsAwardedEvent(marker, 1))],
  });
  await waitFor(async () => (await pointsOf(bed.dataSource, marker)) === 1, 'a marker event after the replay');
}

describe('dead-letter replay', () => {
  it('replays a dead-lettered event once its cause is fixed: its effect once, and still once when replayed again', async () => {
    const userId = randomUUID();
    refused.add(userId);
    const event = pointsAwardedEvent(userId, 120);
    await bed.producer.send({ topic: PointsAwarded.topic, acks: -1, messages: [toKafkaMessage(event)] });
    const letter = await (async () => {
      await waitFor(async () => (await deadLetterOf(event.id)) !== undefined, 'the refused event in the DLQ');
      return (await deadLetterOf(event.id))!;
    })();
    expect(letter).toMatchObject({
      dlqTopic: dlqTopic(PointsAwarded.topic),
      originalTopic: PointsAwarded.topic,
      consumerGroup: 'replay-test',
      reason: 'HANDLER_FAILED',
      failureKind: 'permanent',
      attempts: 2,
      replayedAt: undefined,
    });
    expect(letter.error).toMatch(/not open yet/);
    expect(await pointsOf(bed.dataSource, userId)).toBeUndefined();

    refused.delete(userId);
    const first = await office.replay({ topic: PointsAwarded.topic });
    expect(first.replayed.map((replayed) => replayed.eventId)).toEqual([event.id]);
    await waitFor(async () => (await pointsOf(bed.dataSource, userId)) === 120, 'the replayed event applied');

    const second = await office.replay({ topic: PointsAwarded.topic });
    expect(second.replayed).toHaveLength(0);
    expect(second.alreadyReplayed.map((skipped) => skipped.eventId)).toEqual([event.id]);
    expect((await deadLetterOf(event.id))?.replayedAt).toBeInstanceOf(Date);

    // Forced, the same event goes out again; the inbox knows its id.
    const forced = await office.replay({ topic: PointsAwarded.topic, offset: letter.offset }, { force: true });
    expect(forced.replayed).toHaveLength(1);
    await drain();
    expect(await pointsOf(bed.dataSource, userId)).toBe(120);

    const copiesOf = () => originals.filter((message) => fromKafkaMessage(message).id === event.id);
    await waitFor(() => copiesOf().length === 3, 'the original and its two replays on the topic');
    const copies = copiesOf();
    const replayedCopy = copies[1];
    expect(replayedCopy.headers?.[REPLAY_HEADERS.replayOf]?.toString()).toBe(
      `${letter.dlqTopic}:${letter.partition}:${letter.offset}`,
    );
    expect(replayedCopy.key?.toString()).toBe(userId);
    expect(Object.keys(replayedCopy.headers ?? {}).filter((name) => name.startsWith('dlq_'))).toEqual([]);
    expect(fromKafkaMessage(replayedCopy)).toMatchObject({
      source: event.source,
      correlationid: event.correlationid,
      time: event.time,
    });
  });

  it('dead-letters a transient failure that outlasts the retry budget, saying so, and replays it by time', async () => {
    const userId = randomUUID();
    unreachable.add(userId);
    const startedAt = new Date();
    const event = pointsAwardedEvent(userId, 30);
    await bed.producer.send({ topic: PointsAwarded.topic, acks: -1, messages: [toKafkaMessage(event)] });
    await waitFor(async () => (await deadLetterOf(event.id)) !== undefined, 'the event in the DLQ after the budget');
    const letter = (await deadLetterOf(event.id))!;
    expect(letter).toMatchObject({ reason: 'RETRY_BUDGET_EXHAUSTED', failureKind: 'transient' });
    expect(letter.attempts).toBeGreaterThan(2);
    expect(await office.list({ topic: PointsAwarded.topic, until: startedAt })).not.toContainEqual(
      expect.objectContaining({ eventId: event.id }),
    );

    unreachable.delete(userId);
    const result = await office.replay({ since: startedAt });
    expect(result.replayed.map((replayed) => replayed.eventId)).toEqual([event.id]);
    await waitFor(async () => (await pointsOf(bed.dataSource, userId)) === 30, 'the replayed event applied');
  });

  it('never replays an event refused for its producer', async () => {
    const forged = pointsAwardedEvent(randomUUID(), 900, { source: '/taoyuan/organizations' });
    await bed.producer.send({ topic: PointsAwarded.topic, acks: -1, messages: [toKafkaMessage(forged)] });
    await waitFor(async () => (await deadLetterOf(forged.id)) !== undefined, 'the forged event in the DLQ');
    const result = await office.replay({ topic: PointsAwarded.topic }, { force: true });
    expect(result.refused.map(({ letter }) => letter.eventId)).toEqual([forged.id]);
    expect(result.replayed.map((letter) => letter.eventId)).not.toContain(forged.id);
  });

  it('lists dead letters through pnpm dlq', async () => {
    const root = path.resolve(__dirname, '../../..');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'packages/events/scripts/dlq.ts', 'list', '--topic', PointsAwarded.topic, '--json'],
      { cwd: root, env: { ...process.env, KAFKA_BROKERS: bed.broker.brokers } },
    );
    const listed = JSON.parse(stdout) as { reason: string; replayedAt: string | null; original: string }[];
    expect(listed.map((letter) => letter.reason).sort()).toEqual([
      'HANDLER_FAILED',
      'RETRY_BUDGET_EXHAUSTED',
      'UNTRUSTED_SOURCE',
    ]);
    expect(listed.filter((letter) => letter.replayedAt === null).map((letter) => letter.reason)).toEqual([
      'UNTRUSTED_SOURCE',
    ]);
    expect(listed[0]?.original).toMatch(new RegExp(`^${PointsAwarded.topic.replace(/\./g, '\\.')}:0:\\d+$`));
  }, 90_000);
});
