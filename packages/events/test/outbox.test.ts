import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { collectMessages, type TestDatabase } from '@taoyuan/testing';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { fromKafkaMessage, Outbox, OutboxRelay, UserRegistered } from '../src';
import { logger, startDatabase, startTestBroker, testKafka, waitFor } from './support';

let database: TestDatabase;
let dataSource: DataSource;
let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
const outbox = new Outbox('/taoyuan/test');

beforeAll(async () => {
  ({ database, dataSource } = await startDatabase());
  broker = await startTestBroker();
  kafka = testKafka(broker.brokers);
});
afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
  await broker?.stop();
});

async function registerResident(options: { rollback?: boolean } = {}): Promise<string> {
  const userId = randomUUID();
  await dataSource
    .transaction(async (manager) => {
      await manager.query('INSERT INTO residents (id, community_id) VALUES ($1, $2)', [userId, TAOYUANJU.id]);
      await outbox.publish(
        manager,
        UserRegistered,
        { userId, communityId: TAOYUANJU.id, registeredAt: new Date().toISOString() },
        { communityId: TAOYUANJU.id },
      );
      if (options.rollback) throw new Error('business rule failed after the event was written');
    })
    .catch((error: unknown) => {
      if (!options.rollback) throw error;
    });
  return userId;
}

const pending = async () =>
  Number((await dataSource.query(`SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`))[0].n);

function newRelay(extra: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) {
  return new OutboxRelay({
    databaseUrl: database.url,
    kafka,
    logger,
    service: `test-${randomUUID()}`,
    pollIntervalMs: 100,
    ...extra,
  });
}

describe('transactional outbox', () => {
  it('publishes nothing for a rolled-back change and exactly once for a committed one, as a binary CloudEvent', async () => {
    const { messages, consumer } = await collectMessages(broker.brokers, [UserRegistered.topic]);
    const rolledBack = await registerResident({ rollback: true });
    const committed = await registerResident();
    const relay = newRelay();
    await relay.start();
    try {
      await waitFor(() => messages.some((m) => m.key?.toString() === committed), 'the committed event');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const keys = messages.map((m) => m.key?.toString());
      expect(keys.filter((key) => key === committed)).toHaveLength(1);
      expect(keys).not.toContain(rolledBack);
      const event = fromKafkaMessage(messages.find((m) => m.key?.toString() === committed)!);
      expect(event).toMatchObject({
        type: 'taoyuan.identity.user.registered.v1',
        source: '/taoyuan/test',
        specversion: '1.0',
        subject: committed,
        communityid: TAOYUANJU.id,
      });
      expect(event.data).toEqual({ userId: committed, communityId: TAOYUANJU.id, registeredAt: expect.any(String) });
      expect(await pending()).toBe(0);
    } finally {
      await relay.stop();
      await consumer.disconnect();
    }
  });

  it('wakes an idle relay at commit (NOTIFY in the insert statement), long before its next poll', async () => {
    const { messages, consumer } = await collectMessages(broker.brokers, [UserRegistered.topic]);
    // Polling alone would take a minute: only the notification can deliver this within the wait below.
    const relay = newRelay({ pollIntervalMs: 60_000 });
    await relay.start();
    try {
      await waitFor(async () => (await pending()) === 0, 'the relay to drain what earlier tests left');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const committed = await registerResident();
      await waitFor(() => messages.some((m) => m.key?.toString() === committed), 'the event after its commit');
    } finally {
      await relay.stop();
      await consumer.disconnect();
    }
  });

  it('refuses to write an event outside a transaction or with a payload that breaks its schema', async () => {
    await expect(
      outbox.publish(
        dataSource.manager,
        UserRegistered,
        { userId: randomUUID(), communityId: TAOYUANJU.id, registeredAt: 'x' },
        { communityId: TAOYUANJU.id },
      ),
    ).rejects.toThrow(/transaction/);
    await expect(
      dataSource.transaction((manager) =>
        outbox.publish(
          manager,
          UserRegistered,
          { userId: 'not-a-uuid', communityId: TAOYUANJU.id, registeredAt: new Date().toISOString() },
          { communityId: TAOYUANJU.id },
        ),
      ),
    ).rejects.toThrow();
  });

  it('republishes a batch after a crash between publishing and marking it sent, with the same event ids', async () => {
    const userId = await registerResident();
    const { messages, consumer } = await collectMessages(broker.brokers, [UserRegistered.topic]);
    let crashes = 0;
    const relay = newRelay({
      afterPublish: async () => {
        if (crashes === 0) {
          crashes += 1;
          throw new Error('relay process died before marking the batch');
        }
      },
    });
    await relay.start();
    try {
      await waitFor(() => messages.filter((m) => m.key?.toString() === userId).length === 2, 'the event twice');
      const copies = messages.filter((m) => m.key?.toString() === userId).map((m) => fromKafkaMessage(m).id);
      expect(new Set(copies).size).toBe(1);
      await waitFor(async () => (await pending()) === 0, 'the outbox to drain');
    } finally {
      await relay.stop();
      await consumer.disconnect();
    }
  });

  it('keeps committing while the broker is down, and delivers everything once it is back', async () => {
    const relay = newRelay();
    await relay.start();
    const port = broker.port;
    await broker.stop();
    const ids: string[] = [];
    for (let i = 0; i < 30; i += 1) ids.push(await registerResident());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await pending()).toBeGreaterThanOrEqual(30);

    broker = await startTestBroker(port, broker.dataDir);
    try {
      await waitFor(async () => (await pending()) === 0, 'the outbox to drain after the broker returned', 45_000);
      const { messages, consumer } = await collectMessages(broker.brokers, [UserRegistered.topic]);
      await waitFor(
        () => ids.every((id) => messages.some((m) => m.key?.toString() === id)),
        'every event on the broker',
      );
      await consumer.disconnect();
    } finally {
      await relay.stop();
    }
  });

  it('lets only one of two relays publish at a time (advisory lock), so per-key order holds', async () => {
    const service = `shared-${randomUUID()}`;
    const first = newRelay({ service });
    const second = newRelay({ service });
    await first.start();
    await second.start();
    try {
      for (let i = 0; i < 10; i += 1) await registerResident();
      await waitFor(async () => (await pending()) === 0, 'the outbox to drain');
      expect([first.stats.published, second.stats.published].filter((count) => count > 0)).toHaveLength(1);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
