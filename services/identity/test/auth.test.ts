import { createPrivateKey } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { builders, graphqlData, graphqlRequest, uniquePhone } from '@taoyuan/testing';
import { SignJWT } from 'jose';
import { generateSigningKeyPem } from '../src/domain/signing-keys';
import { startIdentityForTests, type IdentityUnderTest } from './support/start-identity';

let identity: IdentityUnderTest;
let build: ReturnType<typeof builders>;

beforeAll(async () => {
  identity = await startIdentityForTests();
  build = builders(identity.url);
});
afterAll(() => identity?.stop());

const ME = `query { me { id displayName phone roles communityId community { name } } }`;
const LOGIN = `mutation($phone: String!, $password: String!) { login(phone: $phone, password: $password) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { accessToken refreshToken } }`;
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { user { id displayName } } }`;
const REQUEST_CODE = `mutation($phone: String!) { requestRegistrationCode(phone: $phone) { codeLength expiresInSeconds } }`;

describe('register and sign in', () => {
  it('registers a resident whose Chinese display name round-trips exactly, then signs in and reads me', async () => {
    const displayName = '欧阳娜娜·桃源居🌸';
    const resident = await build.newResident({ communityId: TAOYUANJU.id, displayName });
    const session = await build.login(resident.phone, resident.password);
    const data = await graphqlData<{
      me: { id: string; displayName: string; phone: string; roles: string[]; community: { name: string } };
    }>(identity.url, ME, {}, { token: session.accessToken });
    expect(data.me).toMatchObject({
      id: resident.id,
      displayName,
      phone: resident.phone,
      roles: ['RESIDENT'],
      community: { name: '桃源居社区' },
    });
  });

  it('writes identity.user.registered to the outbox in the same transaction, with no personal data', async () => {
    const resident = await build.newResident({ communityId: TAOYUANJU.id, displayName: '林黛玉' });
    const rows: { topic: string; payload: Record<string, string>; headers: Record<string, string> }[] =
      await identity.server.deps.dataSource.query('SELECT topic, payload, headers FROM outbox WHERE message_key = $1', [
        resident.id,
      ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].topic).toBe('taoyuan.identity.user.registered.v1');
    expect(Object.keys(rows[0].payload).sort()).toEqual(['communityId', 'registeredAt', 'userId']);
    expect(JSON.stringify(rows[0])).not.toMatch(new RegExp(`${resident.phone}|林黛玉`));
    expect(rows[0].headers).toMatchObject({
      ce_type: 'taoyuan.identity.user.registered.v1',
      ce_source: '/taoyuan/identity',
      ce_communityid: TAOYUANJU.id,
    });
  });

  it('normalises phone formats, so +86 and spaces cannot register the same number twice', async () => {
    const phone = uniquePhone();
    await build.newResident({ communityId: TAOYUANJU.id, phone });
    const spaced = `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
    await graphqlData(identity.url, REQUEST_CODE, { phone: spaced });
    const outbox = (await (await fetch(`${identity.smsOutboxUrl}?phone=${phone}`)).json()) as {
      messages: { code?: string; text: string }[];
    };
    // The owner is told someone tried; no code goes out for a registered number.
    expect(outbox.messages[0]).not.toHaveProperty('code');
    expect(outbox.messages[0]?.text).toMatch(/已注册/);
    const again = await graphqlRequest(identity.url, REGISTER, {
      input: {
        communityId: TAOYUANJU.id,
        phone: spaced,
        code: '000000',
        password: 'another password',
        displayName: '重复',
      },
    });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const users: unknown[] = await identity.server.deps.dataSource.query('SELECT 1 FROM users WHERE phone = $1', [
      phone,
    ]);
    expect(users).toHaveLength(1);
  });

  it.each([
    ['a landline number', { phone: '075512345678' }, 'phone'],
    ['a 7-character password', { password: '1234567' }, 'password'],
    ['an empty display name', { displayName: '   ' }, 'displayName'],
    ['a 41-character display name', { displayName: '桃'.repeat(41) }, 'displayName'],
    ['a malformed community id', { communityId: 'not-an-id' }, 'communityId'],
    ['a five-digit code', { code: '12345' }, 'code'],
    ['a zero-width space inside the name', { displayName: '王\u200B芳' }, 'displayName'],
    ['a right-to-left override in the name', { displayName: '\u202E芳王' }, 'displayName'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_label, override, field) => {
    const input = {
      communityId: TAOYUANJU.id,
      phone: uniquePhone(),
      code: '123456',
      password: 'long enough',
      displayName: '测试',
      ...override,
    };
    const response = await graphqlRequest(identity.url, REGISTER, { input });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(JSON.stringify(response.errors)).not.toMatch(/stack|at .*\.ts/);
  });

  it('accepts a 40-character name of any script', async () => {
    const resident = await build.newResident({ communityId: TAOYUANJU.id, displayName: 'ئۇيغۇر'.padEnd(40, 'ا') });
    expect([...resident.displayName].length).toBe(40);
  });

  it('refuses an unknown community with NOT_FOUND and creates nothing', async () => {
    const phone = uniquePhone();
    const response = await graphqlRequest(identity.url, REGISTER, {
      input: {
        communityId: '00000000-0000-4000-8000-000000000000',
        phone,
        code: '123456',
        password: 'long enough',
        displayName: '无',
      },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const rows: unknown[] = await identity.server.deps.dataSource.query('SELECT 1 FROM users WHERE phone = $1', [
      phone,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('answers a wrong password and an unknown phone with the same error (no user enumeration)', async () => {
    const resident = await build.newResident({ communityId: TAOYUANJU.id });
    const wrongPassword = await graphqlRequest(identity.url, LOGIN, {
      phone: resident.phone,
      password: 'wrong password',
    });
    const unknownPhone = await graphqlRequest(identity.url, LOGIN, {
      phone: uniquePhone(),
      password: 'wrong password',
    });
    expect(wrongPassword.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(unknownPhone.errors?.[0]).toEqual(wrongPassword.errors?.[0]);
  });

  it('signs in every demo account with the documented password', async () => {
    for (const phone of ['13800000001', '13800000002', '13800000011', '13800000015']) {
      const session = await build.login(phone, 'taoyuan-demo');
      expect(session.accessToken).toMatch(/^ey/);
    }
  });
});

describe('refresh tokens', () => {
  it('rotates on every use; replaying a used token fails and revokes its successor', async () => {
    const resident = await build.newResident({ communityId: TAOYUANJU.id });
    const first = await graphqlData<{ refreshToken: { accessToken: string; refreshToken: string } }>(
      identity.url,
      REFRESH,
      { token: resident.refreshToken },
    );
    expect(first.refreshToken.refreshToken).not.toBe(resident.refreshToken);
    const me = await graphqlData<{ me: { id: string } }>(
      identity.url,
      ME,
      {},
      { token: first.refreshToken.accessToken },
    );
    expect(me.me.id).toBe(resident.id);

    const replay = await graphqlRequest(identity.url, REFRESH, { token: resident.refreshToken });
    expect(replay.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const successor = await graphqlRequest(identity.url, REFRESH, { token: first.refreshToken.refreshToken });
    expect(successor.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets only one of two simultaneous uses of the same token win', async () => {
    const resident = await build.newResident({ communityId: TAOYUANJU.id });
    const results = await Promise.all(
      [0, 1, 2].map(() => graphqlRequest(identity.url, REFRESH, { token: resident.refreshToken })),
    );
    expect(results.filter((result) => !result.errors).length).toBeLessThanOrEqual(1);
  });

  it('logout ends the session: its refresh token no longer works', async () => {
    const resident = await build.newResident({ communityId: TAOYUANJU.id });
    const out = await graphqlData<{ logout: boolean }>(
      identity.url,
      `mutation($t: String!) { logout(refreshToken: $t) }`,
      { t: resident.refreshToken },
    );
    expect(out.logout).toBe(true);
    const after = await graphqlRequest(identity.url, REFRESH, { token: resident.refreshToken });
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('access tokens at the subgraph', () => {
  async function forge(options: { expiresIn?: number; keyPem?: string; audience?: string; roles?: string[] }) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ cid: TAOYUANJU.id, roles: options.roles ?? ['RESIDENT'] })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('6f1c2d3e-0000-4000-8002-000000000011')
      .setIssuer('taoyuan-identity')
      .setAudience(options.audience ?? 'taoyuan')
      .setIssuedAt(now - 3600)
      .setExpirationTime(now + (options.expiresIn ?? 600))
      .sign(createPrivateKey(options.keyPem ?? identity.privateKeyPem));
  }

  it('accepts a token it signed', async () => {
    const data = await graphqlData<{ me: { displayName: string } }>(identity.url, ME, {}, { token: await forge({}) });
    expect(data.me.displayName).toBe('张伟');
  });

  it.each([
    ['no token', async () => ({})],
    ['an expired token', async () => ({ token: await forge({ expiresIn: -60 }) })],
    ['a token signed by another key', async () => ({ token: await forge({ keyPem: generateSigningKeyPem() }) })],
    ['a token for another audience', async () => ({ token: await forge({ audience: 'somebody-else' }) })],
    ['a malformed header', async () => ({ authorization: 'Token abc' })],
    ['a bearer that is not a JWT', async () => ({ authorization: 'Bearer not.a-jwt' })],
  ])('refuses me with %s: UNAUTHENTICATED', async (_label, options) => {
    const response = await graphqlRequest(identity.url, ME, {}, await options());
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.data?.me ?? null).toBeNull();
  });

  it('serves its public keys as a JWKS, with no private part', async () => {
    const jwks = (await (await fetch(identity.jwksUrl)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});
