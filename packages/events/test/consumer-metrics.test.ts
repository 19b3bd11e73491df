import { randomUUID } from 'node:crypto';
import { consumerLag, deadLettered } from '@taoyuan/service-kit';
import { type EventConsumer, on, PointsAwarded, toKafkaMessage } from '../src';
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
 * What an operator reads in /metrics about a consumer: how many events wait per topic and partition (behind an event
 * whose handler keeps failing, they pile up), and how many events went to the dead-letter topic and why.
 */
let bed: EventsTestBed;
let consumer: EventConsumer;
const GROUP = 'metrics-test';
/** Residents whose events cannot be stored for now (a database that is down). */
const unreachable = new Set<string>();

beforeAll(async () => {
  bed = await startTestBed();
  consumer = await startTestConsumer(bed, {
    groupId: GROUP,
    retryBaseMs: 20,
    retryMaxDelayMs: 100,
    handlers: [
      on(PointsAwarded, async (event, manager) => {
        if (unreachable.has(event.payload.userId))
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        await addPoints(event, manager);
      }),
    ],
  });
});
afterAll(async () => {
  await consumer?.stop();
  await stopTestBed(bed);
});

/** The group's largest lag over the topic's partitions, as the last batch left it. */
async function lag(): Promise<number | undefined> {
  const values = (await consumerLag.get()).values.filter(
    (value) => value.labels.group === GROUP && value.labels.topic === PointsAwarded.topic,
  );
  return values.length ? Math.max(...values.map((value) => value.value)) : undefined;
}

async function deadLetteredCount(reason: string): Promise<number> {
  const values = (await deadLettered.get()).values;
  return (
    values.find((value) => value.labels.topic === PointsAwarded.topic && value.labels.reason === reason)?.value ?? 0
  );
}

describe('consumer metrics', () => {
  it('shows events waiting behind a failing one as lag, and 0 once they are handled', async () => {
    const resident = randomUUID();
    unreachable.add(resident);
    await bed.producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      // Same key, same partition: the second and third wait behind the first.
      messages: [5, 6, 7].map((points) => toKafkaMessage(pointsAwardedEvent(resident, points))),
    });
    await waitFor(async () => ((await lag()) ?? 0) >= 3, 'lag of the three waiting events');

    unreachable.delete(resident);
    await waitFor(async () => (await pointsOf(bed.dataSource, resident)) === 18, 'the three events handled');
    await waitFor(async () => (await lag()) === 0, 'lag back to 0');
  });

  it('counts dead-lettered events by topic and reason', async () => {
    const before = await deadLetteredCount('MALFORMED');
    const broken = toKafkaMessage(pointsAwardedEvent(randomUUID(), 10));
    broken.value = '{ not json';
    const after = randomUUID();
    await bed.producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [broken, toKafkaMessage(pointsAwardedEvent(after, 4))],
    });
    await waitFor(async () => (await pointsOf(bed.dataSource, after)) === 4, 'the event after the broken one');
    expect(await deadLetteredCount('MALFORMED')).toBe(before + 1);
  });
});
