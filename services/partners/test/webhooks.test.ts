import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { TierReached } from '@taoyuan/events';
import { graphqlData, graphqlRequest, waitFor } from '@taoyuan/testing';
import { Webhook } from 'standardwebhooks';
import {
  startPartnersForTests,
  startReceiver,
  type PartnersUnderTest,
  type TestReceiver,
} from './support/start-partners';

let partners: PartnersUnderTest;
let receiver: TestReceiver;

const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url status eventTypes } } }`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus) {
  webhookDeliveries(endpointId: $id, status: $status, first: 50) {
    edges { node { id eventId status attempts lastStatusCode lastLatencyMs lastResponse } } } }`;
const REPLAY = `mutation($id: ID!, $from: DateTime!, $to: DateTime!) {
  replayWebhookDeliveries(endpointId: $id, from: $from, to: $to) }`;

function tierReached(userId = randomUUID()) {
  return {
    userId,
    communityId: TAOYUANJU.id,
    tier: 'ACTIVIST' as const,
    lifetimeEarned: 100,
    reachedAt: new Date().toISOString(),
  };
}

async function endpoint(token: string, url: string, eventTypes: string[]) {
  const created = await graphqlData<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
    partners.url,
    CREATE,
    { input: { url, eventTypes, communityIds: [TAOYUANJU.id] } },
    { token },
  );
  return { id: created.createWebhookEndpoint.endpoint.id, secret: created.createWebhookEndpoint.secret };
}

/** Requests carrying this webhook-id, verified with the endpoint's secret by the standardwebhooks library. */
function verifiedBodies(secret: string, webhookId?: string) {
  const verifier = new Webhook(secret);
  return receiver.received
    .filter((request) => webhookId === undefined || request.headers['webhook-id'] === webhookId)
    .map(
      (request) => verifier.verify(request.body, request.headers) as { type: string; data: Record<string, unknown> },
    );
}

beforeAll(async () => {
  partners = await startPartnersForTests();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.stop();
  await partners?.stop();
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.respond(200);
});
// Each test watches only its own endpoint.
afterEach(() => partners.query(`UPDATE webhook_endpoints SET status = 'DISABLED'`));

