import fs from 'node:fs';
import path from 'node:path';
import type { RunningBroker } from '../src';
import { fastConsumer, kafkaClient, startTestBroker, waitFor } from './helpers';

describe('retention', () => {
  let broker: RunningBroker & { dataDir: string };

  beforeAll(async () => {
    // Tiny segments and a small size limit so that a few hundred messages span many segments.
    broker = await startTestBroker('retention', { segmentBytes: 4096, retentionBytes: 16_384 });
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('deletes whole old segments by size, advances the log start, and consumers begin there', async () => {
    const kafka = kafkaClient(broker.brokers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'rolling', numPartitions: 1 }] });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (let batch = 0; batch < 40; batch++) {
      await producer.send({
        topic: 'rolling',
        acks: -1,
        messages: Array.from({ length: 10 }, (_, i) => ({ value: `${batch * 10 + i}:${'x'.repeat(90)}` })),
      });
    }
    await producer.disconnect();

    const partitionDir = path.join(broker.dataDir, 'topics', 'rolling', '0');
    const segments = fs
      .readdirSync(partitionDir)
      .filter((name) => name.endsWith('.log'))
      .sort();
    const totalBytes = segments.reduce((sum, name) => sum + fs.statSync(path.join(partitionDir, name)).size, 0);
    // Retention runs at each roll, before the new batch goes in: at most retentionBytes plus the oldest kept segment
    // plus the active one remain.
    expect(totalBytes).toBeLessThanOrEqual(16_384 + 2 * 4096);
    expect(segments.length).toBeGreaterThan(1);

    const [offsets] = await admin.fetchTopicOffsets('rolling');
    const logStart = Number(offsets.low);
    expect(offsets.high).toBe('400');
    expect(logStart).toBeGreaterThan(0);
    // The oldest remaining segment file is named after the new log start offset.
    expect(Number(segments[0].replace('.log', ''))).toBe(logStart);

    const received: number[] = [];
    const consumer = kafka.consumer({ groupId: 'rolling-reader', ...fastConsumer });
    await consumer.connect();
    await consumer.subscribe({ topic: 'rolling', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(Number(message.offset));
        expect(message.value!.toString().startsWith(`${message.offset}:`)).toBe(true);
      },
    });
    await waitFor(() => received.length >= 400 - logStart, 10_000, 'the retained messages');
    await consumer.disconnect();
    await admin.disconnect();
    expect(received[0]).toBe(logStart);
    expect(received).toEqual(Array.from({ length: 400 - logStart }, (_, i) => logStart + i));
  });

  it('deletes segments older than retentionMs', async () => {
    const aged = await startTestBroker('retention-age', {
      segmentBytes: 2048,
      retentionMs: 60_000,
      retentionCheckIntervalMs: 100,
    });
    try {
      const kafka = kafkaClient(aged.brokers);
      const producer = kafka.producer();
      await producer.connect();
      const hourAgo = Date.now() - 3_600_000;
      // Old records (by their producer timestamp) first, then fresh ones.
      for (let batch = 0; batch < 10; batch++) {
        await producer.send({
          topic: 'aging',
          messages: Array.from({ length: 5 }, () => ({ value: 'o'.repeat(100), timestamp: String(hourAgo) })),
        });
      }
      await producer.send({ topic: 'aging', messages: [{ value: 'fresh' }] });
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      // Whole segments go: the one that also holds the fresh record stays, so the log start lands on its base.
      await waitFor(
        async () => Number((await admin.fetchTopicOffsets('aging'))[0].low) >= 30,
        5000,
        'old segments gone',
      );
      const [offsets] = await admin.fetchTopicOffsets('aging');
      expect(offsets.high).toBe('51');
      const partitionDir = path.join(aged.dataDir, 'topics', 'aging', '0');
      const oldest = fs
        .readdirSync(partitionDir)
        .filter((name) => name.endsWith('.log'))
        .sort()[0];
      expect(Number(oldest.replace('.log', ''))).toBe(Number(offsets.low));
      await admin.disconnect();
    } finally {
      await aged.stop();
    }
  });
});
