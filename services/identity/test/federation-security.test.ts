import { createPrivateKey } from 'node:crypto';
import { DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import { SignJWT } from 'jose';
import { startIdentityForTests, type IdentityUnderTest } from './support/start-identity';

/** Attacks on the identity subgraph reached directly, as anyone on its network can. */
let identity: IdentityUnderTest;
let residentToken: string;

const LEADER = DEMO_USERS.find((user) => user.displayName === '李建国');
const RESIDENT = DEMO_USERS.find((user) => user.displayName === '张伟');
const USER_FIELDS = `id displayName phone roles household { building room } community { name }`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { ${USER_FIELDS} } } }`;
const reps = (...ids: string[]) => ({ reps: ids.map((id) => ({ __typename: 'User', id })) });

beforeAll(async () => {
  identity = await startIdentityForTests();
  if (!RESIDENT) throw new Error('demo data lacks 张伟');
  const now = Math.floor(Date.now() / 1000);
  residentToken = await new SignJWT({ cid: TAOYUANJU.id, roles: ['RESIDENT'] })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(RESIDENT.id)
    .setIssuer('taoyuan-identity')
    .setAudience('taoyuan')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(createPrivateKey(identity.privateKeyPem));
});
afterAll(() => identity?.stop());

describe('_entities and _service answer only the gateway', () => {
  it.each([
    ['plainly', ENTITIES],
    ['behind an alias', ENTITIES.replace('_entities(', 'people: _entities(')],
    [
      'inside nested fragments',
      `query($reps: [_Any!]!) { ...A } fragment A on Query { ...B } fragment B on Query { _entities(representations: $reps) { ... on User { phone } } }`,
    ],
  ])('refuses `_entities` %s without the gateway credential, whoever is signed in', async (_how, query) => {
    for (const token of [residentToken, undefined]) {
      const response = await graphqlRequest(identity.url, query, reps(LEADER?.id ?? ''), { token });
      expect(response.status).toBe(403);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'GATEWAY_ONLY' });
      expect(response.data ?? null).toBeNull();
    }
  });

  it('refuses `_service { sdl }` without it', async () => {
    const response = await graphqlRequest(identity.url, `{ ... on Query { _service { sdl } } }`);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'GATEWAY_ONLY' });
  });
});

describe('a User reference shows what the queries returning that user show', () => {
  it('gives a resident the same view of the grid leader on both paths: masked phone, no home', async () => {
    const viaQuery = await graphqlData<{ community: { grids: { leader: Record<string, unknown> | null }[] } }>(
      identity.url,
      `query($id: ID!) { community(id: $id) { grids { leader { ${USER_FIELDS} } } } }`,
      { id: TAOYUANJU.id },
      { token: residentToken },
    );
    const leaderViaQuery = viaQuery.community.grids.map((grid) => grid.leader).find((user) => user?.id === LEADER?.id);
    const viaReference = await graphqlData<{ _entities: Record<string, unknown>[] }>(
      identity.url,
      ENTITIES,
      reps(LEADER?.id ?? ''),
      { token: residentToken, asGatewayTo: 'identity' },
    );
    expect(viaReference._entities[0]).toEqual(leaderViaQuery);
    expect(viaReference._entities[0]).toMatchObject({ displayName: '李建国', household: null });
    expect(viaReference._entities[0]?.phone).not.toBe(LEADER?.phone);
  });

  it('gives the owner their own private details on both paths', async () => {
    const me = await graphqlData<{ me: Record<string, unknown> }>(
      identity.url,
      `{ me { ${USER_FIELDS} } }`,
      {},
      {
        token: residentToken,
      },
    );
    const viaReference = await graphqlData<{ _entities: Record<string, unknown>[] }>(
      identity.url,
      ENTITIES,
      reps(RESIDENT?.id ?? ''),
      { token: residentToken, asGatewayTo: 'identity' },
    );
    expect(viaReference._entities[0]).toEqual(me.me);
    expect(viaReference._entities[0]?.phone).toBe(RESIDENT?.phone);
  });

  it('answers null, not an internal error, for a reference that is not a UUID', async () => {
    const data = await graphqlData<{ _entities: unknown[] }>(identity.url, ENTITIES, reps("1' OR '1'='1"), {
      asGatewayTo: 'identity',
    });
    expect(data._entities).toEqual([null]);
  });
});

describe('the gateway’s limits, applied by the subgraph itself', () => {
  it('refuses a query deeper than the limit', async () => {
    const deep = `{ communities { grids { leader { community { grids { leader { community { grids { leader {
      community { grids { leader { displayName } } } } } } } } } } } } }`;
    const response = await graphqlRequest(identity.url, deep);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'QUERY_TOO_DEEP',
    });
  });

  it('prices unpaged lists by their assumed size: every household of every grid of every community is too much', async () => {
    const response = await graphqlRequest(
      identity.url,
      `{ communities { grids { households { id building unit room } } } }`,
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ reason: 'QUERY_TOO_COSTLY' });
  });
});
