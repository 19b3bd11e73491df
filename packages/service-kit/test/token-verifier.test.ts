import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createTokenVerifier, Role } from '../src';

async function newKey() {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, kid, jwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } as JWK };
}

function sign(key: Awaited<ReturnType<typeof newKey>>) {
  return new SignJWT({ cid: 'c-1', roles: ['RESIDENT', 'COMMITTEE', 'NOT_A_ROLE'] })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setSubject('u-1')
    .setIssuer('taoyuan-identity')
    .setAudience('taoyuan')
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

describe('token verifier against a remote JWKS', () => {
  let server: Server;
  let served: JWK[] = [];
  let fetches = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('caches the key set, and refetches it when a token names a key id it has not seen (rotation)', async () => {
    const first = await newKey();
    served = [first.jwk];
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    const verify = createTokenVerifier({ jwksUrl: url, issuer: 'taoyuan-identity', audience: 'taoyuan' });

    const caller = await verify(`Bearer ${await sign(first)}`);
    expect(caller).toEqual({ userId: 'u-1', communityId: 'c-1', roles: [Role.RESIDENT, Role.COMMITTEE] });
    await verify(`Bearer ${await sign(first)}`);
    expect(fetches).toBe(1);

    const rotated = await newKey();
    served = [rotated.jwk, first.jwk];
    await new Promise((resolve) => setTimeout(resolve, 5_100)); // jose's cooldown between refetches
    expect(await verify(`Bearer ${await sign(rotated)}`)).toMatchObject({ userId: 'u-1' });
    expect(fetches).toBe(2);
  });

  it('treats a missing header as anonymous and a malformed one as UNAUTHENTICATED', async () => {
    const verify = createTokenVerifier({ jwks: { keys: [] }, issuer: 'taoyuan-identity', audience: 'taoyuan' });
    expect(await verify(undefined)).toBeNull();
    await expect(verify('Basic dXNlcjpwYXNz')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('token claims', () => {
  it('refuses a validly signed token without an expiry', async () => {
    const key = await newKey();
    const verify = createTokenVerifier({ jwks: { keys: [key.jwk] }, issuer: 'taoyuan-identity', audience: 'taoyuan' });
    const claims = () =>
      new SignJWT({ cid: 'c-1', roles: ['RESIDENT'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
        .setSubject('u-1')
        .setIssuer('taoyuan-identity')
        .setAudience('taoyuan');
    const forever = await claims().sign(key.privateKey);
    await expect(verify(`Bearer ${forever}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const expiring = await claims().setExpirationTime('5m').sign(key.privateKey);
    expect(await verify(`Bearer ${expiring}`)).toMatchObject({ userId: 'u-1' });
  });
});
