/**
 * Attack replays against identity over HTTP (issue 8): each test performs the attack and asserts it fails.
 * Real PostgreSQL, identity in this process; addresses are told apart through X-Forwarded-For from a trusted proxy
 * (this test process), except in the instance that trusts no proxy.
 */
import { DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import {
  builders,
  graphqlData,
  graphqlRequest,
  latestSmsCode,
  uniquePhone,
  type GraphqlResponse,
} from '@taoyuan/testing';
import { startIdentityForTests, type IdentityUnderTest } from './support/start-identity';

const LOGIN = `mutation($phone: String!, $password: String!) { login(phone: $phone, password: $password) { accessToken user { id } } }`;
const REQUEST_CODE = `mutation($phone: String!) { requestRegistrationCode(phone: $phone) { codeLength expiresInSeconds } }`;
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { user { id } } }`;
const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { refreshToken } }`;

let addressCounter = 0;
/** A client address of its own (TEST-NET-2), so each test has its own per-address budget. */
const newAddress = () => {
  addressCounter += 1;
  return `198.51.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
};
const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const codeOf = (response: GraphqlResponse) => response.errors?.[0]?.extensions?.code;
type LoginData = { login: { accessToken: string; user: { id: string } } };

/** `count` parallel wrong passwords for `phone`, each from the address `addresses()` gives. */
const attack = (identity: IdentityUnderTest, phone: string, addresses: () => string, count = 300) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      graphqlRequest<LoginData>(identity.url, LOGIN, { phone, password: `guess ${i}` }, from(addresses())),
    ),
  );

describe('sign-in abuse (identity trusts this process as its proxy)', () => {
  const FREE_FAILURES = 3;
  const PHONE_FREE_FAILURES = 10;
  // An hour: no delay can pass during a burst, however slow the machine, so every check it obtains is counted.
  const DELAY_SECONDS = 3600;
  let identity: IdentityUnderTest;
  let build: ReturnType<typeof builders>;

  beforeAll(async () => {
    identity = await startIdentityForTests({
      TRUSTED_PROXIES: '127.0.0.1, ::1',
      LOGIN_FREE_FAILURES: String(FREE_FAILURES),
      LOGIN_PHONE_FREE_FAILURES: String(PHONE_FREE_FAILURES),
      LOGIN_DELAY_BASE_SECONDS: String(DELAY_SECONDS),
      LOGIN_DELAY_MAX_SECONDS: String(DELAY_SECONDS),
      // Room for every parallel attempt to reach the throttle: the hashing queue is not what is tested here.
      PASSWORD_HASH_QUEUE: '1000',
      LOGIN_ADDRESS_MAX_FAILURES: '1000',
      REGISTRATION_CODE_MAX_ATTEMPTS: '3',
    });
    build = builders(identity.url);
  });
  afterAll(() => identity?.stop());

  it('300 parallel wrong passwords from one address get at most the free password checks; the owner elsewhere signs in at once', async () => {
    const owner = await build.newResident({ communityId: TAOYUANJU.id });
    const attacker = newAddress();
    const before = identity.hasher.verifications;
    const answers = await attack(identity, owner.phone, () => attacker);
    expect(identity.hasher.verifications - before).toBeLessThanOrEqual(FREE_FAILURES);
    expect(answers.every((answer) => ['UNAUTHENTICATED', 'TOO_MANY_REQUESTS'].includes(String(codeOf(answer))))).toBe(
      true,
    );
    const elsewhere = await graphqlRequest<LoginData>(
      identity.url,
      LOGIN,
      { phone: owner.phone, password: owner.password },
      from(newAddress()),
    );
    expect(elsewhere.data?.login.user.id).toBe(owner.id);
  });

  it('300 parallel wrong passwords from 300 addresses get at most the per-phone free checks; everyone is told how long to wait', async () => {
    const owner = await build.newResident({ communityId: TAOYUANJU.id });
    const before = identity.hasher.verifications;
    await attack(identity, owner.phone, newAddress);
    expect(identity.hasher.verifications - before).toBeLessThanOrEqual(PHONE_FREE_FAILURES);
    const owners = await graphqlRequest(
      identity.url,
      LOGIN,
      { phone: owner.phone, password: owner.password },
      from(newAddress()),
    );
    expect(owners.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(Number(owners.errors?.[0]?.extensions?.retryAfterSeconds)).toBeLessThanOrEqual(DELAY_SECONDS);
  });

  it('delays an unknown phone exactly like a registered one', async () => {
    const address = newAddress();
    const known = await attack(identity, DEMO_USERS[3].phone, () => address, FREE_FAILURES + 1);
    const unknown = await attack(identity, uniquePhone(), () => address, FREE_FAILURES + 1);
    const codes = (answers: GraphqlResponse[]) => answers.map(codeOf).sort();
    expect(codes(unknown)).toEqual(codes(known));
    expect(codes(known)).toContain('TOO_MANY_REQUESTS');
  });

  it('answers requestRegistrationCode and a wrong code identically for a registered and a new number', async () => {
    const address = newAddress();
    const registered = DEMO_USERS[4].phone;
    const fresh = uniquePhone();
    const [forRegistered, forFresh] = await Promise.all(
      [registered, fresh].map((phone) => graphqlRequest(identity.url, REQUEST_CODE, { phone }, from(address))),
    );
    expect(forRegistered.data).toEqual(forFresh.data);
    expect(forRegistered.errors).toBeUndefined();
    const registerWith = (phone: string) =>
      graphqlRequest(
        identity.url,
        REGISTER,
        { input: { communityId: TAOYUANJU.id, phone, code: '000000', password: 'long enough', displayName: '试探' } },
        from(address),
      );
    const [registerRegistered, registerFresh] = await Promise.all([registerWith(registered), registerWith(fresh)]);
    expect(registerRegistered.errors).toEqual(registerFresh.errors);
    expect(registerRegistered.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
    // The owner of the registered number learns that someone tried; no code was sent to it.
    await expect(latestSmsCode(identity.smsOutboxUrl, registered)).rejects.toThrow(/No registration code/);
  });

  it('lets a code be tried only a few times: after that even the right code fails', async () => {
    const phone = uniquePhone();
    await graphqlData(identity.url, REQUEST_CODE, { phone }, from(newAddress()));
    const code = await latestSmsCode(identity.smsOutboxUrl, phone);
    const input = { communityId: TAOYUANJU.id, phone, password: 'long enough', displayName: '猜码' };
    for (const wrong of ['000001', '000002', '000003'].filter((guess) => guess !== code))
      await graphqlRequest(identity.url, REGISTER, { input: { ...input, code: wrong } });
    const right = await graphqlRequest(identity.url, REGISTER, { input: { ...input, code } });
    expect(right.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
  });

  it('uses a code once: two registrations racing with it create one account', async () => {
    const phone = uniquePhone();
    await graphqlData(identity.url, REQUEST_CODE, { phone }, from(newAddress()));
    const code = await latestSmsCode(identity.smsOutboxUrl, phone);
    const results = await Promise.all(
      ['甲', '乙', '丙'].map((displayName) =>
        graphqlRequest(identity.url, REGISTER, {
          input: { communityId: TAOYUANJU.id, phone, code, password: 'long enough', displayName },
        }),
      ),
    );
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    const users: unknown[] = await identity.server.deps.dataSource.query('SELECT 1 FROM users WHERE phone = $1', [
      phone,
    ]);
    expect(users).toHaveLength(1);
  });

  it('revokes the whole family when a rotated refresh token is presented again, even by racing requests', async () => {
    for (let round = 0; round < 3; round += 1) {
      const resident = await build.login(DEMO_USERS[2].phone, 'taoyuan-demo');
      const results = await Promise.all(
        Array.from({ length: 6 }, () => graphqlRequest(identity.url, REFRESH, { token: resident.refreshToken })),
      );
      const winners = results.filter((result) => !result.errors);
      expect(winners.length).toBeLessThanOrEqual(1);
      // The token was presented more than once, so whoever won holds a successor that is already revoked.
      for (const winner of winners) {
        const next = await graphqlRequest(identity.url, REFRESH, {
          token: (winner.data as { refreshToken: { refreshToken: string } }).refreshToken.refreshToken,
        });
        expect(codeOf(next)).toBe('UNAUTHENTICATED');
      }
    }
  });
});

describe('the owner after an attack (short delays)', () => {
  const DELAY_SECONDS = 2;
  let identity: IdentityUnderTest;

  beforeAll(async () => {
    identity = await startIdentityForTests({
      TRUSTED_PROXIES: '127.0.0.1, ::1',
      LOGIN_FREE_FAILURES: '2',
      LOGIN_PHONE_FREE_FAILURES: '4',
      LOGIN_DELAY_BASE_SECONDS: String(DELAY_SECONDS),
      LOGIN_DELAY_MAX_SECONDS: String(DELAY_SECONDS),
      PASSWORD_HASH_QUEUE: '1000',
    });
  });
  afterAll(() => identity?.stop());

  /** Signs in, waiting out a delay when told to (reading retryAfterSeconds, as a client would). */
  const ownerSignsIn = async (phone: string, password: string, address: string) => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await graphqlRequest<LoginData>(identity.url, LOGIN, { phone, password }, from(address));
      if (!response.errors) return response;
      expect(response.errors[0]?.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      const retryAfter = Number(response.errors[0]?.extensions?.retryAfterSeconds);
      expect(retryAfter).toBeLessThanOrEqual(DELAY_SECONDS);
      await sleep(retryAfter);
    }
    throw new Error('the owner never got in');
  };

  it('signs the owner in once the delay has passed, even from the attacker’s address after a distributed attack', async () => {
    const owner = await builders(identity.url).newResident({ communityId: TAOYUANJU.id });
    const attacker = newAddress();
    await attack(identity, owner.phone, () => attacker, 30);
    await attack(identity, owner.phone, newAddress, 30);
    const signedIn = await ownerSignsIn(owner.phone, owner.password, attacker);
    expect(signedIn.data?.login.user.id).toBe(owner.id);
    // Signing in ended the run of failures: the next mistake is free again.
    const typo = await graphqlRequest(identity.url, LOGIN, { phone: owner.phone, password: 'typo' }, from(attacker));
    expect(codeOf(typo)).toBe('UNAUTHENTICATED');
  });
  it('lets the owner in at once from an address where they signed in before, while a distributed attack delays the phone elsewhere', async () => {
    const owner = await builders(identity.url).newResident({ communityId: TAOYUANJU.id });
    const home = newAddress();
    await graphqlData(identity.url, LOGIN, { phone: owner.phone, password: owner.password }, from(home));
    await attack(identity, owner.phone, newAddress, 30);
    const elsewhere = await graphqlRequest(
      identity.url,
      LOGIN,
      { phone: owner.phone, password: owner.password },
      from(newAddress()),
    );
    expect(codeOf(elsewhere)).toBe('TOO_MANY_REQUESTS');
    const atHome = await graphqlRequest<LoginData>(
      identity.url,
      LOGIN,
      { phone: owner.phone, password: owner.password },
      from(home),
    );
    expect(atHome.data?.login.user.id).toBe(owner.id);
  });
});

describe('client address limits (identity trusts no proxy: X-Forwarded-For is the client’s word)', () => {
  let identity: IdentityUnderTest;

  beforeAll(async () => {
    identity = await startIdentityForTests({
      LOGIN_ADDRESS_MAX_FAILURES: '4',
      REGISTRATION_CODES_PER_PHONE: '2',
      REGISTRATION_CODES_PER_ADDRESS: '5',
    });
  });
  afterAll(() => identity?.stop());

  it('limits failed sign-ins per address across phones, and a forged X-Forwarded-For does not reset the budget', async () => {
    const answers: GraphqlResponse[] = [];
    for (let i = 0; i < 6; i += 1)
      answers.push(
        await graphqlRequest<LoginData>(
          identity.url,
          LOGIN,
          { phone: uniquePhone(), password: 'guess' },
          from(newAddress()),
        ),
      );
    expect(answers.map(codeOf)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
    ]);
    expect(Number(answers[4]?.errors?.[0]?.extensions?.retryAfterSeconds)).toBeGreaterThan(0);
  });

  it('limits registration codes per phone and per address', async () => {
    const phone = uniquePhone();
    const ask = (number: string) => graphqlRequest(identity.url, REQUEST_CODE, { phone: number }, from(newAddress()));
    expect([await ask(phone), await ask(phone), await ask(phone)].map(codeOf)).toEqual([
      undefined,
      undefined,
      'TOO_MANY_REQUESTS',
    ]);
    // Three counted so far from this address (the refused one included); two more fit, then the address is done.
    const others = [];
    for (let i = 0; i < 3; i += 1) others.push(await ask(uniquePhone()));
    expect(others.map(codeOf)).toEqual([undefined, undefined, 'TOO_MANY_REQUESTS']);
  });
});

describe('in production', () => {
  let identity: IdentityUnderTest;

  beforeAll(async () => {
    identity = await startIdentityForTests({ NODE_ENV: 'production' });
  });
  afterAll(() => identity?.stop());

  it('serves no development SMS outbox', async () => {
    const phone = uniquePhone();
    await graphqlData(identity.url, REQUEST_CODE, { phone });
    const outbox = await fetch(`${identity.smsOutboxUrl}?phone=${phone}`);
    expect(outbox.status).toBe(404);
  });
});
