import { createPrivateKey } from 'node:crypto';
import { DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import type { RunningHttpServer } from '@taoyuan/service-kit';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import { SignJWT } from 'jose';
import type { IdentityUnderTest } from '@taoyuan/identity/testing';
import type { OrganizationsUnderTest } from '@taoyuan/organizations/test/support/start-organizations';
import { startGatewayForTests, startIdentityAndOrganizations } from './support/start-gateway';

/** Attacks through the gateway, with identity and organizations behind it as their own HTTP servers. */
let identity: IdentityUnderTest;
let organizations: OrganizationsUnderTest;
let gateway: RunningHttpServer;
let token: string;

beforeAll(async () => {
  ({ identity, organizations } = await startIdentityAndOrganizations());
  gateway = await startGatewayForTests({ identity, organizations }, { NODE_ENV: 'development' });
  const resident = DEMO_USERS.find((user) => user.displayName === '张伟');
  if (!resident) throw new Error('demo data lacks 张伟');
  const now = Math.floor(Date.now() / 1000);
  token = await new SignJWT({ cid: TAOYUANJU.id, roles: ['RESIDENT'] })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(resident.id)
    .setIssuer('taoyuan-identity')
    .setAudience('taoyuan')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(createPrivateKey(identity.privateKeyPem));
});
afterAll(async () => {
  await gateway?.stop();
  await organizations?.stop();
  await identity?.stop();
});

const MEMBERS = (organizationsFirst: string, membersFirst: string, variables = '') => `query${variables} {
  organizations(first: ${organizationsFirst}) {
    edges { node { id name members(first: ${membersFirst}) {
      edges { node { role user { id displayName } } }
      pageInfo { hasNextPage endCursor } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface MembersPage {
  organizations: {
    edges: { node: { name: string; members: { edges: { node: { user: { displayName: string } } }[] } } }[];
  };
}

describe('cost', () => {
  it('lets 20 organizations with 10 members each and their users through, users joined from identity', async () => {
    const data = await graphqlData<MembersPage>(gateway.url, MEMBERS('20', '10'), {}, { token });
    const names = data.organizations.edges.flatMap((edge) =>
      edge.node.members.edges.map((member) => member.node.user.displayName),
    );
    // The users come from identity's `_entities`, which answers only because the gateway presents its credential.
    expect(names).toEqual(expect.arrayContaining(['张伟', '陈静']));
  });

  it('decides the same with `first` as variables', async () => {
    const data = await graphqlData<MembersPage>(
      gateway.url,
      MEMBERS('$n', '$m', '($n: Int, $m: Int)'),
      { n: 20, m: 10 },
      { token },
    );
    expect(data.organizations.edges.length).toBeGreaterThan(0);
  });

  it.each([
    ['literal', MEMBERS('100', '100'), {}],
    ['variables', MEMBERS('$n', '$m', '($n: Int, $m: Int)'), { n: 100, m: 100 }],
  ])('refuses 100 organizations × 100 members with `first` as %s', async (_how, query, variables) => {
    const response = await graphqlRequest(gateway.url, query, variables, { token });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'QUERY_TOO_COSTLY',
    });
    expect(response.data ?? null).toBeNull();
  });

  it('refuses the allowed query multiplied by aliases', async () => {
    const one = `organizations(first: 20) { edges { node { members(first: 10) { edges { node { user { displayName } } } } } } }`;
    const query = `{ ${Array.from({ length: 8 }, (_, i) => `page${i}: ${one}`).join(' ')} }`;
    const response = await graphqlRequest(gateway.url, query, {}, { token });
    expect(response.errors?.[0]?.extensions).toMatchObject({ reason: 'QUERY_TOO_COSTLY' });
  });

  it('refuses nesting back through users, their memberships and organizations', async () => {
    const query = `{ organizations(first: 50) { edges { node { members(first: 50) { edges { node { user {
      memberships { organization { name leaders { displayName } } } } } } } } } } }`;
    const response = await graphqlRequest(gateway.url, query, {}, { token });
    expect(response.errors?.[0]?.extensions).toMatchObject({ reason: 'QUERY_TOO_COSTLY' });
  });
});

describe('gateway-only fields', () => {
  it('are not part of the public schema', async () => {
    const response = await graphqlRequest(gateway.url, `{ _service { sdl } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('are refused by a subgraph asked directly, with the reason passed through unchanged', async () => {
    const response = await graphqlRequest(
      organizations.url,
      `query($r: [_Any!]!) { ...F } fragment F on Query { x: _entities(representations: $r) { __typename } }`,
      { r: [{ __typename: 'Organization', id: TAOYUANJU.id }] },
      { token },
    );
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'GATEWAY_ONLY' });
  });
});
