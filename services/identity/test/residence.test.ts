import { DEMO_COMMUNITIES, DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import { builders, graphqlData, graphqlRequest, type TestUser } from '@taoyuan/testing';
import { startIdentityForTests, type IdentityUnderTest } from './support/start-identity';

let identity: IdentityUnderTest;
let build: ReturnType<typeof builders>;
let committee: string;
let worker: string;

const demo = (phone: string) => DEMO_USERS.find((user) => user.phone === phone)!;
const COMMITTEE = demo('13800000001');
const WORKER = demo('13800000002');
/** 张伟's home, in grid 1 (led by the committee member); 杨秀英's, in grid 2 (led by the community worker). */
const GRID_ONE_HOME = { building: '1栋', unit: '1单元', room: '201' };
const GRID_TWO_HOME = { building: '9栋', unit: '1单元', room: '101' };

const CLAIM = `mutation($address: HouseholdAddressInput, $householdId: ID) {
  claimHousehold(address: $address, householdId: $householdId) { id residence { status household { id building } } } }`;
const CONFIRM = `mutation($u: ID!) { confirmResidence(userId: $u) { id residence { status confirmedAt version } } }`;
const REJECT = `mutation($u: ID!, $r: String!) { rejectResidence(userId: $u, reason: $r) { id residence { status reason version } } }`;
const REVOKE = `mutation($u: ID!, $r: String!) { revokeResidence(userId: $u, reason: $r) { id residence { status household { id } version } } }`;

beforeAll(async () => {
  identity = await startIdentityForTests();
  build = builders(identity.url);
  committee = (await build.login(COMMITTEE.phone, 'taoyuan-demo')).accessToken;
  worker = (await build.login(WORKER.phone, 'taoyuan-demo')).accessToken;
});
afterAll(() => identity?.stop());

async function residentClaiming(home: typeof GRID_ONE_HOME): Promise<TestUser> {
  const resident = await build.newResident({ communityId: TAOYUANJU.id });
  await graphqlData(identity.url, CLAIM, { address: home }, { token: resident.accessToken });
  return resident;
}

async function residenceEvents(userId: string) {
  const rows: {
    payload: { status: string; residenceVersion: number; changedBy: string; householdId: string | null };
  }[] = await identity.server.deps.dataSource.query(
    `SELECT payload FROM outbox WHERE topic = 'taoyuan.identity.residence.changed.v1' AND message_key = $1
        ORDER BY created_at, id`,
    [userId],
  );
  return rows.map((row) => row.payload);
}

describe('claiming a household', () => {
  it('records the claim for the resident to see, announces nothing yet, and audits it', async () => {
    const resident = await build.newResident({ communityId: TAOYUANJU.id, displayName: '新来的' });
    const claimed = await graphqlData<{
      claimHousehold: { residence: { status: string; household: { building: string } } };
    }>(
      identity.url,
      CLAIM,
      { address: { building: ' 1栋', unit: '1单元', room: '201' } },
      { token: resident.accessToken },
    );
    expect(claimed.claimHousehold.residence).toMatchObject({ status: 'CLAIMED', household: { building: '1栋' } });
    expect(await residenceEvents(resident.id)).toEqual([]);
    const audit: { action: string; changed_by: string }[] = await identity.server.deps.dataSource.query(
      'SELECT action, changed_by FROM residence_changes WHERE user_id = $1',
      [resident.id],
    );
    expect(audit).toEqual([{ action: 'CLAIMED', changed_by: resident.id }]);
  });

  it('cannot claim a household of another community or one that does not exist: NOT_FOUND', async () => {
    const resident = await build.newResident({ communityId: DEMO_COMMUNITIES[1].id });
    const response = await graphqlRequest(
      identity.url,
      CLAIM,
      { address: GRID_ONE_HOME },
      { token: resident.accessToken },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('needs a signed-in caller and exactly one of householdId and address', async () => {
    const anonymous = await graphqlRequest(identity.url, CLAIM, { address: GRID_ONE_HOME });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const resident = await build.newResident({ communityId: TAOYUANJU.id });
    const neither = await graphqlRequest(identity.url, CLAIM, {}, { token: resident.accessToken });
    expect(neither.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('deciding on a claim', () => {
  it('the grid’s community worker confirms: audited, announced with version 1, visible to the resident', async () => {
    const resident = await residentClaiming(GRID_TWO_HOME);
    const confirmed = await graphqlData<{
      confirmResidence: { residence: { status: string; confirmedAt: string; version: number } };
    }>(identity.url, CONFIRM, { u: resident.id }, { token: worker });
    expect(confirmed.confirmResidence.residence).toMatchObject({ status: 'CONFIRMED', version: 1 });
    expect(Date.parse(confirmed.confirmResidence.residence.confirmedAt)).not.toBeNaN();
    expect(await residenceEvents(resident.id)).toEqual([
      expect.objectContaining({ status: 'CONFIRMED', residenceVersion: 1, changedBy: WORKER.id }),
    ]);
    const audit: { action: string; changed_by: string; version: number }[] =
      await identity.server.deps.dataSource.query(
        'SELECT action, changed_by, version FROM residence_changes WHERE user_id = $1 ORDER BY changed_at',
        [resident.id],
      );
    expect(audit.at(-1)).toEqual({ action: 'CONFIRMED', changed_by: WORKER.id, version: 1 });
  });

  it('a community worker cannot decide for a grid they do not lead: FORBIDDEN NOT_GRID_WORKER', async () => {
    const resident = await residentClaiming(GRID_ONE_HOME);
    const response = await graphqlRequest(identity.url, CONFIRM, { u: resident.id }, { token: worker });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_GRID_WORKER' });
    expect(await residenceEvents(resident.id)).toEqual([]);
  });

  it('a resident cannot confirm anyone, nor staff themselves: FORBIDDEN with a reason', async () => {
    const resident = await residentClaiming(GRID_ONE_HOME);
    const byResident = await graphqlRequest(identity.url, CONFIRM, { u: resident.id }, { token: resident.accessToken });
    expect(byResident.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_REQUIRED' });
    const ownByWorker = await graphqlRequest(identity.url, CONFIRM, { u: WORKER.id }, { token: worker });
    expect(ownByWorker.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_RESIDENCE_DECISION' });
  });

  it('staff of another community cannot decide: FORBIDDEN OTHER_COMMUNITY', async () => {
    const outsider = await build.newResident({ communityId: DEMO_COMMUNITIES[1].id });
    await identity.server.deps.dataSource.query(
      `UPDATE users SET roles = ARRAY['RESIDENT','COMMITTEE'] WHERE id = $1`,
      [outsider.id],
    );
    const token = (await build.login(outsider.phone, outsider.password)).accessToken;
    const resident = await residentClaiming(GRID_ONE_HOME);
    const response = await graphqlRequest(identity.url, CONFIRM, { u: resident.id }, { token });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OTHER_COMMUNITY' });
  });

  it('reject with a reason, claim again, confirm, revoke: each decision a newer version, in order', async () => {
    const resident = await residentClaiming(GRID_ONE_HOME);
    const rejected = await graphqlData<{ rejectResidence: { residence: { status: string; reason: string } } }>(
      identity.url,
      REJECT,
      { u: resident.id, r: '房号与登记不符' },
      { token: committee },
    );
    expect(rejected.rejectResidence.residence).toMatchObject({ status: 'REJECTED', reason: '房号与登记不符' });
    await graphqlData(identity.url, CLAIM, { address: GRID_ONE_HOME }, { token: resident.accessToken });
    await graphqlData(identity.url, CONFIRM, { u: resident.id }, { token: committee });
    const moved = await graphqlRequest(
      identity.url,
      CLAIM,
      { address: GRID_TWO_HOME },
      { token: resident.accessToken },
    );
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'RESIDENCE_ALREADY_CONFIRMED' });
    const revoked = await graphqlData<{
      revokeResidence: { residence: { status: string; household: null; version: number } };
    }>(identity.url, REVOKE, { u: resident.id, r: '已搬离' }, { token: committee });
    expect(revoked.revokeResidence.residence).toEqual({ status: 'REVOKED', household: null, version: 3 });
    const events = await residenceEvents(resident.id);
    expect(events.map((event) => [event.status, event.residenceVersion])).toEqual([
      ['REJECTED', 1],
      ['CONFIRMED', 2],
      ['REVOKED', 3],
    ]);
    expect(events[2]?.householdId).toBeNull();
  });

  it('refuses decisions that do not fit the state: CONFLICT with a reason', async () => {
    const resident = await build.newResident({ communityId: TAOYUANJU.id });
    const noClaim = await graphqlRequest(identity.url, REJECT, { u: resident.id, r: '无' }, { token: committee });
    expect(noClaim.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'NO_PENDING_CLAIM' });
    const notConfirmed = await graphqlRequest(identity.url, REVOKE, { u: resident.id, r: '无' }, { token: committee });
    expect(notConfirmed.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'RESIDENCE_NOT_CONFIRMED' });
  });

  it('two staff confirming at once announce one confirmation', async () => {
    const resident = await residentClaiming(GRID_TWO_HOME);
    await Promise.all([
      graphqlData(identity.url, CONFIRM, { u: resident.id }, { token: committee }),
      graphqlData(identity.url, CONFIRM, { u: resident.id }, { token: worker }),
    ]);
    expect((await residenceEvents(resident.id)).map((event) => event.residenceVersion)).toEqual([1]);
  });

  it('a reason with a bidi override is BAD_USER_INPUT', async () => {
    const resident = await residentClaiming(GRID_ONE_HOME);
    const response = await graphqlRequest(
      identity.url,
      REJECT,
      { u: resident.id, r: '\u202E不符' },
      { token: committee },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });
});

describe('who sees a residence', () => {
  it('the resident and staff see it; another resident and anonymous callers do not', async () => {
    const neighbour = await build.newResident({ communityId: TAOYUANJU.id });
    // 李建国 leads grid 1: his residence, as each caller sees it through the community's grids.
    const leaderResidenceSeenBy = async (token?: string) =>
      (
        await graphqlData<{ community: { grids: { leader: { residence: { status: string } | null } }[] } }>(
          identity.url,
          `query($id: ID!) { community(id: $id) { grids { leader { residence { status } } } } }`,
          { id: TAOYUANJU.id },
          { token },
        )
      ).community.grids[0]?.leader.residence?.status ?? null;
    expect(await leaderResidenceSeenBy(committee)).toBe('CONFIRMED');
    expect(await leaderResidenceSeenBy(worker)).toBe('CONFIRMED');
    expect(await leaderResidenceSeenBy(neighbour.accessToken)).toBeNull();
    expect(await leaderResidenceSeenBy(undefined)).toBeNull();
  });

  it('lists pending claims to the staff who may decide them', async () => {
    const gridOne = await residentClaiming(GRID_ONE_HOME);
    const gridTwo = await residentClaiming(GRID_TWO_HOME);
    const pending = async (token: string) =>
      (
        await graphqlData<{ pendingResidenceClaims: { id: string }[] }>(
          identity.url,
          `{ pendingResidenceClaims { id } }`,
          {},
          { token },
        )
      ).pendingResidenceClaims.map((user) => user.id);
    const forWorker = await pending(worker);
    expect(forWorker).toContain(gridTwo.id);
    expect(forWorker).not.toContain(gridOne.id);
    expect(await pending(committee)).toEqual(expect.arrayContaining([gridOne.id, gridTwo.id]));
  });
});

describe('demo data', () => {
  it('has every demo resident confirmed, each announced once with version 1 by someone other than themselves', async () => {
    for (const user of DEMO_USERS) {
      const events = await residenceEvents(user.id);
      expect(events).toEqual([expect.objectContaining({ status: 'CONFIRMED', residenceVersion: 1 })]);
      expect(events[0]?.changedBy).not.toBe(user.id);
    }
    const me = await graphqlData<{ me: { residence: { status: string; household: { room: string } } } }>(
      identity.url,
      `{ me { residence { status household { room } } } }`,
      {},
      { token: committee },
    );
    expect(me.me.residence).toEqual({ status: 'CONFIRMED', household: { room: '502' } });
  });
});
