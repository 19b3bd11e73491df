import fs from 'node:fs';
import path from 'node:path';
import type { RunningBroker } from '../src';
import {
  fastConsumer,
  kafkaClient,
  killHard,
  makeDataDir,
  sleep,
  spawnFixture,
  startTestBroker,
  waitFor,
} from './helpers';
import { RawClient } from './raw-client';

interface Delivery {
  partition: number;
  offset: number;
  value: string;
}

describe('persistence across restarts', () => {
  let broker: RunningBroker | undefined;

  afterAll(async () => {
    await broker?.stop();
  });

  it('keeps everything acknowledged across a stop/restart mid-stream; consumers resume from committed offsets', async () => {
    const first = await startTestBroker('restart', { defaultPartitions: 2 });
    broker = first;
    const { dataDir, port } = first;
    const kafka = kafkaClient(first.brokers, { retry: { initialRetryTime: 100, retries: 30, maxRetryTime: 500 } });

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const acknowledged = new Set<string>();
    let producing = true;
    let sent = 0;
    const production = (async () => {
      while (producing) {
        const messages = Array.from({ length: 20 }, () => ({ value: `r-${sent++}` }));
        await producer.send({ topic: 'durable', acks: -1, messages });
        for (const message of messages) acknowledged.add(message.value);
        await sleep(10);
      }
    })();

    const deliveries: Delivery[] = [];
    const committed = new Map<number, number>();
    let committedBeforeStop = new Map<number, number>();
    const consumer = kafka.consumer({ groupId: 'durable-group', ...fastConsumer });
    consumer.on(consumer.events.COMMIT_OFFSETS, (event) => {
      for (const topic of event.payload.topics) {
        for (const { partition, offset } of topic.partitions) {
          committed.set(Number(partition), Number(offset));
        }
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topic: 'durable', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        deliveries.push({ partition, offset: Number(message.offset), value: message.value!.toString() });
      },
    });

    try {
      await waitFor(() => deliveries.length > 300, 20_000, 'consumption before the restart');
      await first.stop();
      committedBeforeStop = new Map(committed);
      await sleep(300);
      broker = await startTestBroker('restart', { dataDir, port, defaultPartitions: 2 });
      const acknowledgedAtRestart = acknowledged.size;
      await waitFor(() => acknowledged.size > acknowledgedAtRestart + 200, 30_000, 'producing after the restart');
      producing = false;
      await production;
      await waitFor(
        () => new Set(deliveries.map((delivery) => delivery.value)).size >= acknowledged.size,
        30_000,
        'every acknowledged message to be consumed',
      );
    } finally {
      producing = false;
      await production.catch(() => undefined);
      await consumer.disconnect();
      await producer.disconnect();
    }

    const values = new Set(deliveries.map((delivery) => delivery.value));
    for (const value of acknowledged) expect(values.has(value)).toBe(true);
    // Redelivery is allowed only for what was not yet committed when the broker went down.
    const seen = new Set<string>();
    for (const delivery of deliveries) {
      const key = `${delivery.partition}:${delivery.offset}`;
      if (seen.has(key))
        expect(delivery.offset).toBeGreaterThanOrEqual(committedBeforeStop.get(delivery.partition) ?? 0);
      seen.add(key);
    }
  });

  it('recovers everything acknowledged after kill -9, truncating a torn tail', async () => {
    const dataDir = makeDataDir('crash');
    let crashed = spawnFixture('broker-process.ts', [dataDir]);
    try {
      const { port } = (await crashed.nextMessage()) as { port: number };
      let kafka = kafkaClient(`127.0.0.1:${port}`);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'crashy', numPartitions: 3 }] });
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      for (let batch = 0; batch < 20; batch++) {
        await producer.send({
          topic: 'crashy',
          acks: -1,
          messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `c-${batch * 50 + i}` })),
        });
      }
      const consumed = new Set<string>();
      const consumer = kafka.consumer({ groupId: 'crash-group', ...fastConsumer });
      await consumer.connect();
      await consumer.subscribe({ topic: 'crashy', fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          consumed.add(message.value!.toString());
        },
      });
      await waitFor(() => consumed.size === 1000, 20_000, 'consumption before the crash');
      await waitFor(
        async () => {
          const offsets = await admin.fetchOffsets({ groupId: 'crash-group', topics: ['crashy'] });
          return offsets[0].partitions.reduce((sum, partition) => sum + Number(partition.offset), 0) === 1000;
        },
        10_000,
        'offsets committed',
      );
      const committed = await admin.fetchOffsets({ groupId: 'crash-group', topics: ['crashy'] });
      const rawClient = await RawClient.connect('127.0.0.1', port);
      const { producerId, producerEpoch } = await rawClient.initProducerId();
      const lastBatch = { topic: 'crashy', partition: 0, producerId, producerEpoch, firstSequence: 0 };
      const original = await rawClient.produce({ ...lastBatch, messages: [{ value: 'raw-0' }] });
      expect(original.errorCode).toBe(0);
      rawClient.close();

      await Promise.all([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
      await killHard(crashed.child); // no stop(), no flush: whatever was acknowledged must already be on disk

      // Simulate a crash in the middle of a write: half a batch header at the end of a partition's active segment.
      const partitionDir = path.join(dataDir, 'topics', 'crashy', '1');
      const activeSegment = fs
        .readdirSync(partitionDir)
        .filter((name) => name.endsWith('.log'))
        .sort()
        .at(-1)!;
      const segmentPath = path.join(partitionDir, activeSegment);
      const intactSize = fs.statSync(segmentPath).size;
      fs.appendFileSync(segmentPath, Buffer.from([0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 1, 0, 0, 0, 0, 0, 2, 7, 7]));

      crashed = spawnFixture('broker-process.ts', [dataDir]);
      const restarted = (await crashed.nextMessage()) as { port: number };
      expect(fs.statSync(segmentPath).size).toBe(intactSize);
      kafka = kafkaClient(`127.0.0.1:${restarted.port}`);
      const admin2 = kafka.admin();
      await admin2.connect();
      const offsets = await admin2.fetchTopicOffsets('crashy');
      expect(offsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(1001);
      expect(await admin2.fetchOffsets({ groupId: 'crash-group', topics: ['crashy'] })).toEqual(committed);

      // Producer state survived too: resending the same sequence is recognised as a duplicate.
      const rawAfter = await RawClient.connect('127.0.0.1', restarted.port);
      const resent = await rawAfter.produce({ ...lastBatch, messages: [{ value: 'raw-0' }] });
      expect(resent).toEqual(original);
      rawAfter.close();

      const reread = new Set<string>();
      const fresh = kafka.consumer({ groupId: 'crash-reader', ...fastConsumer });
      await fresh.connect();
      await fresh.subscribe({ topic: 'crashy', fromBeginning: true });
      await fresh.run({
        eachMessage: async ({ message }) => {
          reread.add(message.value!.toString());
        },
      });
      await waitFor(() => reread.size === 1001, 20_000, 'all data re-read after the crash');
      await fresh.disconnect();
      await admin2.disconnect();
    } finally {
      await killHard(crashed.child);
    }
  });
});
