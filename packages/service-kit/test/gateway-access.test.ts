import { getOperationAST, parse } from 'graphql';
import { SignJWT } from 'jose';
import {
  createGatewayCredentialSigner,
  createGatewayCredentialVerifier,
  requireGatewaySecretInProduction,
  selectsGatewayOnlyField,
} from '../src';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const OTHER = 'another-secret-of-thirty-two-characters!!';

describe('gateway credential', () => {
  it('is accepted by the subgraph it names, and by no other', async () => {
    const sign = createGatewayCredentialSigner(SECRET);
    const token = await sign('volunteering');
    expect(await createGatewayCredentialVerifier('volunteering', [SECRET])(token)).toBe(true);
    expect(await createGatewayCredentialVerifier('identity', [SECRET])(token)).toBe(false);
  });

  it('is refused when signed with another secret, absent, garbage, or when the subgraph has no secret', async () => {
    const token = await createGatewayCredentialSigner(OTHER)('identity');
    const verify = createGatewayCredentialVerifier('identity', [SECRET]);
    expect(await verify(token)).toBe(false);
    expect(await verify(undefined)).toBe(false);
    expect(await verify('not-a-token')).toBe(false);
    expect(
      await createGatewayCredentialVerifier('identity', [undefined])(
        await createGatewayCredentialSigner(SECRET)('identity'),
      ),
    ).toBe(false);
  });

  it('accepts the previous secret during a rotation', async () => {
    const token = await createGatewayCredentialSigner(OTHER)('identity');
    expect(await createGatewayCredentialVerifier('identity', [SECRET, OTHER])(token)).toBe(true);
  });

  it('is refused once expired, or without an expiry', async () => {
    const key = new TextEncoder().encode(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const base = () =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('taoyuan-gateway').setAudience('identity');
    const expired = await base()
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(key);
    const forever = await base().setIssuedAt(now).sign(key);
    const verify = createGatewayCredentialVerifier('identity', [SECRET]);
    expect(await verify(expired)).toBe(false);
    expect(await verify(forever)).toBe(false);
  });

  it('is required in production, and only there', () => {
    expect(() => requireGatewaySecretInProduction({ NODE_ENV: 'production' })).toThrow(/GATEWAY_SHARED_SECRET/);
    expect(() =>
      requireGatewaySecretInProduction({ NODE_ENV: 'production', GATEWAY_SHARED_SECRET: SECRET }),
    ).not.toThrow();
    expect(() => requireGatewaySecretInProduction({ NODE_ENV: 'development' })).not.toThrow();
  });
});

describe('gateway-only fields', () => {
  const selects = (query: string) => {
    const document = parse(query);
    const operation = getOperationAST(document);
    if (!operation) throw new Error('no operation');
    return selectsGatewayOnlyField(document, operation);
  };

  it.each([
    ['plainly', `{ _entities(representations: []) { __typename } }`],
    ['behind an alias', `{ me: _entities(representations: []) { __typename } }`],
    ['in an inline fragment', `{ ... on Query { _service { sdl } } }`],
    ['in a fragment spread', `{ ...F } fragment F on Query { x: _service { sdl } }`],
    [
      'in a nested fragment',
      `{ ...A } fragment A on Query { ...B } fragment B on Query { ... { _entities(representations: []) { __typename } } }`,
    ],
    ['next to ordinary fields', `{ communities { id } _service { sdl } }`],
  ])('finds them %s', (_how, query) => {
    expect(selects(query)).toBe(true);
  });

  it('does not see them in ordinary queries', () => {
    expect(selects(`{ communities { id } ...F } fragment F on Query { me { id } }`)).toBe(false);
  });
});
