import { TAOYUANJU } from '@taoyuan/demo-data';
import type { RunningHttpServer } from '@taoyuan/service-kit';
import { graphqlRequest } from '@taoyuan/testing';
import type { IdentityUnderTest } from '@taoyuan/identity/testing';
import type { OrganizationsUnderTest } from '@taoyuan/organizations/test/support/start-organizations';
import { startGatewayForTests, startIdentityAndOrganizations } from './support/start-gateway';

/** A subgraph stopped under a running gateway: clients get a retryable code, and what else exists still answers. */
let identity: IdentityUnderTest;
let organizations: OrganizationsUnderTest;
let gateway: RunningHttpServer;
let stopped = false;

beforeAll(async () => {
  ({ identity, organizations } = await startIdentityAndOrganizations());
  gateway = await startGatewayForTests({ identity, organizations }, { NODE_ENV: 'development' });
});
afterAll(async () => {
  await gateway?.stop();
  if (!stopped) await organizations?.stop();
  await identity?.stop();
});

// organization(id:) is nullable, so an outage of its subgraph nulls that field alone, not the whole answer.
const BOTH = `query($id: ID!) {
  communities { id name }
  organization(id: $id) { id name }
}`;
const ORGANIZATIONS_ONLY = `query($communityId: ID!) {
  organizations(first: 3, filter: { communityId: $communityId }) { edges { node { id name } } }
}`;

interface Both {
  communities: { name: string }[] | null;
  organization: { id: string } | null;
  organizations: { edges: { node: { id: string } }[] } | null;
}

describe('a subgraph that is down', () => {
  it('answers SERVICE_UNAVAILABLE beside the fields other subgraphs resolved, and 503 when nothing resolved', async () => {
    const variables = { communityId: TAOYUANJU.id };
    const listed = await graphqlRequest<Both>(gateway.url, ORGANIZATIONS_ONLY, variables);
    const id = listed.data?.organizations?.edges[0]?.node.id;
    expect(id).toBeDefined();
    const healthy = await graphqlRequest<Both>(gateway.url, BOTH, { id });
    expect(healthy.errors).toBeUndefined();
    expect(healthy.data?.organization).toMatchObject({ id });

    await organizations.stop();
    stopped = true;

    const partial = await graphqlRequest<Both>(gateway.url, BOTH, { id });
    expect(partial.status).toBe(200);
    expect(partial.data?.communities?.map((community) => community.name)).toContain(TAOYUANJU.name);
    expect(partial.data?.organization).toBeNull();
    expect(partial.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      service: 'organizations',
      retryable: true,
    });

    const nothing = await graphqlRequest<Both>(gateway.url, ORGANIZATIONS_ONLY, variables);
    expect(nothing.status).toBe(503);
    expect(nothing.headers.get('retry-after')).toBe('1');
    expect(nothing.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  });
});
