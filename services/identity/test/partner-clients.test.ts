import { TAOYUANJU } from '@taoyuan/demo-data';
import { baseConfigShape, jwksUrlSchema, loadConfig, portSchema } from '@taoyuan/service-kit';
import {
  builders,
  createTestDatabase,
  graphqlData,
  graphqlRequest,
  TEST_GATEWAY_SECRET,
  type TestDatabase,
} from '@taoyuan/testing';
import { startVolunteering } from '@taoyuan/volunteering';
import { startIdentityForTests, type IdentityUnderTest } from './support/start-identity';

let identity: IdentityUnderTest;
let volunteering: Awaited<ReturnType<typeof startVolunteering>>;
let volunteeringDb: TestDatabase;
let tokenUrl: string;
let committeeToken: string;
let workerToken: string;
let residentId: string;
let residentToken: string;

const REGISTER = `mutation($input: RegisterPartnerClientInput!) {
  registerPartnerClient(input: $input) { clientSecret client { id status scopes communityIds } } }`;
const APPROVE = `mutation($id: ID!) { approvePartnerClient(clientId: $id) { id status approvedCommunityIds } }`;
const REVOKE = `mutation($id: ID!) { revokePartnerClient(clientId: $id) { id status } }`;
const ROTATE = `mutation($id: ID!) { rotatePartnerClientSecret(clientId: $id) { clientSecret } }`;

async function requestToken(
  body: Record<string, string>,
  authorization?: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (authorization) headers.authorization = authorization;
  const response = await fetch(tokenUrl, { method: 'POST', headers, body: new URLSearchParams(body).toString() });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A partner client registered by the community worker and approved by the committee member. */
async function activeClient(scopes: string[] = ['REPORTS_READ']): Promise<{ id: string; secret: string }> {
  const registered = await graphqlData<{ registerPartnerClient: { clientSecret: string; client: { id: string } } }>(
    identity.url,
    REGISTER,
    { input: { name: '福田区民政局', kind: 'GOVERNMENT', communityIds: [TAOYUANJU.id], scopes } },
    { token: workerToken },
  );
  await graphqlData(
    identity.url,
    APPROVE,
    { id: registered.registerPartnerClient.client.id },
    { token: committeeToken },
  );
  return { id: registered.registerPartnerClient.client.id, secret: registered.registerPartnerClient.clientSecret };
}

beforeAll(async () => {
  identity = await startIdentityForTests();
  tokenUrl = identity.url.replace(/\/graphql$/, '/oauth/token');
  const build = builders(identity.url);
  committeeToken = (await build.login('13800000001', 'taoyuan-demo')).accessToken;
  workerToken = (await build.login('13800000002', 'taoyuan-demo')).accessToken;
  const resident = await build.login('13800000011', 'taoyuan-demo');
  residentId = resident.userId;
  residentToken = resident.accessToken;
  // Volunteering verifies tokens against this identity's JWKS, as in production.
  volunteeringDb = await createTestDatabase('volunteering');
  volunteering = await startVolunteering(
    loadConfig(
      { ...baseConfigShape, PORT: portSchema(4002), JWKS_URL: jwksUrlSchema },
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        DATABASE_URL: volunteeringDb.url,
        JWKS_URL: identity.jwksUrl,
        MIGRATIONS_RUN: 'true',
        SEED_DEMO_DATA: 'true',
        GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
      },
    ),
  );
});
afterAll(async () => {
  await volunteering?.stop();
  await volunteeringDb?.drop();
  await identity?.stop();
});

