import type { RunningBroker } from '../src';
import { fastConsumer, kafkaClient, startTestBroker, waitFor } from './helpers';

describe('idempotent produce and consume', () => {
  let broker: RunningBroker;

  beforeAll(async () => {
    broker = await startTestBroker('produce-consume');
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('delivers 10,000 idempotently produced messages across 3 partitions exactly once, in order', async () => {
    const kafka = kafkaClient(broker.brokers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const total = 10_000;
    const batchSize = 500;
    for (let start = 0; start < total; start += batchSize) {
      await producer.send({
        topic: 'orders',
        acks: -1,
        messages: Array.from({ length: batchSize }, (_, i) => ({
          key: `key-${start + i}`,
          value: `value-${start + i}`,
        })),
      });
    }
    await producer.disconnect();

    const highWatermarks = await admin.fetchTopicOffsets('orders');
    expect(highWatermarks.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(total);
    expect(highWatermarks.every((partition) => Number(partition.high) > 0)).toBe(true);

    const seen = new Map<string, number>();
    const lastOffsetByPartition = new Map<number, number>();
    const lastSequenceByPartition = new Map<number, number>();
    let outOfOrder = 0;
    const consumer = kafka.consumer({ groupId: 'orders-reader', ...fastConsumer });
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const offset = Number(message.offset);
        const sequence = Number(message.value!.toString().slice('value-'.length));
        if ((lastOffsetByPartition.get(partition) ?? -1) >= offset) outOfOrder++;
        // Messages were produced in increasing order, so within a partition their numbers must increase too.
        if ((lastSequenceByPartition.get(partition) ?? -1) >= sequence) outOfOrder++;
        lastOffsetByPartition.set(partition, offset);
        lastSequenceByPartition.set(partition, sequence);
        expect(message.key!.toString()).toBe(`key-${sequence}`);
        seen.set(message.value!.toString(), (seen.get(message.value!.toString()) ?? 0) + 1);
      },
    });
    await waitFor(() => seen.size >= total, 30_000, 'all messages');
    await consumer.disconnect();
    await admin.disconnect();

    expect(seen.size).toBe(total);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    for (let i = 0; i < total; i++) expect(seen.has(`value-${i}`)).toBe(true);
    expect(outOfOrder).toBe(0);
  });
});
