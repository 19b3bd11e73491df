import { TAOYUANJU } from '@taoyuan/demo-data';
import { TierReached } from '@taoyuan/events';
import { graphqlRequest, waitFor } from '@taoyuan/testing';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startPartnersForTests,
  startReceiver,
  type PartnersUnderTest,
  type TestReceiver,
} from './support/start-partners';

/**
 * Only 127.0.0.1 is allowed here; every other address is what production refuses. No test sends traffic anywhere
 * but loopback: the refused addresses are refused before a connection is attempted.
 */
let partners: PartnersUnderTest;
let receiver: TestReceiver;
let token: string;

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;

const create = (url: string) =>
  graphqlRequest<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
    partners.url,
    CREATE,
    { input: { url, eventTypes: ['points.tier-reached'], communityIds: [TAOYUANJU.id] } },
    { token },
  );

beforeAll(async () => {
  partners = await startPartnersForTests({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  receiver = await startReceiver();
  token = (await partners.partner(['webhooks:manage'])).token;
});
afterAll(async () => {
  await receiver?.stop();
  await partners?.stop();
});

describe('SSRF defence', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:10.0.0.1]/hook',
    'http://127.0.0.2:9/hook',
    'http://localhost.:9/hook',
    'ftp://127.0.0.1/hook',
  ])('refuses an endpoint at %s when it is created', async (url) => {
    const response = await create(url);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.field).toBe('url');
  });

  it('follows no redirect to a loopback address that is not allowed, and logs the refusal', async () => {
    // The forbidden target listens on another loopback address, so a mistake would show as a request there.
    const forbidden: string[] = [];
    const target: Server = createServer((req, res) => {
      forbidden.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.2', resolve));
    try {
      const port = (target.address() as AddressInfo).port;
      receiver.respond(307, `http://127.0.0.2:${port}/stolen`);
      const created = await create(receiver.url);
      const endpointId = created.data!.createWebhookEndpoint.endpoint.id;
      await partners.publish(TierReached, {
        userId: randomUUID(),
        communityId: TAOYUANJU.id,
        tier: 'ACTIVIST',
        lifetimeEarned: 100,
        reachedAt: new Date().toISOString(),
      });
      await waitFor(
        async () =>
          (
            await partners.query(
              `SELECT 1 FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
                                   WHERE m.endpoint_id = $1`,
              [endpointId],
            )
          ).length >= 2,
        'two attempts',
        20_000,
      );
      const [attempt] = await partners.query<{ error: string; succeeded: boolean }>(
        `SELECT a.error, a.succeeded FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
          WHERE m.endpoint_id = $1 ORDER BY a.id LIMIT 1`,
        [endpointId],
      );
      expect(attempt).toEqual({ succeeded: false, error: expect.stringMatching(/^refused: /) as unknown });
      expect(forbidden).toEqual([]);
    } finally {
      receiver.respond(200);
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });
});