describe('client credentials', () => {
  it('a reports:read token reads its community’s leaderboard without phones and is refused personal fields', async () => {
    const client = await activeClient(['REPORTS_READ']);
    const granted = await requestToken({ grant_type: 'client_credentials' }, basic(client.id, client.secret));
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ token_type: 'Bearer', scope: 'reports:read' });
    expect(granted.body.expires_in).toBeGreaterThan(0);
    expect(granted.headers.get('cache-control')).toBe('no-store');
    const token = String(granted.body.access_token);

    const board = await graphqlData<{ pointsLeaderboard: { rank: number; points: number }[] }>(
      volunteering.url,
      `query($c: ID!) { pointsLeaderboard(communityId: $c, period: YEAR, first: 5) { rank points user { id } } }`,
      { c: TAOYUANJU.id },
      { token },
    );
    expect(board.pointsLeaderboard.length).toBeGreaterThan(0);
    // Names on the board are public profiles; the phone is a personal field, never shown to a partner.
    const profile = await graphqlRequest<{ _entities: { displayName: string; phone: string | null }[] }>(
      identity.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { displayName phone } } }`,
      { r: [{ __typename: 'User', id: residentId }] },
      { token, asGatewayTo: 'identity' },
    );
    expect(profile.data?._entities[0]).toEqual({ displayName: '张伟', phone: null });

    const me = await graphqlRequest(identity.url, `{ me { id phone } }`, {}, { token });
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const claims = await graphqlRequest(identity.url, `{ pendingResidenceClaims { id } }`, {}, { token });
    expect(claims.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a partner token reads no leaderboard of a community it does not serve, nor without reports:read', async () => {
    const other = '00000000-0000-4000-8000-0000000000ff';
    const reports = await activeClient(['REPORTS_READ']);
    const reportsToken = String(
      (await requestToken({ grant_type: 'client_credentials', client_id: reports.id, client_secret: reports.secret }))
        .body.access_token,
    );
    const query = `query($c: ID!) { pointsLeaderboard(communityId: $c, period: YEAR) { rank } }`;
    const elsewhere = await graphqlRequest(volunteering.url, query, { c: other }, { token: reportsToken });
    expect(elsewhere.errors?.[0]?.extensions?.reason).toBe('OTHER_COMMUNITY');

    const events = await activeClient(['EVENTS_READ']);
    const eventsToken = String(
      (await requestToken({ grant_type: 'client_credentials' }, basic(events.id, events.secret))).body.access_token,
    );
    const noScope = await graphqlRequest(volunteering.url, query, { c: TAOYUANJU.id }, { token: eventsToken });
    expect(noScope.errors?.[0]?.extensions?.reason).toBe('SCOPE_REQUIRED');
  });

  it('a revoked client gets no new token, and a rotated secret replaces the old one', async () => {
    const client = await activeClient();
    const rotated = await graphqlData<{ rotatePartnerClientSecret: { clientSecret: string } }>(
      identity.url,
      ROTATE,
      { id: client.id },
      { token: committeeToken },
    );
    const old = await requestToken({ grant_type: 'client_credentials' }, basic(client.id, client.secret));
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('invalid_client');
    const fresh = rotated.rotatePartnerClientSecret.clientSecret;
    expect((await requestToken({ grant_type: 'client_credentials' }, basic(client.id, fresh))).status).toBe(200);

    await graphqlData(identity.url, REVOKE, { id: client.id }, { token: committeeToken });
    const afterRevoke = await requestToken({ grant_type: 'client_credentials' }, basic(client.id, fresh));
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error).toBe('invalid_client');
    expect(afterRevoke.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('the secret is shown once and stored only as a hash', async () => {
    const client = await activeClient();
    const listed = await graphqlRequest(
      identity.url,
      `{ partnerClients { id clientSecret } }`,
      {},
      {
        token: committeeToken,
      },
    );
    expect(listed.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const rows: { secret_hash: string }[] = await identity.server.deps.dataSource.query(
      'SELECT secret_hash FROM partner_clients WHERE id = $1',
      [client.id],
    );
    expect(rows[0]?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(client.secret);
  });

  it('answers the RFC 6749 errors: wrong grant, scope beyond the approval, no credentials', async () => {
    const client = await activeClient(['REPORTS_READ']);
    const auth = basic(client.id, client.secret);
    const wrongGrant = await requestToken({ grant_type: 'password', username: 'x', password: 'y' }, auth);
    expect([wrongGrant.status, wrongGrant.body.error]).toEqual([400, 'unsupported_grant_type']);
    const wideScope = await requestToken(
      { grant_type: 'client_credentials', scope: 'reports:read webhooks:manage' },
      auth,
    );
    expect([wideScope.status, wideScope.body.error]).toEqual([400, 'invalid_scope']);
    const anonymous = await requestToken({ grant_type: 'client_credentials' });
    expect([anonymous.status, anonymous.body.error]).toEqual([401, 'invalid_client']);
  });
});

describe('approval', () => {
  it('only a committee member of the community approves, never the one who registered it', async () => {
    const registered = await graphqlData<{ registerPartnerClient: { clientSecret: string; client: { id: string } } }>(
      identity.url,
      REGISTER,
      {
        input: {
          name: '桃源居公益事业发展基金会',
          kind: 'FOUNDATION',
          communityIds: [TAOYUANJU.id],
          scopes: ['EVENTS_READ'],
        },
      },
      { token: committeeToken },
    );
    const { id } = registered.registerPartnerClient.client;
    const byWorker = await graphqlRequest(identity.url, APPROVE, { id }, { token: workerToken });
    expect(byWorker.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byRegistrant = await graphqlRequest(identity.url, APPROVE, { id }, { token: committeeToken });
    expect(byRegistrant.errors?.[0]?.extensions?.reason).toBe('SELF_APPROVAL');
    const pending = await requestToken(
      { grant_type: 'client_credentials' },
      basic(id, registered.registerPartnerClient.clientSecret),
    );
    expect(pending.body.error).toBe('invalid_client');
  });
});

describe('consent', () => {
  const GRANT = `mutation($id: ID!) { grantDataConsent(partnerClientId: $id, scope: VOLUNTEER_RECORDS_READ) { status partnerName } }`;
  const WITHDRAW = `mutation($id: ID!) { revokeDataConsent(partnerClientId: $id, scope: VOLUNTEER_RECORDS_READ) { status revokedAt } }`;
  const consentEvents = (type: string) =>
    identity.server.deps.dataSource.query<
      { payload: { displayName?: string; consentVersion: number; userId: string } }[]
    >(`SELECT payload FROM outbox WHERE topic = $1 AND payload->>'userId' = $2 ORDER BY id`, [
      `taoyuan.identity.consent.${type}.v1`,
      residentId,
    ]);

  it('a resident grants and withdraws a consent; partners learn the name only through the grant', async () => {
    const bureau = await activeClient(['VOLUNTEER_RECORDS_READ', 'WEBHOOKS_MANAGE']);
    const offered = await graphqlData<{ consentablePartners: { id: string }[] }>(
      identity.url,
      `{ consentablePartners { id } }`,
      {},
      { token: residentToken },
    );
    expect(offered.consentablePartners.map((partner) => partner.id)).toContain(bureau.id);

    const granted = await graphqlData<{ grantDataConsent: { status: string; partnerName: string } }>(
      identity.url,
      GRANT,
      { id: bureau.id },
      { token: residentToken },
    );
    expect(granted.grantDataConsent).toEqual({ status: 'GRANTED', partnerName: '福田区民政局' });
    const mine = await graphqlData<{ me: { dataConsents: { status: string }[] } }>(
      identity.url,
      `{ me { dataConsents { status } } }`,
      {},
      { token: residentToken },
    );
    expect(mine.me.dataConsents).toEqual([{ status: 'GRANTED' }]);
    const [grantEvent] = await consentEvents('granted');
    expect(grantEvent?.payload.displayName).toBe('张伟');

    const withdrawn = await graphqlData<{ revokeDataConsent: { status: string } }>(
      identity.url,
      WITHDRAW,
      { id: bureau.id },
      { token: residentToken },
    );
    expect(withdrawn.revokeDataConsent.status).toBe('REVOKED');
    const [revokeEvent] = await consentEvents('revoked');
    expect(revokeEvent?.payload.displayName).toBeUndefined();
    expect(revokeEvent.payload.consentVersion).toBeGreaterThan(grantEvent.payload.consentVersion);
  });

  it('nobody consents for someone else, reads their consents, or consents to a partner not approved for it', async () => {
    const reportsOnly = await activeClient(['REPORTS_READ']);
    const refused = await graphqlRequest(identity.url, GRANT, { id: reportsOnly.id }, { token: residentToken });
    expect(refused.errors?.[0]?.extensions?.reason).toBe('SCOPE_NOT_APPROVED');
    const token = String(
      (await requestToken({ grant_type: 'client_credentials' }, basic(reportsOnly.id, reportsOnly.secret))).body
        .access_token,
    );
    const asPartner = await graphqlRequest(identity.url, GRANT, { id: reportsOnly.id }, { token });
    expect(asPartner.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const seen = await graphqlRequest<{ _entities: { dataConsents: unknown }[] }>(
      identity.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { dataConsents { status } } } }`,
      { r: [{ __typename: 'User', id: residentId }] },
      { token: committeeToken, asGatewayTo: 'identity' },
    );
    expect(seen.data?._entities[0]?.dataConsents).toBeNull();
  });
});
