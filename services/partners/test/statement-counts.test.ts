import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { TierReached } from '@taoyuan/events';
import { countStatements, graphqlData, untilQuiet, waitFor } from '@taoyuan/testing';
import {
  startPartnersForTests,
  startReceiver,
  type PartnersUnderTest,
  type TestReceiver,
} from './support/start-partners';

/**
 * The lists this subgraph offers cost a fixed number of SQL statements, whatever their length: a partner's
 * endpoints (measured at 5 and again at the limit of 20) and an endpoint's delivery log (`first` 5 and 50). Neither
 * has a field resolved per row. `User.dataDisclosures` answers only the resident themselves, so a request never
 * holds more than one.
 */
let partners: PartnersUnderTest;
let token: string;
let receiver: TestReceiver;
const endpoints: string[] = [];
/** A partner has at most this many endpoints. */
const ENDPOINT_LIMIT = 20;

const ENDPOINTS = `{ webhookEndpoints { id url eventTypes communityIds status } }`;
const DELIVERIES = `query($id: ID!, $first: Int) { webhookDeliveries(endpointId: $id, first: $first) {
  edges { node { id eventId eventType status attempts } } pageInfo { hasNextPage } } }`;

async function growTo(count: number): Promise<void> {
  while (endpoints.length < count) {
    const created = await graphqlData<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      partners.url,
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      {
        input: {
          url: `${receiver.url}/${endpoints.length + 1}`,
          // The first endpoint takes the published events; the others wait for promotions.
          eventTypes: [endpoints.length === 0 ? 'points.tier-reached' : 'organizations.member.promoted'],
          communityIds: [TAOYUANJU.id],
        },
      },
      { token },
    );
    endpoints.push(created.createWebhookEndpoint.endpoint.id);
  }
}

/** The dispatcher claims work in the same database now and then; each count starts once it has been idle a while. */
async function statementsFor<T>(work: () => Promise<T>) {
  await untilQuiet(partners.statements, 1_000);
  return countStatements(partners.statements, work);
}
let endpointsAtFive = 0;

beforeAll(async () => {
  // The dispatcher's polls would be counted while a list is measured; new deliveries still wake it at once.
  partners = await startPartnersForTests({ WEBHOOK_POLL_MS: '60000' });
  receiver = await startReceiver();
  ({ token } = await partners.partner(['webhooks:manage', 'events:read']));
  await growTo(5);
  endpointsAtFive = (await statementsFor(() => graphqlData(partners.url, ENDPOINTS, {}, { token }))).statements;
  await growTo(ENDPOINT_LIMIT);
  for (let index = 0; index < 51; index += 1)
    await partners.publish(TierReached, {
      userId: randomUUID(),
      communityId: TAOYUANJU.id,
      tier: 'ACTIVIST',
      lifetimeEarned: 100 + index,
      reachedAt: new Date().toISOString(),
    });
  await waitFor(
    async () => {
      const [row] = await partners.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM webhook_messages WHERE endpoint_id = $1`,
        [endpoints[0]],
      );
      return row.count === 51;
    },
    'a delivery of every event to the first endpoint',
    60_000,
  );
}, 180_000);
afterAll(async () => {
  await receiver?.stop();
  await partners?.stop();
});

describe('SQL statements do not grow with the list', () => {
  it('a partner’s webhook endpoints: the same at 5 and at its limit of 20', async () => {
    const all = await statementsFor(() =>
      graphqlData<{ webhookEndpoints: { id: string; url: string }[] }>(partners.url, ENDPOINTS, {}, { token }),
    );
    expect(all.result.webhookEndpoints.map((endpoint) => endpoint.id)).toEqual(endpoints);
    expect(all.result.webhookEndpoints[13].url).toBe(`${receiver.url}/14`);
    expect(all.statements).toBe(endpointsAtFive);
  });

  it('an endpoint’s delivery log: the same for 5 and 50 deliveries', async () => {
    type Data = { webhookDeliveries: { edges: { node: { eventType: string } }[]; pageInfo: { hasNextPage: boolean } } };
    const page = (first: number) =>
      statementsFor(() => graphqlData<Data>(partners.url, DELIVERIES, { id: endpoints[0], first }, { token }));
    const five = await page(5);
    const fifty = await page(50);
    expect(fifty.result.webhookDeliveries.edges).toHaveLength(50);
    expect(fifty.result.webhookDeliveries.edges.every(({ node }) => node.eventType === 'points.tier-reached')).toBe(
      true,
    );
    expect(fifty.result.webhookDeliveries.pageInfo.hasNextPage).toBe(true);
    expect(fifty.statements).toBe(five.statements);
  });
});
