import { randomUUID } from 'node:crypto';
import { DEMO_COMMUNITIES, DEMO_ORGANIZATIONS, TAOYUANJU } from '@taoyuan/demo-data';
import {
  buildEnvelope,
  MemberJoined,
  MemberLeft,
  MemberPromoted,
  OrganizationApproved,
  OrganizationStatusChanged,
  ResidenceChanged,
  type EventDefinition,
  type EventHandler,
} from '@taoyuan/events';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import { pointsLedgerFor } from '../src/app';
import { volunteeringHandlers } from '../src/events/handlers';
import {
  approvedOrganization,
  moveShiftToPast,
  publishedShift,
  startVolunteeringForTests,
  type VolunteeringUnderTest,
} from './support/start-volunteering';

/**
 * Issue 8, replayed against volunteering: forged or reordered facts, throwaway accounts, guessed check-in codes,
 * invented host organizations, look-alike names. Each attack as an attacker would send it, and what stops it.
 */
let service: VolunteeringUnderTest;
let workerToken: string;
let handlers: EventHandler[];
const WORKER = randomUUID();
const HOST = DEMO_ORGANIZATIONS[0].id;

const SIGN_UP = `mutation($shiftId: ID!) { signUp(shiftId: $shiftId) { id status } }`;
const CHECK_IN = `mutation($id: ID!, $code: String!) { checkIn(signUpId: $id, code: $code) { status } }`;
const RESET = `mutation($id: ID!) { resetCheckInAttempts(signUpId: $id) { status } }`;
const VERIFY = `mutation($id: ID!, $hours: Float!, $reason: String) {
  verifyAttendance(signUpId: $id, hours: $hours, withoutCheckInReason: $reason) { status } }`;
const CREATE = `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`;

beforeAll(async () => {
  service = await startVolunteeringForTests();
  workerToken = await service.token(WORKER, TAOYUANJU.id, ['RESIDENT', 'COMMUNITY_WORKER']);
  handlers = volunteeringHandlers(pointsLedgerFor(service.db).ledger);
  await approvedOrganization(service.db, HOST, TAOYUANJU.id);
});
afterAll(() => service?.stop());

