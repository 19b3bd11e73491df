import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { runInRequestScope } from '@taoyuan/service-kit';
import { type EventConsumer, on, Outbox, PointsAwarded, toKafkaMessage, UserRegistered } from '../src';
import {
  pointsAwardedEvent,
  startTestBed,
  startTestConsumer,
  stopTestBed,
  waitFor,
  type EventsTestBed,
} from './support';

/**
 * `ce_correlationid` follows one GraphQL request through every event it causes: the request's x-request-id (the
 * request scope) goes into the events published while handling it, and a consumer handles an event inside a scope
 * carrying that event's correlation id and id, so what its handler publishes joins the flow.
 */
let bed: EventsTestBed;
let consumer: EventConsumer;
const identityOutbox = new Outbox('/taoyuan/identity');

beforeAll(async () => {
  bed = await startTestBed();
  consumer = await startTestConsumer(bed, {
    groupId: 'correlation-test',
    handlers: [
      // Stands in for any handler that reacts by publishing an event of its own, without passing ids along.
      on(PointsAwarded, async ({ payload }, manager) => {
        await publishRegistration(manager, payload.userId);
      }),
    ],
  });
});
afterAll(async () => {
  await consumer?.stop();
  await stopTestBed(bed);
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
  const rows: { headers: Record<string, string> }[] = await bed.dataSource.query(
    `SELECT headers FROM outbox WHERE message_key = $1`,
    [userId],
  );
  return rows[0]?.headers;
}

describe('correlation ids', () => {
  it('stamps an event published inside a request with the request id', async () => {
    const userId = randomUUID();
    const envelope = await runInRequestScope('gw-req-0042', () =>
      bed.dataSource.transaction((manager) => publishRegistration(manager, userId)),
    );
    expect(envelope.correlationid).toBe('gw-req-0042');
    expect(envelope.causationid).toBeNull();
    const headers = await outboxHeaders(userId);
    expect(headers?.ce_correlationid).toBe('gw-req-0042');
    expect(headers?.ce_causationid).toBeUndefined();
  });

  it('uses the event’s own id outside any request, and explicit ids over the scope', async () => {
    const alone = await bed.dataSource.transaction((manager) => publishRegistration(manager, randomUUID()));
    expect(alone.correlationid).toBe(alone.id);
    const cause = randomUUID();
    const explicit = await runInRequestScope('gw-req-0043', () =>
      bed.dataSource.transaction((manager) =>
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
    await bed.producer.send({ topic: PointsAwarded.topic, acks: -1, messages: [toKafkaMessage(consumed)] });
    await waitFor(async () => (await outboxHeaders(userId)) !== undefined, 'the event the handler published');
    const headers = await outboxHeaders(userId);
    expect(headers?.ce_correlationid).toBe('gw-req-0099');
    expect(headers?.ce_causationid).toBe(consumed.id);
    expect(headers?.ce_id).not.toBe(consumed.id);
  });
});
