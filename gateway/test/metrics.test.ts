import { TAOYUANJU } from '@taoyuan/demo-data';
import type { RunningHttpServer } from '@taoyuan/service-kit';
import { graphqlData } from '@taoyuan/testing';
import type { IdentityUnderTest } from '@taoyuan/identity/testing';
import type { OrganizationsUnderTest } from '@taoyuan/organizations/test/support/start-organizations';
import { startGatewayForTests, startIdentityAndOrganizations } from './support/start-gateway';

/** Operators scrape every process at /metrics: after a request through the gateway the named series are there. */
let identity: IdentityUnderTest;
let organizations: OrganizationsUnderTest;
let gateway: RunningHttpServer;

beforeAll(async () => {
  ({ identity, organizations } = await startIdentityAndOrganizations());
  gateway = await startGatewayForTests({ identity, organizations }, { NODE_ENV: 'development' });
});
afterAll(async () => {
  await gateway?.stop();
  await organizations?.stop();
  await identity?.stop();
});

async function scrape(graphqlUrl: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'));
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('/metrics', () => {
  it('exposes requests by operation and outcome, subgraph fetches, pools, the outbox and process metrics', async () => {
    await graphqlData(
      gateway.url,
      `query CommunitiesWithOrganizations($communityId: ID!) {
        communities { id name }
        organizations(first: 3, filter: { communityId: $communityId }) { edges { node { id } } }
      }`,
      { communityId: TAOYUANJU.id },
    );

    const atGateway = await scrape(gateway.url);
    expect(atGateway.status).toBe(200);
    expect(atGateway.type).toContain('text/plain');
    const series = atGateway.text;
    expect(series).toMatch(
      /taoyuan_graphql_requests_total\{service="gateway",operation="CommunitiesWithOrganizations",outcome="ok"\} 1/,
    );
    expect(series).toMatch(
      /taoyuan_graphql_request_duration_seconds_bucket\{le="[^"]+",service="gateway",operation="CommunitiesWithOrganizations",outcome="ok"\}/,
    );
    expect(series).toMatch(
      /taoyuan_gateway_subgraph_fetch_duration_seconds_count\{subgraph="identity",outcome="ok"\} 1/,
    );
    expect(series).toMatch(
      /taoyuan_gateway_subgraph_fetch_duration_seconds_count\{subgraph="organizations",outcome="ok"\} 1/,
    );
    expect(series).toMatch(/process_cpu_user_seconds_total \d/);
    expect(series).toMatch(/nodejs_eventloop_lag_seconds \d/);

    const atOrganizations = (await scrape(organizations.url)).text;
    expect(atOrganizations).toMatch(
      /taoyuan_graphql_requests_total\{service="organizations",operation="[^"]+",outcome="ok"\}/,
    );
    expect(atOrganizations).toMatch(/taoyuan_db_pool_connections\{service="organizations",state="total"\} [1-9]/);
    expect(atOrganizations).toMatch(/taoyuan_outbox_backlog_events\{service="organizations"\} \d+/);
    expect(atOrganizations).toMatch(/taoyuan_outbox_oldest_unsent_age_seconds\{service="organizations"\} [\d.]+/);
    expect(atOrganizations).toContain('# TYPE taoyuan_consumer_lag_events gauge');
    expect(atOrganizations).toContain('# TYPE taoyuan_events_dead_lettered_total counter');
  });
});
