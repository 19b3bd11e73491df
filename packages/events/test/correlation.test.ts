import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { runInRequestScope } from '@taoyuan/service-kit';
import type { TestDatabase } from '@taoyuan/testing';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { EventConsumer, on, Outbox, PointsAwarded, toKafkaMessage, UserRegistered } from '../src';
import { logger, pointsAwardedEvent, startDatabase, startTestBroker, testKafka, waitFor } from './support';

/**
 * `ce_correlationid` follows one GraphQL request through every event it causes: the request's x-request-id (the
 * request scope) goes into the events published while handling it, and a consumer handles an event inside a scope
 * carrying that event's correlation id and id, so what its handler publishes joins the flow.
 */
let database: TestDatabase;
let dataSource: DataSource;
let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
let producer: Producer;
let consumer: EventConsumer;
const identityOutbox = new Outbox('/taoyuan/identity');

beforeAll(async () => {
  ({ database, dataSource } = await startDatabase());
  broker = await startTestBroker();
  kafka = testKafka(broker.brokers);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  consumer = new EventConsumer({
    kafka,
    groupId: 'correlation-test',
    dataSource,
    logger,
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeInMs: 100,
    handlers: [
      // Stands in for any handler that reacts by publishing an event of its own, without passing ids along.
      on(PointsAwarded, async ({ payload }, manager) => {
        await publishRegistration(manager, payload.userId);
      }),
    ],
  });
  await consumer.start();
});
afterAll(async () => {
  await consumer?.stop();
  await producer?.disconnect();
  await dataSource?.destroy();
  await database?.drop();
  await broker?.stop();
});

function publishRegistration(manager: Parameters<Outbox['publish']>[0], userId: string) {
  return identityOutbox.publish(
    manager,
    UserRegistered,
    { userId, communityId: TAOYUANJU.id, registeredAt: new Date().toISOString() },
    { communityId: TAOYUANJU.id },
  );
}

async function outboxHeaders(userId: string): Promise<Record<string, string> | undefined> {
  const rows: { headers: Record<string, string> }[] = await dataSource.query(
    `SELECT headers FROM outbox WHERE message_key = $1`,
    [userId],
  );
  return rows[0]?.headers;
}

describe('correlation ids', () => {
  it('stamps an event published inside a request with the request id', async () => {
    const userId = randomUUID();
    const envelope = await runInRequestScope('gw-req-0042', () =>
      dataSource.transaction((manager) => publishRegistration(manager, userId)),
    );
    expect(envelope.correlationid).toBe('gw-req-0042');
    expect(envelope.causationid).toBeNull();
    const headers = await outboxHeaders(userId);
    expect(headers?.ce_correlationid).toBe('gw-req-0042');
    expect(headers?.ce_causationid).toBeUndefined();
  });

  it('uses the event’s own id outside any request, and explicit ids over the scope', async () => {
    const alone = await dataSource.transaction((manager) => publishRegistration(manager, randomUUID()));
    expect(alone.correlationid).toBe(alone.id);
    const cause = randomUUID();
    const explicit = await runInRequestScope('gw-req-0043', () =>
      dataSource.transaction((manager) =>
        identityOutbox.publish(
          manager,
          UserRegistered,
          { userId: randomUUID(), communityId: TAOYUANJU.id, registeredAt: new Date().toISOString() },
          { communityId: TAOYUANJU.id, correlationId: 'flow-7', causationId: cause },
        ),
      ),
    );
    expect([explicit.correlationid, explicit.causationid]).toEqual(['flow-7', cause]);
  });

  it('gives an event a handler publishes the consumed event’s correlation id, and the consumed event as its cause', async () => {
    const userId = randomUUID();
    const consumed = pointsAwardedEvent(userId, 10, { correlationId: 'gw-req-0099' });
    await producer.send({ topic: PointsAwarded.topic, acks: -1, messages: [toKafkaMessage(consumed)] });
    await waitFor(async () => (await outboxHeaders(userId)) !== undefined, 'the event the handler published');
    const headers = await outboxHeaders(userId);
    expect(headers?.ce_correlationid).toBe('gw-req-0099');
    expect(headers?.ce_causationid).toBe(consumed.id);
    expect(headers?.ce_id).not.toBe(consumed.id);
  });
});
