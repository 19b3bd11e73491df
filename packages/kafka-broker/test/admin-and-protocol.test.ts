import fs from 'node:fs';
import path from 'node:path';
import { CompressionTypes } from 'kafkajs';
import type { RunningBroker } from '../src';
import { fastConsumer, kafkaClient, startTestBroker, waitFor } from './helpers';
import { RawClient } from './raw-client';

const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const INVALID_PRODUCER_EPOCH = 47;

describe('admin, compression and raw idempotence', () => {
  let broker: RunningBroker & { dataDir: string };

  beforeAll(async () => {
    broker = await startTestBroker('admin', { defaultPartitions: 2 });
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('creates, lists, describes, reports offsets of and deletes topics', async () => {
    const kafka = kafkaClient(broker.brokers);
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic: 'alpha', numPartitions: 3 }, { topic: 'beta' }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'alpha', numPartitions: 3 }] })).toBe(false);
    expect((await admin.listTopics()).sort()).toEqual(['alpha', 'beta']);

    const metadata = await admin.fetchTopicMetadata({ topics: ['alpha', 'beta'] });
    const partitionsOf = (name: string) => metadata.topics.find((topic) => topic.name === name)!.partitions;
    expect(partitionsOf('alpha')).toHaveLength(3);
    expect(partitionsOf('beta')).toHaveLength(2); // the broker's defaultPartitions
    expect(partitionsOf('alpha').every((partition) => partition.leader === 0)).toBe(true);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'alpha',
      messages: [
        { value: 'a', partition: 1 },
        { value: 'b', partition: 1 },
      ],
    });
    await producer.send({ topic: 'auto-created', messages: [{ value: 'x' }] });
    expect(await admin.listTopics()).toContain('auto-created');

    const topicOffsets = await admin.fetchTopicOffsets('alpha');
    expect(topicOffsets.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '0', high: '0', low: '0' },
      { partition: 1, offset: '2', high: '2', low: '0' },
      { partition: 2, offset: '0', high: '0', low: '0' },
    ]);
    const byTimestamp = await admin.fetchTopicOffsetsByTimestamp('alpha', Date.now() - 60_000);
    expect(byTimestamp.find((partition) => partition.partition === 1)?.offset).toBe('0');

    await admin.setOffsets({ groupId: 'alpha-group', topic: 'alpha', partitions: [{ partition: 1, offset: '1' }] });
    expect(await admin.fetchOffsets({ groupId: 'alpha-group', topics: ['alpha'] })).toEqual([
      {
        topic: 'alpha',
        partitions: expect.arrayContaining([
          { partition: 0, offset: '-1', metadata: null },
          { partition: 1, offset: '1', metadata: null },
          { partition: 2, offset: '-1', metadata: null },
        ]),
      },
    ]);
    const allGroupOffsets = await admin.fetchOffsets({ groupId: 'alpha-group' });
    expect(allGroupOffsets.map((topic) => topic.topic)).toEqual(['alpha']);

    // A consumer resuming from offset 1 starts in the middle of the stored batch [0, 1].
    const midBatch: string[] = [];
    const consumer = kafka.consumer({ groupId: 'alpha-group', ...fastConsumer });
    await consumer.connect();
    await consumer.subscribe({ topic: 'alpha' });
    await consumer.run({
      eachMessage: async ({ message }) => {
        midBatch.push(`${message.offset}:${message.value!.toString()}`);
      },
    });
    await waitFor(() => midBatch.length >= 1, 10_000, 'the mid-batch fetch');
    const described = await consumer.describeGroup();
    expect(described.state).toBe('Stable');
    expect(described.members).toHaveLength(1);
    await consumer.disconnect();
    expect(midBatch).toEqual(['1:b']);
    const groups = await admin.listGroups();
    expect(groups.groups.map((group) => group.groupId)).toContain('alpha-group');

    await admin.deleteTopics({ topics: ['alpha', 'auto-created'] });
    expect((await admin.listTopics()).sort()).toEqual(['beta']);
    expect(fs.existsSync(path.join(broker.dataDir, 'topics', 'alpha'))).toBe(false);
    expect(await admin.fetchOffsets({ groupId: 'alpha-group' })).toEqual([]);
    await admin.deleteGroups(['alpha-group']);
    expect((await admin.listGroups()).groups.map((group) => group.groupId)).not.toContain('alpha-group');

    await producer.disconnect();
    await admin.disconnect();
  });

  it('stores gzip batches untouched and kafkajs decodes them', async () => {
    const kafka = kafkaClient(broker.brokers);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const values = Array.from({ length: 300 }, (_, i) => `compressed-${i}-${'z'.repeat(100)}`);
    await producer.send({
      topic: 'zipped',
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: values.map((value, i) => ({ key: `k${i % 7}`, value, headers: { index: String(i) } })),
    });
    await producer.disconnect();

    const received: { value: string; index: string }[] = [];
    const consumer = kafka.consumer({ groupId: 'zipped-group', ...fastConsumer });
    await consumer.connect();
    await consumer.subscribe({ topic: 'zipped', fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          received.push({ value: message.value!.toString(), index: message.headers!.index!.toString() });
        }
      },
    });
    await waitFor(() => received.length >= values.length, 10_000, 'gzip messages');
    await consumer.disconnect();
    expect(new Set(received.map((message) => message.value))).toEqual(new Set(values));
    for (const message of received) expect(message.value.startsWith(`compressed-${message.index}-`)).toBe(true);
  });

  it('answers a duplicate sequence with the original offset, a gap with 45 and an old epoch with 47', async () => {
    const admin = kafkaClient(broker.brokers).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'sequenced', numPartitions: 1 }] });
    await admin.disconnect();

    const client = await RawClient.connect(broker.host, broker.port);
    try {
      const { producerId } = await client.initProducerId();
      const batch = (firstSequence: number, producerEpoch = 0, count = 3) => ({
        topic: 'sequenced',
        partition: 0,
        producerId,
        producerEpoch,
        firstSequence,
        messages: Array.from({ length: count }, (_, i) => ({ value: `seq-${firstSequence + i}` })),
      });

      expect(await client.produce(batch(0))).toEqual({ errorCode: 0, baseOffset: 0 });
      expect(await client.produce(batch(3))).toEqual({ errorCode: 0, baseOffset: 3 });
      // A retry of either recent batch is acknowledged again with its original offset and not stored twice.
      expect(await client.produce(batch(0))).toEqual({ errorCode: 0, baseOffset: 0 });
      expect(await client.produce(batch(3))).toEqual({ errorCode: 0, baseOffset: 3 });
      expect((await client.produce(batch(10))).errorCode).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);
      expect(await client.produce(batch(6))).toEqual({ errorCode: 0, baseOffset: 6 });
      // A bumped epoch starts over at sequence 0; the old epoch is then fenced.
      expect(await client.produce(batch(0, 1))).toEqual({ errorCode: 0, baseOffset: 9 });
      expect((await client.produce(batch(9, 0))).errorCode).toBe(INVALID_PRODUCER_EPOCH);
    } finally {
      client.close();
    }

    const offsets = kafkaClient(broker.brokers).admin();
    await offsets.connect();
    expect((await offsets.fetchTopicOffsets('sequenced'))[0].high).toBe('12');
    await offsets.disconnect();
  });
});