/** Hands an event to volunteering's handler in a transaction of its own, as the consumer does after its inbox. */
async function deliver<Payload>(definition: EventDefinition, payload: Payload, id: string = randomUUID()) {
  const handler = handlers.find((candidate) => candidate.definition.type === definition.type);
  if (!handler) throw new Error(`volunteering does not consume ${definition.type}`);
  const envelope = buildEnvelope(definition, `/taoyuan/${definition.producer}`, payload, {
    communityId: TAOYUANJU.id,
    id,
  });
  await service.db.transaction((manager) =>
    handler.handle({ envelope, payload, topic: definition.topic, partition: 0, offset: '0' }, manager),
  );
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

const resident = async (communityId: string = TAOYUANJU.id) => {
  const id = randomUUID();
  return { id, token: await service.token(id, communityId) };
};

/** A volunteer signed up for a shift starting in 10 minutes (check-in is open), organized by `organizerToken`. */
async function upcomingSignUp(organizerToken: string, volunteerToken: string, hours = 4) {
  const shift = await publishedShift(service.url, organizerToken, { startsInMinutes: 10, hours, organizationId: HOST });
  const { signUp } = await graphqlData<{ signUp: { id: string } }>(
    service.url,
    SIGN_UP,
    { shiftId: shift.shiftId },
    { token: volunteerToken },
  );
  return { ...shift, signUpId: signUp.id };
}

const residence = (userId: string, status: 'CONFIRMED' | 'REJECTED' | 'REVOKED', residenceVersion: number) => ({
  userId,
  communityId: TAOYUANJU.id,
  householdId: status === 'REVOKED' ? null : randomUUID(),
  status,
  residenceVersion,
  changedBy: randomUUID(),
  changedAt: new Date().toISOString(),
});

const accountOf = async (userId: string) =>
  (
    await service.db.query<{ balance: number; lifetime_earned: number; tier_points: number; tier: string }[]>(
      `SELECT balance, lifetime_earned, tier_points, tier FROM points_accounts WHERE user_id = $1`,
      [userId],
    )
  )[0];

const tiersAnnounced = async (userId: string) =>
  (
    await service.db.query<{ tier: string }[]>(
      `SELECT payload->>'tier' AS tier FROM outbox WHERE topic LIKE '%tier-reached%' AND message_key = $1
        ORDER BY created_at`,
      [userId],
    )
  ).map((row) => row.tier);

describe('item 6: membership facts in any order', () => {
  it('every permutation of one resident’s membership history (joined, promoted ×2, left, rejoined) ends in the same projection', async () => {
    type Fact = { definition: EventDefinition; payload: (ids: Ids) => Record<string, unknown> };
    type Ids = { first: string; second: string; userId: string; organizationId: string };
    const base = (ids: Ids, membershipId: string) => ({
      membershipId,
      organizationId: ids.organizationId,
      userId: ids.userId,
      communityId: TAOYUANJU.id,
    });
    const at = new Date().toISOString();
    const promoted = (membershipId: keyof Ids, fromRole: string, toRole: string, version: number): Fact => ({
      definition: MemberPromoted,
      payload: (ids) => ({
        ...base(ids, ids[membershipId]),
        fromRole,
        toRole,
        decidedBy: randomUUID(),
        decidedAt: at,
        membershipVersion: version,
      }),
    });
    const history: Fact[] = [
      {
        definition: MemberJoined,
        payload: (ids) => ({ ...base(ids, ids.first), role: 'MEMBER', joinedAt: at, membershipVersion: 2 }),
      },
      promoted('first', 'MEMBER', 'ACTIVIST', 3),
      promoted('first', 'ACTIVIST', 'BACKBONE', 4),
      {
        definition: MemberLeft,
        payload: (ids) => ({
          ...base(ids, ids.first),
          role: 'BACKBONE',
          reason: 'LEFT',
          leftAt: at,
          membershipVersion: 5,
        }),
      },
      {
        definition: MemberJoined,
        payload: (ids) => ({ ...base(ids, ids.second), role: 'MEMBER', joinedAt: at, membershipVersion: 2 }),
      },
    ];
    const outcomes = new Set<string>();
    for (const order of permutations(history)) {
      const ids: Ids = { first: randomUUID(), second: randomUUID(), userId: randomUUID(), organizationId: HOST };
      for (const fact of order) await deliver(fact.definition, fact.payload(ids));
      const rows = await service.db.query<{ membership_id: string; role: string; active: boolean }[]>(
        `SELECT membership_id, role, active FROM organizer_memberships WHERE user_id = $1 ORDER BY membership_id`,
        [ids.userId],
      );
      const byMembership = Object.fromEntries(
        rows.map((row) => [
          row.membership_id === ids.first ? 'first' : 'second',
          { role: row.role, active: row.active },
        ]),
      );
      outcomes.add(JSON.stringify(byMembership, ['first', 'second', 'role', 'active']));
    }
    // One outcome only: the first membership ended as BACKBONE, the rejoin is an active MEMBER (organizes nothing).
    expect([...outcomes].map((outcome) => JSON.parse(outcome) as unknown)).toEqual([
      { first: { role: 'BACKBONE', active: false }, second: { role: 'MEMBER', active: true } },
    ]);
  });

  it('a left resident stays out when the old joined event arrives late, and a BACKBONE is not downgraded by a late join', async () => {
    const backbone = await resident();
    const membershipId = randomUUID();
    const fact = { membershipId, organizationId: HOST, userId: backbone.id, communityId: TAOYUANJU.id };
    await deliver(MemberPromoted, {
      ...fact,
      fromRole: 'ACTIVIST',
      toRole: 'BACKBONE',
      decidedBy: randomUUID(),
      decidedAt: new Date().toISOString(),
      membershipVersion: 4,
    });
    await deliver(MemberJoined, { ...fact, role: 'MEMBER', joinedAt: new Date().toISOString(), membershipVersion: 2 });
    const input = {
      title: '楼道清扫',
      description: '',
      category: 'ENVIRONMENT',
      location: '3栋',
      organizationId: HOST,
    };
    expect((await graphqlRequest(service.url, CREATE, { input }, { token: backbone.token })).errors).toBeUndefined();
    await deliver(MemberLeft, {
      ...fact,
      role: 'BACKBONE',
      reason: 'LEFT',
      leftAt: new Date().toISOString(),
      membershipVersion: 5,
    });
    await deliver(MemberJoined, { ...fact, role: 'MEMBER', joinedAt: new Date().toISOString(), membershipVersion: 2 });
    const after = await graphqlRequest(service.url, CREATE, { input }, { token: backbone.token });
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ORGANIZER' });
  });

  it('organization status: every order of approved, suspended, reinstated, dissolved ends DISSOLVED, whatever times the events claim', async () => {
    const outcomes = new Set<string>();
    const statusFact = (organizationId: string, fromStatus: string, toStatus: string, version: number, at: string) => ({
      organizationId,
      communityId: TAOYUANJU.id,
      fromStatus,
      toStatus,
      changedBy: randomUUID(),
      changedAt: at,
      statusVersion: version,
    });
    for (const order of permutations([0, 1, 2, 3, 4])) {
      const organizationId = randomUUID();
      const facts: [EventDefinition, Record<string, unknown>][] = [
        [
          OrganizationApproved,
          {
            organizationId,
            communityId: TAOYUANJU.id,
            name: '测试组织',
            kind: 'VOLUNTEER_TEAM',
            approvedBy: randomUUID(),
            approvedAt: new Date().toISOString(),
          },
        ],
        // A forged time far in the future no longer freezes the status: only versions count.
        [
          OrganizationStatusChanged,
          statusFact(organizationId, 'PENDING_APPROVAL', 'ACTIVE', 2, '9999-01-01T00:00:00Z'),
        ],
        [OrganizationStatusChanged, statusFact(organizationId, 'ACTIVE', 'SUSPENDED', 3, new Date().toISOString())],
        [OrganizationStatusChanged, statusFact(organizationId, 'SUSPENDED', 'ACTIVE', 4, new Date().toISOString())],
        [OrganizationStatusChanged, statusFact(organizationId, 'ACTIVE', 'DISSOLVED', 5, new Date().toISOString())],
      ];
      for (const index of order) await deliver(facts[index][0], facts[index][1]);
      const [row] = await service.db.query<{ status: string; status_version: number }[]>(
        `SELECT status, status_version FROM organizer_organizations WHERE organization_id = $1`,
        [organizationId],
      );
      outcomes.add(`${row.status}@${row.status_version}`);
    }
    expect([...outcomes]).toEqual(['DISSOLVED@5']);
  });
});

describe('item 8: points from throwaway accounts', () => {
  let backbone: { id: string; token: string };

  beforeAll(async () => {
    backbone = await resident();
    await deliver(MemberJoined, {
      membershipId: randomUUID(),
      organizationId: HOST,
      userId: backbone.id,
      communityId: TAOYUANJU.id,
      role: 'BACKBONE',
      joinedAt: new Date().toISOString(),
      membershipVersion: 2,
    });
  });

  it('a BACKBONE organizer cannot verify a throwaway account that never checked in, not even with a reason', async () => {
    const throwaway = await resident();
    const { signUpId, shiftId } = await upcomingSignUp(backbone.token, throwaway.token);
    await moveShiftToPast(service.db, shiftId, 5);
    const plain = await graphqlRequest(service.url, VERIFY, { id: signUpId, hours: 4 }, { token: backbone.token });
    expect(plain.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_CHECKED_IN' });
    const excused = await graphqlRequest(
      service.url,
      VERIFY,
      { id: signUpId, hours: 4, reason: '手机没电了' },
      { token: backbone.token },
    );
    expect(excused.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'CHECK_IN_OVERRIDE_NOT_ALLOWED',
    });
    expect(await accountOf(throwaway.id)).toBeUndefined();
  });

  it('a community worker may verify without a check-in, with a reason kept in the ledger memo and the audit', async () => {
    const volunteer = await resident();
    const { signUpId, shiftId } = await upcomingSignUp(workerToken, volunteer.token);
    await moveShiftToPast(service.db, shiftId, 5);
    const verified = await graphqlData<{ verifyAttendance: { status: string } }>(
      service.url,
      VERIFY,
      { id: signUpId, hours: 2, reason: '手机没电，现场由社工点名确认' },
      { token: workerToken },
    );
    expect(verified.verifyAttendance.status).toBe('VERIFIED');
    const [entry] = await service.db.query<{ memo: string }[]>(`SELECT memo FROM points_entries WHERE user_id = $1`, [
      volunteer.id,
    ]);
    expect(entry.memo).toContain('手机没电，现场由社工点名确认');
    const audit = await service.db.query(
      `SELECT decided_by, reason FROM verification_overrides WHERE sign_up_id = $1`,
      [signUpId],
    );
    expect(audit).toEqual([{ decided_by: WORKER, reason: '手机没电，现场由社工点名确认' }]);
  });

  it('checked in but unconfirmed: points are held (no tier); confirmation releases them once and announces the tier once; a revocation stops further counting', async () => {
    const newcomer = await resident();
    const { signUpId, shiftId, checkInCode } = await upcomingSignUp(backbone.token, newcomer.token, 10);
    await graphqlData(service.url, CHECK_IN, { id: signUpId, code: checkInCode }, { token: newcomer.token });
    await moveShiftToPast(service.db, shiftId, 11);
    await graphqlData(service.url, VERIFY, { id: signUpId, hours: 10 }, { token: backbone.token });
    expect(await accountOf(newcomer.id)).toEqual({
      balance: 100,
      lifetime_earned: 100,
      tier_points: 0,
      tier: 'VOLUNTEER',
    });
    expect(await tiersAnnounced(newcomer.id)).toEqual([]);
    const held = await service.db.query(`SELECT held FROM points_entries WHERE user_id = $1`, [newcomer.id]);
    expect(held).toEqual([{ held: true }]);

    // A confirmation claiming another community (forged or confused) releases nothing.
    await deliver(ResidenceChanged, { ...residence(newcomer.id, 'CONFIRMED', 1), communityId: DEMO_COMMUNITIES[1].id });
    expect(await accountOf(newcomer.id)).toMatchObject({ tier_points: 0, tier: 'VOLUNTEER' });
    // A rejection changes nothing; the grid worker's confirmation releases the 100 held points.
    await deliver(ResidenceChanged, residence(newcomer.id, 'REJECTED', 2));
    expect(await tiersAnnounced(newcomer.id)).toEqual([]);
    const confirmationId = randomUUID();
    await deliver(ResidenceChanged, residence(newcomer.id, 'CONFIRMED', 3), confirmationId);
    expect(await accountOf(newcomer.id)).toEqual({
      balance: 100,
      lifetime_earned: 100,
      tier_points: 100,
      tier: 'ACTIVIST',
    });
    expect(await tiersAnnounced(newcomer.id)).toEqual(['ACTIVIST']);
    // The same confirmation again, and an older one arriving late: nothing more.
    await deliver(ResidenceChanged, residence(newcomer.id, 'CONFIRMED', 3), confirmationId);
    await deliver(ResidenceChanged, residence(newcomer.id, 'CONFIRMED', 2));
    expect(await tiersAnnounced(newcomer.id)).toEqual(['ACTIVIST']);
    expect(
      await service.db.query(`SELECT points, tier_points_after FROM points_releases WHERE user_id = $1`, [newcomer.id]),
    ).toEqual([{ points: 100, tier_points_after: 100 }]);

    // Revoked: what counted stays counted, new points are held again.
    await deliver(ResidenceChanged, residence(newcomer.id, 'REVOKED', 4));
    await deliver(ResidenceChanged, residence(newcomer.id, 'CONFIRMED', 3));
    await service.db.transaction((manager) =>
      pointsLedgerFor(service.db).ledger.credit(manager, {
        userId: newcomer.id,
        communityId: TAOYUANJU.id,
        points: 450,
        kind: 'BONUS' as never,
        sourceType: 'TEST',
        sourceId: randomUUID(),
        causedBy: null,
      }),
    );
    expect(await accountOf(newcomer.id)).toMatchObject({ lifetime_earned: 550, tier_points: 100, tier: 'ACTIVIST' });
    expect(await tiersAnnounced(newcomer.id)).toEqual(['ACTIVIST']);
  });
});

describe('item 9: check-in codes cannot be guessed', () => {
  it('20 parallel wrong codes: at most 5 are counted, then the sign-up is locked (even for the right code) until an organizer resets it', async () => {
    const volunteer = await resident();
    const { signUpId, checkInCode } = await upcomingSignUp(workerToken, volunteer.token);
    const wrong = checkInCode === '000000' ? '000001' : '000000';
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        graphqlRequest(service.url, CHECK_IN, { id: signUpId, code: wrong }, { token: volunteer.token }),
      ),
    );
    const kinds = answers.map(
      (answer) => answer.errors?.[0]?.extensions?.reason ?? answer.errors?.[0]?.extensions?.code,
    );
    expect(kinds.filter((kind) => kind === 'BAD_USER_INPUT')).toHaveLength(4);
    expect(kinds.filter((kind) => kind === 'CHECK_IN_LOCKED')).toHaveLength(16);
    const [row] = await service.db.query(`SELECT check_in_failures FROM sign_ups WHERE id = $1`, [signUpId]);
    expect(row.check_in_failures).toBe(5);
    const right = await graphqlRequest(
      service.url,
      CHECK_IN,
      { id: signUpId, code: checkInCode },
      { token: volunteer.token },
    );
    expect(right.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CHECK_IN_LOCKED' });

    const selfReset = await graphqlRequest(service.url, RESET, { id: signUpId }, { token: volunteer.token });
    expect(selfReset.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await graphqlData(service.url, RESET, { id: signUpId }, { token: workerToken });
    const checkedIn = await graphqlData<{ checkIn: { status: string } }>(
      service.url,
      CHECK_IN,
      { id: signUpId, code: checkInCode },
      { token: volunteer.token },
    );
    expect(checkedIn.checkIn.status).toBe('CHECKED_IN');
  });
});

describe('item 9: host organizations and names', () => {
  const input = (organizationId: string | null, title = '社区义诊') => ({
    input: { title, description: '', category: 'HEALTH', location: '党群服务中心', organizationId },
  });

  it('an organization that does not exist, or belongs to another community, is BAD_USER_INPUT on organizationId', async () => {
    const foreign = randomUUID();
    await approvedOrganization(service.db, foreign, DEMO_COMMUNITIES[1].id);
    for (const organizationId of [randomUUID(), foreign]) {
      const response = await graphqlRequest(service.url, CREATE, input(organizationId), { token: workerToken });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organizationId' });
      expect(
        await service.db.query(`SELECT 1 FROM opportunities WHERE organization_id = $1`, [organizationId]),
      ).toEqual([]);
    }
    expect((await graphqlRequest(service.url, CREATE, input(HOST), { token: workerToken })).errors).toBeUndefined();
  });

  it('a title with a zero-width space or a bidi override is BAD_USER_INPUT on title; Chinese titles round-trip', async () => {
    for (const title of ['王\u200B芳的义诊', '\u202E诊义']) {
      const response = await graphqlRequest(service.url, CREATE, input(null, title), { token: workerToken });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
    }
    const ok = await graphqlData<{ createOpportunity: { id: string } }>(
      service.url,
      `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id title } }`,
      input(null, '重阳节·长者义诊'),
      { token: workerToken },
    );
    expect(ok.createOpportunity).toMatchObject({ title: '重阳节·长者义诊' });
  });
});

describe('item 10: stable reasons', () => {
  it('ALREADY_SIGNED_UP, SHIFT_STARTED, NOT_YOURS, SELF_VERIFICATION and ALREADY_VERIFIED', async () => {
    const volunteer = await resident();
    const other = await resident();
    const { signUpId, shiftId, checkInCode } = await upcomingSignUp(workerToken, volunteer.token);
    const twice = await graphqlRequest(service.url, SIGN_UP, { shiftId }, { token: volunteer.token });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_SIGNED_UP' });
    const notMine = await graphqlRequest(
      service.url,
      CHECK_IN,
      { id: signUpId, code: checkInCode },
      { token: other.token },
    );
    expect(notMine.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_YOURS' });
    await graphqlData(service.url, CHECK_IN, { id: signUpId, code: checkInCode }, { token: volunteer.token });
    await moveShiftToPast(service.db, shiftId, 5);
    const late = await graphqlRequest(service.url, SIGN_UP, { shiftId }, { token: other.token });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'SHIFT_STARTED' });
    const self = await graphqlRequest(service.url, VERIFY, { id: signUpId, hours: 1 }, { token: volunteer.token });
    expect(self.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    await graphqlData(service.url, VERIFY, { id: signUpId, hours: 1 }, { token: workerToken });
    const again = await graphqlRequest(service.url, VERIFY, { id: signUpId, hours: 1 }, { token: workerToken });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_VERIFIED' });

    const organizerSelf = await upcomingSignUp(workerToken, workerToken);
    await moveShiftToPast(service.db, organizerSelf.shiftId, 5);
    const ownHours = await graphqlRequest(
      service.url,
      VERIFY,
      { id: organizerSelf.signUpId, hours: 1, reason: '我自己确认' },
      { token: workerToken },
    );
    expect(ownHours.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_VERIFICATION' });
  });
});
