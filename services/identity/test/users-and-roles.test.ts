import { DEMO_COMMUNITIES, DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import { builders, graphqlData, graphqlRequest, type TestUser } from '@taoyuan/testing';
import { seedIdentityDemo } from '../src/seed/demo-seed';
import { startIdentityForTests, type IdentityUnderTest } from './support/start-identity';

let identity: IdentityUnderTest;
let build: ReturnType<typeof builders>;
let committeeToken: string;
let workerToken: string;
let resident: TestUser;
let neighbour: TestUser;

const demo = (phone: string) => DEMO_USERS.find((user) => user.phone === phone)!;

beforeAll(async () => {
  identity = await startIdentityForTests();
  build = builders(identity.url);
  committeeToken = (await build.login('13800000001', 'taoyuan-demo')).accessToken;
  workerToken = (await build.login('13800000002', 'taoyuan-demo')).accessToken;
  resident = await build.newResident({ communityId: TAOYUANJU.id, displayName: '黄小明' });
  neighbour = await build.newResident({ communityId: TAOYUANJU.id, displayName: '周大妈' });
});
afterAll(() => identity?.stop());

const GRANT = `mutation($userId: ID!, $role: Role!) { grantRole(userId: $userId, role: $role) { id roles } }`;
const REVOKE = `mutation($userId: ID!, $role: Role!) { revokeRole(userId: $userId, role: $role) { id roles } }`;
const USER_ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { id displayName phone } } }`;

describe('roles', () => {
  it('a RESIDENT calling grantRole gets FORBIDDEN and nothing changes', async () => {
    const response = await graphqlRequest(
      identity.url,
      GRANT,
      { userId: neighbour.id, role: 'COMMUNITY_WORKER' },
      { token: resident.accessToken },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const rows: { roles: string[] }[] = await identity.server.deps.dataSource.query(
      'SELECT roles FROM users WHERE id = $1',
      [neighbour.id],
    );
    expect(rows[0]?.roles).toEqual(['RESIDENT']);
  });

  it('a committee member grants and revokes a role in their community, and every change is audited', async () => {
    const granted = await graphqlData<{ grantRole: { roles: string[] } }>(
      identity.url,
      GRANT,
      { userId: neighbour.id, role: 'COMMUNITY_WORKER' },
      { token: committeeToken },
    );
    expect(granted.grantRole.roles).toEqual(['RESIDENT', 'COMMUNITY_WORKER']);
    const revoked = await graphqlData<{ revokeRole: { roles: string[] } }>(
      identity.url,
      REVOKE,
      { userId: neighbour.id, role: 'COMMUNITY_WORKER' },
      { token: committeeToken },
    );
    expect(revoked.revokeRole.roles).toEqual(['RESIDENT']);
    const audit: { action: string; changed_by: string }[] = await identity.server.deps.dataSource.query(
      'SELECT action, changed_by FROM role_changes WHERE user_id = $1 ORDER BY changed_at',
      [neighbour.id],
    );
    expect(audit).toEqual([
      { action: 'GRANTED', changed_by: demo('13800000001').id },
      { action: 'REVOKED', changed_by: demo('13800000001').id },
    ]);
  });

  it('a committee member of another community gets FORBIDDEN', async () => {
    const chongqing = await build.newResident({ communityId: DEMO_COMMUNITIES[1].id, displayName: '重庆主任' });
    await identity.server.deps.dataSource.query(
      `UPDATE users SET roles = ARRAY['RESIDENT','COMMITTEE'] WHERE id = $1`,
      [chongqing.id],
    );
    const token = (await build.login(chongqing.phone, chongqing.password)).accessToken;
    const response = await graphqlRequest(
      identity.url,
      GRANT,
      { userId: resident.id, role: 'COMMUNITY_WORKER' },
      { token },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('only an admin may grant ADMIN; RESIDENT cannot be revoked', async () => {
    const admin = await graphqlRequest(
      identity.url,
      GRANT,
      { userId: resident.id, role: 'ADMIN' },
      { token: committeeToken },
    );
    expect(admin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const residentRole = await graphqlRequest(
      identity.url,
      REVOKE,
      { userId: resident.id, role: 'RESIDENT' },
      { token: committeeToken },
    );
    expect(residentRole.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
  });

  it.each([
    ['grant', GRANT, 'COMMUNITY_WORKER'],
    ['revoke', REVOKE, 'COMMITTEE'],
  ])('nobody may %s a role on themselves: FORBIDDEN with reason SELF_ROLE_CHANGE', async (_label, mutation, role) => {
    const response = await graphqlRequest(
      identity.url,
      mutation,
      { userId: demo('13800000001').id, role },
      { token: committeeToken },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_ROLE_CHANGE' });
    const rows: { roles: string[] }[] = await identity.server.deps.dataSource.query(
      'SELECT roles FROM users WHERE id = $1',
      [demo('13800000001').id],
    );
    expect(rows[0]?.roles).toEqual(['RESIDENT', 'COMMITTEE']);
  });

  it('an unknown user is NOT_FOUND, a malformed id BAD_USER_INPUT', async () => {
    const unknown = await graphqlRequest(
      identity.url,
      GRANT,
      { userId: '00000000-0000-4000-8000-000000000000', role: 'COMMUNITY_WORKER' },
      { token: committeeToken },
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await graphqlRequest(
      identity.url,
      GRANT,
      { userId: '42', role: 'COMMUNITY_WORKER' },
      { token: committeeToken },
    );
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('phone privacy', () => {
  /** The phone of 李建国, who leads grid 1, as the caller sees it through the community's grids. */
  const leaderPhoneSeenBy = async (token?: string) =>
    (
      await graphqlData<{ community: { grids: { leader: { phone: string | null } }[] } }>(
        identity.url,
        `query($id: ID!) { community(id: $id) { grids { leader { phone } } } }`,
        { id: TAOYUANJU.id },
        { token },
      )
    ).community.grids[0]?.leader.phone;

  it('shows the full number to its owner and staff of the same community, 3+2 digits to other users, none to anonymous callers', async () => {
    expect(await leaderPhoneSeenBy(committeeToken)).toBe('13800000001');
    expect(await leaderPhoneSeenBy(workerToken)).toBe('13800000001');
    expect(await leaderPhoneSeenBy(resident.accessToken)).toBe('138******01');
    expect(await leaderPhoneSeenBy(undefined)).toBeNull();
  });

  it('shows the owner their own number in full', async () => {
    const data = await graphqlData<{ me: { phone: string } }>(
      identity.url,
      `{ me { phone } }`,
      {},
      {
        token: neighbour.accessToken,
      },
    );
    expect(data.me.phone).toBe(neighbour.phone);
  });
});

describe('federation', () => {
  it('resolves many User references with one SQL query', async () => {
    const ids = DEMO_USERS.map((user) => user.id);
    const { result, queries } = await identity.server.deps.queries.record(() =>
      graphqlData<{ _entities: { id: string; displayName: string }[] }>(
        identity.url,
        USER_ENTITIES,
        { reps: ids.map((id) => ({ __typename: 'User', id })) },
        { asGatewayTo: 'identity' },
      ),
    );
    expect(result._entities.map((user) => user.displayName)).toEqual(DEMO_USERS.map((user) => user.displayName));
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/FROM "users"/);
  });

  it('answers null for a reference to a user that does not exist', async () => {
    const data = await graphqlData<{ _entities: (object | null)[] }>(
      identity.url,
      USER_ENTITIES,
      { reps: [{ __typename: 'User', id: '00000000-0000-4000-8000-000000000000' }] },
      { asGatewayTo: 'identity' },
    );
    expect(data._entities).toEqual([null]);
  });
});

describe('communities and operations', () => {
  it('lists the demo communities publicly, with grids and their leaders; households only for staff', async () => {
    const query = `query($id: ID!) { community(id: $id) { name city grids { name leader { displayName } households { building room } } } }`;
    const asStaff = await graphqlData<{
      community: { name: string; grids: { name: string; leader: { displayName: string }; households: unknown[] }[] };
    }>(identity.url, query, { id: TAOYUANJU.id }, { token: workerToken });
    expect(asStaff.community.name).toBe('桃源居社区');
    expect(asStaff.community.grids.map((grid) => grid.leader.displayName)).toEqual(['李建国', '王芳']);
    expect(asStaff.community.grids[0].households.length).toBeGreaterThan(0);
    const asResident = await graphqlRequest(identity.url, query, { id: TAOYUANJU.id }, { token: resident.accessToken });
    expect(asResident.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('reports health and readiness', async () => {
    const base = identity.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await (await fetch(`${base}/ready`)).json()).toMatchObject({ status: 'ready' });
  });

  it('seeding the demo data again adds nothing and announces nothing', async () => {
    const count = async () =>
      (
        await identity.server.deps.dataSource.query(
          `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM households) + (SELECT count(*) FROM residences)
                + (SELECT count(*) FROM residence_changes) + (SELECT count(*) FROM outbox) AS n`,
        )
      )[0].n as string;
    const before = await count();
    await seedIdentityDemo(identity.server.deps.dataSource, identity.server.deps.logger);
    expect(await count()).toBe(before);
  });

  it('answers an unexpected failure with INTERNAL_SERVER_ERROR and no internals', async () => {
    const errorSpy = jest.spyOn(identity.server.deps.logger, 'error');
    await identity.server.deps.dataSource.query('ALTER TABLE communities RENAME TO communities_away');
    try {
      const response = await graphqlRequest(identity.url, `{ communities { id } }`);
      expect(response.errors?.[0]).toEqual({
        message: 'Internal server error',
        path: ['communities'],
        locations: expect.any(Array),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(errorSpy).toHaveBeenCalled();
    } finally {
      await identity.server.deps.dataSource.query('ALTER TABLE communities_away RENAME TO communities');
    }
  });
});
