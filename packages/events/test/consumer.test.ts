import { randomUUID } from 'node:crypto';
import { collectMessages } from '@taoyuan/testing';
import { dlqTopic, type EventConsumer, fromKafkaMessage, on, PointsAwarded, toKafkaMessage } from '../src';
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
let failuresLeft = new Map<string, number>();

beforeAll(async () => {
  bed = await startTestBed();
  consumer = await startTestConsumer(bed, {
    groupId: 'points-test',
    maxAttempts: 3,
    retryBaseMs: 20,
    handlers: [
      on(PointsAwarded, async (event, manager) => {
        const left = failuresLeft.get(event.payload.userId) ?? 0;
        if (left > 0) {
          failuresLeft.set(event.payload.userId, left - 1);
          throw new Error('database hiccup');
        }
        await addPoints(event, manager);
      }),
    ],
  });
});
afterAll(async () => {
  await consumer?.stop();
  await stopTestBed(bed);
});

describe('inbox consumer', () => {
  it('changes state once when the same event is delivered three times', async () => {
    const userId = randomUUID();
    const event = toKafkaMessage(pointsAwardedEvent(userId, 40));
    for (let i = 0; i < 3; i += 1) await bed.producer.send({ topic: PointsAwarded.topic, acks: -1, messages: [event] });
    const marker = randomUUID();
    await bed.producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [toKafkaMessage(pointsAwardedEvent(marker, 1))],
    });
    await waitFor(async () => (await pointsOf(bed.dataSource, marker)) === 1, 'the marker event');
    expect(await pointsOf(bed.dataSource, userId)).toBe(40);
  });

  it('sends a poison event to the DLQ and still processes the next one', async () => {
    const { messages: dead, consumer: dlqReader } = await collectMessages(bed.broker.brokers, [
      dlqTopic(PointsAwarded.topic),
    ]);
    const poison = pointsAwardedEvent(randomUUID(), 10);
    const poisonMessage = toKafkaMessage(poison);
    poisonMessage.value = JSON.stringify({ ...poison.data, points: 'forty' });
    const next = randomUUID();
    await bed.producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [poisonMessage, toKafkaMessage(pointsAwardedEvent(next, 7))],
    });
    await waitFor(async () => (await pointsOf(bed.dataSource, next)) === 7, 'the event after the poison one');
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
    const { messages: dead, consumer: dlqReader } = await collectMessages(bed.broker.brokers, [
      dlqTopic(PointsAwarded.topic),
    ]);
    const brokenEvent = pointsAwardedEvent(broken, 5);
    await bed.producer.send({
      topic: PointsAwarded.topic,
      acks: -1,
      messages: [toKafkaMessage(pointsAwardedEvent(flaky, 3)), toKafkaMessage(brokenEvent)],
    });
    await waitFor(async () => (await pointsOf(bed.dataSource, flaky)) === 3, 'the flaky event after retries');
    await waitFor(() => dead.some((m) => fromKafkaMessage(m).id === brokenEvent.id), 'the broken event in the DLQ');
    expect(dead.find((m) => fromKafkaMessage(m).id === brokenEvent.id)!.headers?.dlq_attempts?.toString()).toBe('3');
    expect(await pointsOf(bed.dataSource, broken)).toBeUndefined();
    await dlqReader.disconnect();
  });

  it('round-trips Chinese text through the envelope', () => {
    const envelope = pointsAwardedEvent(randomUUID(), 1);
    const message = toKafkaMessage({ ...envelope, data: { note: '桃源居·重阳节敬老活动' } });
    expect(fromKafkaMessage({ headers: message.headers, value: Buffer.from(message.value as string) }).data).toEqual({
      note: '桃源居·重阳节敬老活动',
    });
  });
});
