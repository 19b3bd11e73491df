import type { Consumer } from 'kafkajs';
import type { RunningBroker } from '../src';
import { fastConsumer, kafkaClient, killHard, sleep, spawnFixture, startTestBroker, waitFor } from './helpers';

describe('consumer groups', () => {
  let broker: RunningBroker;

  beforeAll(async () => {
    broker = await startTestBroker('groups');
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('loses and duplicates nothing while a member joins late and another leaves', async () => {
    const kafka = kafkaClient(broker.brokers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'flow', numPartitions: 4 }] });

    const deliveries = new Map<string, string[]>();
    const assignments = new Map<string, number[]>();
    const startConsumer = async (name: string): Promise<Consumer> => {
      const consumer = kafka.consumer({ groupId: 'flow-group', ...fastConsumer });
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        assignments.set(name, event.payload.memberAssignment.flow ?? []);
      });
      await consumer.connect();
      await consumer.subscribe({ topic: 'flow', fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const value = message.value!.toString();
          deliveries.set(value, [...(deliveries.get(value) ?? []), name]);
        },
      });
      return consumer;
    };

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    let produced = 0;
    let producing = true;
    const production = (async () => {
      while (producing) {
        const messages = Array.from({ length: 40 }, () => ({ value: `m-${produced++}` }));
        await producer.send({ topic: 'flow', acks: -1, messages });
        await sleep(20);
      }
    })();

    let first: Consumer | undefined;
    let second: Consumer | undefined;
    try {
      first = await startConsumer('first');
      await waitFor(() => deliveries.size > 200, 20_000, 'first consumer to consume');
      second = await startConsumer('second');
      await waitFor(() => (assignments.get('second') ?? []).length > 0, 20_000, 'second consumer to get partitions');
      await waitFor(
        () => [...deliveries.values()].filter((consumers) => consumers.includes('second')).length > 200,
        20_000,
        'second consumer to consume',
      );
      await first.disconnect(); // a clean leave, while messages keep flowing
      await waitFor(() => assignments.get('second')?.length === 4, 20_000, 'second consumer to take over');
      const producedAtTakeover = produced;
      await waitFor(() => produced > producedAtTakeover + 400, 20_000, 'more messages after the leave');
      producing = false;
      await production;
      await waitFor(() => deliveries.size >= produced, 30_000, 'every message to be consumed');
      await sleep(500); // give a late duplicate the chance to show up
    } finally {
      producing = false;
      await production;
      await first?.disconnect();
      await second?.disconnect();
    }
    await producer.disconnect();
    await admin.disconnect();

    const duplicated = [...deliveries].filter(([, consumers]) => consumers.length > 1);
    expect(duplicated).toEqual([]);
    expect(deliveries.size).toBe(produced);
    const byConsumer = [...deliveries.values()].flat();
    expect(byConsumer).toContain('first');
    expect(byConsumer).toContain('second');
  });

  it('evicts a member that died without leaving once its session times out; the survivor takes over', async () => {
    const kafka = kafkaClient(broker.brokers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'evict', numPartitions: 2 }] });
    const sessionTimeoutMs = 3000;

    const doomed = spawnFixture('consumer-process.ts', [
      broker.brokers,
      'evict-group',
      'evict',
      String(sessionTimeoutMs),
    ]);
    try {
      const firstAssignment = (await doomed.nextMessage()) as { assigned: Record<string, number[]> };
      expect(firstAssignment.assigned.evict).toHaveLength(2);

      let survivorAssignment: number[] = [];
      const consumedBySurvivor = new Set<number>();
      const survivor = kafka.consumer({ groupId: 'evict-group', ...fastConsumer });
      survivor.on(survivor.events.GROUP_JOIN, (event) => {
        survivorAssignment = event.payload.memberAssignment.evict ?? [];
      });
      await survivor.connect();
      await survivor.subscribe({ topic: 'evict', fromBeginning: true });
      await survivor.run({
        eachMessage: async ({ partition }) => {
          consumedBySurvivor.add(partition);
        },
      });
      await waitFor(() => survivorAssignment.length === 1, 20_000, 'the group to split the partitions');
      // The doomed member must have seen the rebalance too before it dies, so it really holds a partition.
      for (;;) {
        const message = (await doomed.nextMessage()) as { assigned?: Record<string, number[]> };
        if (message.assigned?.evict?.length === 1) break;
      }

      await killHard(doomed.child);
      const killedAt = Date.now();
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: 'evict',
        messages: [
          { value: 'to-0', partition: 0 },
          { value: 'to-1', partition: 1 },
        ],
      });

      await waitFor(() => survivorAssignment.length === 2, 20_000, 'the survivor to be assigned both partitions');
      const takeoverMs = Date.now() - killedAt;
      await waitFor(() => consumedBySurvivor.has(0) && consumedBySurvivor.has(1), 10_000, 'both partitions consumed');
      const description = await survivor.describeGroup();
      expect(description.members).toHaveLength(1);
      // It cannot happen before the session timeout: nothing told the broker the member was gone.
      expect(takeoverMs).toBeGreaterThanOrEqual(sessionTimeoutMs - 500);

      await survivor.disconnect();
      await producer.disconnect();
    } finally {
      await killHard(doomed.child);
    }
    await admin.disconnect();
  });
});
