import { createPrivateKey } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import type { RunningHttpServer } from '@taoyuan/service-kit';
import { builders, graphqlData, graphqlRequest } from '@taoyuan/testing';
import { SignJWT } from 'jose';
import { generateSigningKeyPem } from '@taoyuan/identity/signing-keys';
import { startIdentityForTests, type IdentityUnderTest } from '@taoyuan/identity/testing';
import { startGatewayForTests } from './support/start-gateway';

let identity: IdentityUnderTest;
let gateway: RunningHttpServer;
let production: RunningHttpServer;

beforeAll(async () => {
  identity = await startIdentityForTests();
  gateway = await startGatewayForTests({ identity }, { NODE_ENV: 'development' });
  production = await startGatewayForTests({ identity }, { NODE_ENV: 'production' });
});
afterAll(async () => {
  await gateway?.stop();
  await production?.stop();
  await identity?.stop();
});

const ME = `query { me { id displayName phone roles community { name } } }`;

describe('through the gateway', () => {
  it('register → login → me, with the Chinese display name intact', async () => {
    const build = builders(gateway.url);
    const resident = await build.newResident({ communityId: TAOYUANJU.id, displayName: '司马相如' });
    const session = await build.login(resident.phone, resident.password);
    const data = await graphqlData<{ me: { id: string; displayName: string; community: { name: string } } }>(
      gateway.url,
      ME,
      {},
      { token: session.accessToken },
    );
    expect(data.me).toMatchObject({ id: resident.id, displayName: '司马相如', community: { name: '桃源居社区' } });
  });

  it('answers me for a seeded resident signing in with the demo password', async () => {
    const session = await builders(gateway.url).login('13800000011', 'taoyuan-demo');
    const data = await graphqlData<{ me: { displayName: string; phone: string; roles: string[] } }>(
      gateway.url,
      ME,
      {},
      { token: session.accessToken },
    );
    expect(data.me).toEqual(
      expect.objectContaining({ displayName: '张伟', phone: '13800000011', roles: ['RESIDENT'] }),
    );
  });

  async function forge(keyPem: string, expiresIn: number) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ cid: TAOYUANJU.id, roles: ['RESIDENT'] })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('6f1c2d3e-0000-4000-8002-000000000011')
      .setIssuer('taoyuan-identity')
      .setAudience('taoyuan')
      .setIssuedAt(now - 3600)
      .setExpirationTime(now + expiresIn)
      .sign(createPrivateKey(keyPem));
  }

  it.each([
    ['an expired token', () => forge(identity.privateKeyPem, -10).then((token) => ({ token }))],
    ['a token signed by another key', () => forge(generateSigningKeyPem(), 600).then((token) => ({ token }))],
    ['a malformed header', async () => ({ authorization: 'Bearer' })],
  ])('refuses %s with UNAUTHENTICATED before planning, even for a public query', async (_label, options) => {
    const response = await graphqlRequest(gateway.url, `{ communities { name } }`, {}, await options());
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.data ?? null).toBeNull();
  });

  it('passes subgraph error codes through: a resident granting a role gets FORBIDDEN', async () => {
    const session = await builders(gateway.url).login('13800000012', 'taoyuan-demo');
    const response = await graphqlRequest(
      gateway.url,
      `mutation { grantRole(userId: "6f1c2d3e-0000-4000-8002-000000000013", role: COMMITTEE) { id } }`,
      {},
      { token: session.accessToken },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_REQUIRED' });
  });

  it('a subgraph called directly without a token refuses what needs one', async () => {
    const response = await graphqlRequest(identity.url, ME);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('limits', () => {
  it('refuses a query deeper than the limit', async () => {
    const deep = `{ me { community { grids { leader { community { grids { leader { community { grids { leader { community { grids { name } } } } } } } } } } } } }`;
    const response = await graphqlRequest(gateway.url, deep);
    expect(response.errors?.[0]?.message).toMatch(/depth/i);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: communities { id }`).join(' ');
    const response = await graphqlRequest(gateway.url, `{ ${aliases} }`);
    expect(response.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('refuses an oversized body with PAYLOAD_TOO_LARGE', async () => {
    const response = await graphqlRequest(gateway.url, `{ communities { id } }`, { padding: 'x'.repeat(200_000) });
    expect(response.status).toBe(413);
    expect(response.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('prevents CSRF: a simple cross-site GET with a query is refused', async () => {
    const response = await fetch(`${gateway.url}?query=${encodeURIComponent('{ communities { id } }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });

  it('serves introspection in development but not in production', async () => {
    const introspection = `{ __schema { queryType { name } } }`;
    expect((await graphqlRequest(gateway.url, introspection)).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    const refused = await graphqlRequest(production.url, introspection);
    expect(refused.errors?.[0]?.message).toMatch(/introspection/i);
  });
});
