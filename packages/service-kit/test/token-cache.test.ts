import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createTokenVerifier } from '../src';
import { VerifiedTokenCache } from '../src/token-cache';

async function newKey() {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, kid, jwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } as JWK };
}

function sign(key: Awaited<ReturnType<typeof newKey>>, expiresAtSeconds: number) {
  return new SignJWT({ cid: 'c-1', roles: ['RESIDENT'] })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setSubject('u-1')
    .setIssuer('taoyuan-identity')
    .setAudience('taoyuan')
    .setExpirationTime(expiresAtSeconds)
    .sign(key.privateKey);
}

/** A clock the test moves by hand, starting now (the JWKS client's own cooldown runs on real time). */
function manualClock() {
  let current = Date.now();
  return { now: () => current, advance: (ms: number) => (current += ms), seconds: () => Math.floor(current / 1000) };
}

describe('verified token cache', () => {
  it('answers a token seen before without verifying it again', async () => {
    const key = await newKey();
    const clock = manualClock();
    const verify = createTokenVerifier({
      jwks: { keys: [key.jwk] },
      issuer: 'taoyuan-identity',
      audience: 'taoyuan',
      now: clock.now,
    });
    const header = `Bearer ${await sign(key, clock.seconds() + 600)}`;
    const first = await verify(header);
    // A verification builds a new principal; the very same object back means no second signature check ran.
    expect(await verify(header)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('never answers a token at or after its exp, though it was cached before', async () => {
    const key = await newKey();
    const clock = manualClock();
    const verify = createTokenVerifier({
      jwks: { keys: [key.jwk] },
      issuer: 'taoyuan-identity',
      audience: 'taoyuan',
      now: clock.now,
    });
    const expiresAt = clock.seconds() + 60;
    const header = `Bearer ${await sign(key, expiresAt)}`;
    expect(await verify(header)).toMatchObject({ userId: 'u-1' });
    clock.advance(expiresAt * 1000 - clock.now());
    await expect(verify(header)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('keeps at most its configured number of tokens, the least recently used leaving first', () => {
    const cache = new VerifiedTokenCache<{ userId: string }>(2);
    const exp = Math.floor(Date.now() / 1000) + 600;
    cache.set('token-a', { userId: 'a' }, exp, 'k');
    cache.set('token-b', { userId: 'b' }, exp, 'k');
    cache.get('token-a');
    cache.set('token-c', { userId: 'c' }, exp, 'k');
    expect(cache.get('token-b')).toBeUndefined();
    expect(cache.get('token-a')).toEqual({ userId: 'a' });
    expect(cache.size).toBe(2);
  });
});

describe('a signing key revoked by removing it from the JWKS', () => {
  let server: Server;
  let served: JWK[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is refused, cached tokens included, from the first JWKS refresh after the removal', async () => {
    const revoked = await newKey();
    const current = await newKey();
    served = [revoked.jwk, current.jwk];
    const clock = manualClock();
    const verify = createTokenVerifier({
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
      issuer: 'taoyuan-identity',
      audience: 'taoyuan',
      jwksRefreshMs: 60_000,
      now: clock.now,
    });
    const signedByRevoked = `Bearer ${await sign(revoked, clock.seconds() + 3_600)}`;
    const signedByCurrent = `Bearer ${await sign(current, clock.seconds() + 3_600)}`;
    expect(await verify(signedByRevoked)).toMatchObject({ userId: 'u-1' });
    expect(await verify(signedByCurrent)).toMatchObject({ userId: 'u-1' });

    served = [current.jwk];
    // Within the refresh interval the process has not looked at the key set again: the documented window.
    clock.advance(30_000);
    expect(await verify(signedByRevoked)).toMatchObject({ userId: 'u-1' });

    clock.advance(31_000);
    await expect(verify(signedByRevoked)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(await verify(signedByCurrent)).toMatchObject({ userId: 'u-1' });
  });
});