describe('signed delivery', () => {
  it('delivers a public event signed so that the standardwebhooks library verifies it, and logs it', async () => {
    const { token } = await partners.partner(['webhooks:manage', 'events:read']);
    const hook = await endpoint(token, receiver.url, ['points.tier-reached']);
    expect(hook.secret).toMatch(/^whsec_/);
    const payload = tierReached();
    const eventId = await partners.publish(TierReached, payload);

    await waitFor(() => receiver.received.length >= 1, 'the expected requests', 20_000);
    const [body] = verifiedBodies(hook.secret);
    expect(body).toMatchObject({ type: 'points.tier-reached', data: payload });
    // A wrong secret does not verify.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        receiver.received[0].body,
        receiver.received[0].headers,
      ),
    ).toThrow();

    await waitFor(
      async () => {
        const log = await graphqlData<{ webhookDeliveries: { edges: { node: { status: string } }[] } }>(
          partners.url,
          DELIVERIES,
          { id: hook.id, status: 'DELIVERED' },
          { token },
        );
        return log.webhookDeliveries.edges.length === 1;
      },
      'the expected deliveries',
      10_000,
    );
    const log = await graphqlData<{
      webhookDeliveries: {
        edges: { node: { eventId: string; lastStatusCode: number; lastLatencyMs: number; lastResponse: string } }[];
      };
    }>(partners.url, DELIVERIES, { id: hook.id }, { token });
    const delivery = log.webhookDeliveries.edges[0].node;
    expect(delivery.eventId).toBe(eventId);
    expect(delivery.lastStatusCode).toBe(200);
    expect(delivery.lastLatencyMs).toBeGreaterThanOrEqual(0);
    // The receiver answered 5,000 bytes; a kilobyte is kept.
    expect(delivery.lastResponse.length).toBeLessThanOrEqual(1024);
  });

  it('retries while the receiver is down and delivers once it is back; the receiver deduplicates by webhook-id', async () => {
    const { token } = await partners.partner(['webhooks:manage']);
    const hook = await endpoint(token, receiver.url, ['points.tier-reached']);
    receiver.respond(503);
    await partners.publish(TierReached, tierReached());
    await waitFor(() => receiver.received.length >= 3, 'the expected requests', 20_000);
    receiver.respond(200);
    await waitFor(
      async () => {
        const rows = await partners.query<{ status: string }>(
          `SELECT status FROM webhook_messages WHERE endpoint_id = $1`,
          [hook.id],
        );
        return rows[0]?.status === 'DELIVERED';
      },
      'the expected deliveries',
      20_000,
    );
    const ids = new Set(receiver.received.map((request) => request.headers['webhook-id']));
    expect(ids.size).toBe(1);
    // Every attempt is signed validly; processed once when deduplicated by webhook-id.
    expect(verifiedBodies(hook.secret)).toHaveLength(receiver.received.length);
    const attempts = await partners.query<{ succeeded: boolean }>(
      `SELECT a.succeeded FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id WHERE m.endpoint_id = $1`,
      [hook.id],
    );
    expect(attempts.filter((attempt) => attempt.succeeded)).toHaveLength(1);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps one subject’s events in order while the first is being retried', async () => {
    const { token } = await partners.partner(['webhooks:manage']);
    await endpoint(token, receiver.url, ['points.tier-reached']);
    const userId = randomUUID();
    receiver.respond(500);
    await partners.publish(TierReached, { ...tierReached(userId), tier: 'ACTIVIST' });
    await partners.publish(TierReached, { ...tierReached(userId), tier: 'BACKBONE', lifetimeEarned: 500 });
    await waitFor(() => receiver.received.length >= 2, 'the expected requests', 20_000);
    receiver.respond(200);
    await waitFor(
      () =>
        new Set(receiver.received.filter((r) => r.body.includes('BACKBONE')).map((r) => r.headers['webhook-id']))
          .size === 1,
      'the BACKBONE delivery',
      20_000,
    );
    const tiers = receiver.received.map(
      (request) => (JSON.parse(request.body) as { data: { tier: string } }).data.tier,
    );
    // No BACKBONE before the ACTIVIST that came first has been accepted.
    const firstBackbone = tiers.indexOf('BACKBONE');
    expect(tiers.slice(0, firstBackbone)).toContain('ACTIVIST');
    expect(tiers.slice(firstBackbone).every((tier) => tier === 'BACKBONE')).toBe(true);
  });

  it('a failing endpoint is disabled after its retries and the partner finds a notice', async () => {
    const { token } = await partners.partner(['webhooks:manage']);
    const hook = await endpoint(token, receiver.url, ['points.tier-reached']);
    receiver.respond(500);
    await partners.publish(TierReached, tierReached());
    await waitFor(
      async () => {
        const [row] = await partners.query<{ status: string }>(`SELECT status FROM webhook_endpoints WHERE id = $1`, [
          hook.id,
        ]);
        return row?.status === 'DISABLED';
      },
      'the expected deliveries',
      30_000,
    );
    const notices = await graphqlData<{ partnerNotices: { endpointId: string; kind: string }[] }>(
      partners.url,
      `{ partnerNotices { endpointId kind } }`,
      {},
      { token },
    );
    expect(notices.partnerNotices).toEqual([{ endpointId: hook.id, kind: 'ENDPOINT_DISABLED' }]);
  });

  it('replay resends the messages of a time window with the same webhook-id', async () => {
    const { token } = await partners.partner(['webhooks:manage']);
    const hook = await endpoint(token, receiver.url, ['points.tier-reached']);
    const from = new Date(Date.now() - 60_000);
    await partners.publish(TierReached, tierReached());
    await waitFor(() => receiver.received.length === 1, 'the expected requests', 20_000);
    const first = receiver.received[0].headers['webhook-id'];
    await waitFor(
      async () => {
        const [row] = await partners.query<{ status: string }>(
          `SELECT status FROM webhook_messages WHERE endpoint_id = $1`,
          [hook.id],
        );
        return row?.status === 'DELIVERED';
      },
      'the expected deliveries',
      10_000,
    );
    const replayed = await graphqlData<{ replayWebhookDeliveries: number }>(
      partners.url,
      REPLAY,
      { id: hook.id, from: from.toISOString(), to: new Date(Date.now() + 60_000).toISOString() },
      { token },
    );
    expect(replayed.replayWebhookDeliveries).toBe(1);
    await waitFor(() => receiver.received.length === 2, 'the expected requests', 20_000);
    expect(receiver.received[1].headers['webhook-id']).toBe(first);
    expect(verifiedBodies(hook.secret)).toHaveLength(2);
  });

  it('a partner without webhooks:manage, a resident and another partner cannot touch an endpoint', async () => {
    const owner = await partners.partner(['webhooks:manage']);
    const hook = await endpoint(owner.token, receiver.url, ['points.tier-reached']);
    const reader = await partners.partner(['events:read']);
    const noScope = await graphqlRequest(partners.url, `{ webhookEndpoints { id } }`, {}, { token: reader.token });
    expect(noScope.errors?.[0]?.extensions?.reason).toBe('SCOPE_REQUIRED');
    const resident = await partners.issuer.sign({ userId: randomUUID(), communityId: TAOYUANJU.id });
    const asResident = await graphqlRequest(partners.url, `{ webhookEndpoints { id } }`, {}, { token: resident });
    expect(asResident.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const other = await partners.partner(['webhooks:manage']);
    const foreign = await graphqlRequest(
      partners.url,
      `mutation($id: ID!) { disableWebhookEndpoint(endpointId: $id) { id } }`,
      { id: hook.id },
      { token: other.token },
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
