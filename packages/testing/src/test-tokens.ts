import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export type TestRole = 'RESIDENT' | 'COMMUNITY_WORKER' | 'COMMITTEE' | 'ADMIN';

export interface TestTokenIssuer {
  /** Point a subgraph's JWKS_URL here. */
  jwksUrl: string;
  /** An access token as identity would issue it (EdDSA, iss taoyuan-identity, aud taoyuan). */
  /** `expiresInSeconds: null` leaves `exp` out, as a forger would. */
  sign(claims: {
    userId: string;
    communityId: string;
    roles?: TestRole[];
    expiresInSeconds?: number | null;
  }): Promise<string>;
  /** A partner client's token as identity's `POST /oauth/token` would issue it. */
  signPartner(claims: { clientId: string; scopes: string[]; communityIds: string[] }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Access tokens for testing one subgraph without running identity: a fresh Ed25519 key and a JWKS served on a local
 * port. The subgraph under test verifies them exactly as it verifies identity's (signature, issuer, audience, expiry).
 */
export async function startTestTokenIssuer(): Promise<TestTokenIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const jwks = { keys: [{ ...jwk, kid, alg: 'EdDSA', use: 'sig' } as JWK] };
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    sign: ({ userId, communityId, roles = ['RESIDENT'], expiresInSeconds = 900 }) => {
      const token = new SignJWT({ cid: communityId, roles })
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setSubject(userId)
        .setIssuer('taoyuan-identity')
        .setAudience('taoyuan')
        .setIssuedAt();
      if (expiresInSeconds !== null) token.setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds);
      return token.sign(privateKey);
    },
    signPartner: ({ clientId, scopes, communityIds }) =>
      new SignJWT({ client_id: clientId, scope: scopes.join(' '), communities: communityIds })
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setSubject(`partner:${clientId}`)
        .setIssuer('taoyuan-identity')
        .setAudience('taoyuan')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + 900)
        .sign(privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
