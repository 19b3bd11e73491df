import { randomUUID } from 'node:crypto';
import {
  buildEnvelope,
  MemberJoined,
  MemberLeft,
  OrganizationStatusChanged,
  toKafkaMessage,
  UserRegistered,
} from '@taoyuan/events';
import { DEMO_COMMUNITIES, DEMO_ORGANIZATIONS, TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { pointsLedgerFor } from '../src/app';
import { PointsEntryKind } from '../src/domain/vocabulary';
import {
  approvedOrganization,
  collectEvents,
  confirmResidence,
  markAttended,
  moveShiftToPast,
  moveShiftToYesterday,
  payloadOf,
  publishedShift,
  startVolunteeringForTests,
  waitFor,
  type VolunteeringUnderTest,
} from './support/start-volunteering';

let service: VolunteeringUnderTest;
let collector: { messages: (KafkaMessage & { topic: string })[]; consumer: Consumer };
let workerToken: string;
const WORKER = randomUUID();
const AWARDED = 'taoyuan.points.awarded.v1';
const TIER = 'taoyuan.points.tier-reached.v1';
const VERIFIED = 'taoyuan.volunteering.attendance.verified.v1';

const SIGN_UP = `mutation($shiftId: ID!) { signUp(shiftId: $shiftId) { id } }`;
const VERIFY = `mutation($id: ID!, $hours: Float!) { verifyAttendance(signUpId: $id, hours: $hours) {
  id status attendance { hours pointsAwarded } } }`;
const ACCOUNT = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User {
  volunteerHours pointsAccount { balance lifetimeEarned tier nextTier pointsToNextTier
    entries(first: 50) { edges { node { id delta kind sourceType balanceAfter lifetimeAfter } } } } } } }`;

interface Account {
  volunteerHours: number;
  pointsAccount: {
    balance: number;
    lifetimeEarned: number;
    tier: string;
    nextTier: string | null;
    pointsToNextTier: number | null;
    entries: {
      edges: { node: { id: string; delta: number; kind: string; balanceAfter: number; lifetimeAfter: number } }[];
    };
  };
}

/** A resident whose household is confirmed, so their points count toward tiers. */
const resident = async (communityId: string = TAOYUANJU.id) => {
  const id = randomUUID();
  await confirmResidence(service.db, id, communityId);
  return { id, token: await service.token(id, communityId) };
};

async function accountOf(userId: string, token: string): Promise<Account> {
  const data = await graphqlData<{ _entities: Account[] }>(
    service.url,
    ACCOUNT,
    { reps: [{ __typename: 'User', id: userId }] },
    { token, asGatewayTo: 'volunteering' },
  );
  return data._entities[0];
}

/** A volunteer signed up for a shift that then took place (moved into the past); returns the sign-up id. */
async function attendedShift(
  volunteerToken: string,
  options: { hours?: number; category?: string; yesterdayAt?: number } = {},
) {
  const { shiftId, opportunityId } = await publishedShift(service.url, workerToken, {
    hours: options.hours ?? 4,
    category: options.category,
  });
  const { signUp } = await graphqlData<{ signUp: { id: string } }>(
    service.url,
    SIGN_UP,
    { shiftId },
    { token: volunteerToken },
  );
  if (options.yesterdayAt !== undefined) await moveShiftToYesterday(service.db, shiftId, options.yesterdayAt);
  else await moveShiftToPast(service.db, shiftId, (options.hours ?? 4) + 1);
  await markAttended(service.db, signUp.id);
  return { signUpId: signUp.id, shiftId, opportunityId };
}

const ledgerSum = async (userId: string) => {
  const [row] = await service.db.query(
    `SELECT a.balance, COALESCE(sum(e.delta), 0)::int AS sum FROM points_accounts a
       LEFT JOIN points_entries e ON e.user_id = a.user_id WHERE a.user_id = $1 GROUP BY a.balance`,
    [userId],
  );
  return row as { balance: number; sum: number };
};

beforeAll(async () => {
  service = await startVolunteeringForTests({ kafka: true });
  workerToken = await service.token(WORKER, TAOYUANJU.id, ['RESIDENT', 'COMMUNITY_WORKER']);
  collector = await collectEvents(service.broker!.brokers, [AWARDED, TIER, VERIFIED]);
  for (const organization of DEMO_ORGANIZATIONS) await approvedOrganization(service.db, organization.id, TAOYUANJU.id);
});
afterAll(async () => {
  await collector?.consumer.disconnect();
  await service?.stop();
});

describe('verifying attendance', () => {
  it('4 hours at the default rule: +40 points, one ledger entry, events on the broker; verifying again is a CONFLICT', async () => {
    const volunteer = await resident();
    const { signUpId } = await attendedShift(volunteer.token);
    const verified = await graphqlData<{
      verifyAttendance: { status: string; attendance: { hours: number; pointsAwarded: number } };
    }>(service.url, VERIFY, { id: signUpId, hours: 4 }, { token: workerToken });
    expect(verified.verifyAttendance).toMatchObject({
      status: 'VERIFIED',
      attendance: { hours: 4, pointsAwarded: 40 },
    });
    const account = await accountOf(volunteer.id, volunteer.token);
    expect(account.volunteerHours).toBe(4);
    expect(account.pointsAccount).toMatchObject({
      balance: 40,
      lifetimeEarned: 40,
      tier: 'VOLUNTEER',
      nextTier: 'ACTIVIST',
      pointsToNextTier: 60,
    });
    expect(account.pointsAccount.entries.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ delta: 40, kind: 'EARNED_VOLUNTEERING', sourceType: 'ATTENDANCE', balanceAfter: 40 }),
    ]);

    await waitFor(
      () =>
        collector.messages.some((m) => m.topic === AWARDED && payloadOf<{ userId: string }>(m).userId === volunteer.id),
      'points.awarded on the broker',
    );
    const awarded = collector.messages.filter(
      (m) => m.topic === AWARDED && payloadOf<{ userId: string }>(m).userId === volunteer.id,
    );
    expect(awarded.map((m) => payloadOf(m))).toEqual([
      expect.objectContaining({
        points: 40,
        kind: 'EARNED_VOLUNTEERING',
        lifetimeEarned: 40,
        communityId: TAOYUANJU.id,
      }),
    ]);
    expect(awarded[0].key?.toString()).toBe(volunteer.id);
    await waitFor(
      () =>
        collector.messages.some(
          (m) => m.topic === VERIFIED && payloadOf<{ signUpId: string }>(m).signUpId === signUpId,
        ),
      'attendance.verified on the broker',
    );

    const again = await graphqlRequest(service.url, VERIFY, { id: signUpId, hours: 4 }, { token: workerToken });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const entries = await service.db.query(`SELECT count(*)::int AS n FROM points_entries WHERE user_id = $1`, [
      volunteer.id,
    ]);
    expect(entries[0].n).toBe(1);
  });

  it('a resident cannot verify their own attendance, nor a resident of another community; an organizer can', async () => {
    const volunteer = await resident();
    const { signUpId } = await attendedShift(volunteer.token);
    const own = await graphqlRequest(service.url, VERIFY, { id: signUpId, hours: 2 }, { token: volunteer.token });
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const foreignWorker = await service.token(randomUUID(), DEMO_COMMUNITIES[1].id, ['RESIDENT', 'COMMUNITY_WORKER']);
    const foreign = await graphqlRequest(service.url, VERIFY, { id: signUpId, hours: 2 }, { token: foreignWorker });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Even a community worker may not verify their own hours.
    const workerSelf = await attendedShift(workerToken);
    const self = await graphqlRequest(
      service.url,
      VERIFY,
      { id: workerSelf.signUpId, hours: 2 },
      { token: workerToken },
    );
    expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const tooLong = await graphqlRequest(service.url, VERIFY, { id: signUpId, hours: 5 }, { token: workerToken });
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'hours' });
    const nothingWritten = await service.db.query(`SELECT count(*)::int AS n FROM attendances WHERE sign_up_id = $1`, [
      signUpId,
    ]);
    expect(nothingWritten[0].n).toBe(0);
    const ok = await graphqlData<{ verifyAttendance: { status: string } }>(
      service.url,
      VERIFY,
      { id: signUpId, hours: 2 },
      { token: workerToken },
    );
    expect(ok.verifyAttendance.status).toBe('VERIFIED');
  });

  it('a backbone organizes nothing while the host organization is suspended, and again once it is reinstated', async () => {
    const organizationId = DEMO_ORGANIZATIONS[1].id;
    const backbone = await resident();
    const kafka = new Kafka({
      clientId: 'organizations-test',
      brokers: [service.broker!.brokers],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    await producer.connect();
    const send = async (
      definition: typeof MemberJoined | typeof OrganizationStatusChanged,
      payload: Record<string, unknown>,
    ) =>
      producer.send({
        topic: definition.topic,
        messages: [
          toKafkaMessage(buildEnvelope(definition, '/taoyuan/organizations', payload, { communityId: TAOYUANJU.id })),
        ],
      });
    const status = (fromStatus: string, toStatus: string, statusVersion: number) => ({
      organizationId,
      communityId: TAOYUANJU.id,
      fromStatus,
      toStatus,
      statusVersion,
      changedBy: randomUUID(),
      changedAt: new Date().toISOString(),
    });
    const create = () =>
      graphqlRequest(
        service.url,
        `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`,
        {
          input: {
            title: '陪同长者就医',
            description: '社区医院陪诊',
            category: 'ELDERLY_CARE',
            location: '社区卫生服务中心',
            organizationId,
          },
        },
        { token: backbone.token },
      );
    await send(MemberJoined, {
      membershipId: randomUUID(),
      organizationId,
      userId: backbone.id,
      communityId: TAOYUANJU.id,
      role: 'BACKBONE',
      joinedAt: new Date().toISOString(),
      membershipVersion: 1,
    });
    await waitFor(async () => !(await create()).errors, 'the backbone allowed to organize');
    await send(OrganizationStatusChanged, status('ACTIVE', 'SUSPENDED', 3));
    await waitFor(
      async () => (await create()).errors?.[0]?.extensions?.code === 'FORBIDDEN',
      'the suspension to take effect',
    );
    await send(OrganizationStatusChanged, status('SUSPENDED', 'ACTIVE', 4));
    await waitFor(async () => !(await create()).errors, 'the reinstatement to take effect');
    await producer.disconnect();
  });

  it('a backbone of the host organization may verify once organizations’ membership events say so', async () => {
    const organizationId = DEMO_ORGANIZATIONS[0].id;
    const backbone = await resident();
    const volunteer = await resident();
    const { shiftId } = await publishedShift(service.url, workerToken, { organizationId });
    const { signUp } = await graphqlData<{ signUp: { id: string } }>(
      service.url,
      SIGN_UP,
      { shiftId },
      { token: volunteer.token },
    );
    await moveShiftToPast(service.db, shiftId, 5);
    await markAttended(service.db, signUp.id);
    const before = await graphqlRequest(service.url, VERIFY, { id: signUp.id, hours: 1 }, { token: backbone.token });
    expect(before.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const kafka = new Kafka({
      clientId: 'organizations-test',
      brokers: [service.broker!.brokers],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    await producer.connect();
    const membershipId = randomUUID();
    const joined = {
      membershipId,
      organizationId,
      userId: backbone.id,
      communityId: TAOYUANJU.id,
      role: 'BACKBONE' as const,
      joinedAt: new Date().toISOString(),
      membershipVersion: 1,
    };
    const registered = { userId: volunteer.id, communityId: TAOYUANJU.id, registeredAt: new Date().toISOString() };
    const joinedEnvelope = buildEnvelope(MemberJoined, '/taoyuan/organizations', joined, { communityId: TAOYUANJU.id });
    await producer.send({ topic: MemberJoined.topic, messages: [toKafkaMessage(joinedEnvelope)] });
    // The same event twice: the inbox makes the second a no-op.
    await producer.send({ topic: MemberJoined.topic, messages: [toKafkaMessage(joinedEnvelope)] });
    await producer.send({
      topic: UserRegistered.topic,
      messages: [
        toKafkaMessage(buildEnvelope(UserRegistered, '/taoyuan/identity', registered, { communityId: TAOYUANJU.id })),
      ],
    });
    await waitFor(
      async () => {
        const rows = await service.db.query(`SELECT 1 FROM organizer_memberships WHERE membership_id = $1 AND active`, [
          membershipId,
        ]);
        return rows.length === 1;
      },
      'the membership projection',
      30_000,
    );
    await waitFor(
      async () =>
        (await service.db.query(`SELECT 1 FROM points_accounts WHERE user_id = $1`, [volunteer.id])).length === 1,
      'an account opened on user.registered',
    );

    const verified = await graphqlData<{ verifyAttendance: { status: string } }>(
      service.url,
      VERIFY,
      { id: signUp.id, hours: 1 },
      { token: backbone.token },
    );
    expect(verified.verifyAttendance.status).toBe('VERIFIED');

    await producer.send({
      topic: MemberLeft.topic,
      messages: [
        toKafkaMessage(
          buildEnvelope(
            MemberLeft,
            '/taoyuan/organizations',
            {
              membershipId,
              organizationId,
              userId: backbone.id,
              communityId: TAOYUANJU.id,
              role: 'BACKBONE',
              reason: 'LEFT',
              leftAt: new Date().toISOString(),
              membershipVersion: 2,
            },
            { communityId: TAOYUANJU.id },
          ),
        ),
      ],
    });
    await producer.disconnect();
    await waitFor(
      async () =>
        (
          await service.db.query(`SELECT 1 FROM organizer_memberships WHERE membership_id = $1 AND NOT active`, [
            membershipId,
          ])
        ).length === 1,
      'the leave',
    );
    const inbox = await service.db.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [
      joinedEnvelope.id,
    ]);
    expect(inbox[0].n).toBe(1);
  });

  it('the daily cap holds across several shifts in one day', async () => {
    const volunteer = await resident();
    const awards: number[] = [];
    for (const hour of [8, 13, 18]) {
      const { signUpId } = await attendedShift(volunteer.token, { hours: 4, yesterdayAt: hour });
      const result = await graphqlData<{ verifyAttendance: { attendance: { pointsAwarded: number } } }>(
        service.url,
        VERIFY,
        { id: signUpId, hours: 4 },
        { token: workerToken },
      );
      awards.push(result.verifyAttendance.attendance.pointsAwarded);
    }
    expect(awards).toEqual([40, 40, 20]);
    const account = await accountOf(volunteer.id, volunteer.token);
    expect(account.pointsAccount.balance).toBe(100);
    expect(account.volunteerHours).toBe(12);
    // Crossing 100 on the third shift announced ACTIVIST exactly once.
    expect(account.pointsAccount.tier).toBe('ACTIVIST');
    await waitFor(
      () =>
        collector.messages.some((m) => m.topic === TIER && payloadOf<{ userId: string }>(m).userId === volunteer.id),
      'tier-reached',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const tiers = collector.messages.filter(
      (m) => m.topic === TIER && payloadOf<{ userId: string }>(m).userId === volunteer.id,
    );
    expect(tiers.map((m) => payloadOf<{ tier: string }>(m).tier)).toEqual(['ACTIVIST']);
  });

  it('a changed rule applies to verifications after it, never to earlier ones; only the committee changes it', async () => {
    const community = randomUUID();
    const committee = await service.token(randomUUID(), community, ['RESIDENT', 'COMMITTEE']);
    const worker = await service.token(randomUUID(), community, ['RESIDENT', 'COMMUNITY_WORKER']);
    const SET = `mutation($c: ID!, $input: PointsRuleInput!) { setPointsRule(communityId: $c, input: $input) { version pointsPerHour dailyCap categoryMultipliers { category multiplier } } }`;
    const input = {
      pointsPerHour: 20,
      dailyCap: 500,
      categoryMultipliers: [{ category: 'ELDERLY_CARE', multiplier: 1.5 }],
    };
    expect(
      (await graphqlRequest(service.url, SET, { c: community, input }, { token: worker })).errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await graphqlRequest(service.url, SET, { c: TAOYUANJU.id, input }, { token: committee })).errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');
    const bad = await graphqlRequest(
      service.url,
      SET,
      { c: community, input: { ...input, pointsPerHour: -1 } },
      { token: committee },
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pointsPerHour' });

    const volunteerId = randomUUID();
    const volunteerToken = await service.token(volunteerId, community);
    const { shiftId: before } = await publishedShift(service.url, worker, { category: 'ELDERLY_CARE', hours: 2 });
    const { signUp: early } = await graphqlData<{ signUp: { id: string } }>(
      service.url,
      SIGN_UP,
      { shiftId: before },
      { token: volunteerToken },
    );
    await moveShiftToYesterday(service.db, before, 8);
    await markAttended(service.db, early.id);
    await graphqlData(service.url, VERIFY, { id: early.id, hours: 2 }, { token: worker });

    const set = await graphqlData<{
      setPointsRule: { version: number; categoryMultipliers: { category: string; multiplier: number }[] };
    }>(service.url, SET, { c: community, input }, { token: committee });
    expect(set.setPointsRule.version).toBe(1);
    expect(set.setPointsRule.categoryMultipliers).toContainEqual({ category: 'ELDERLY_CARE', multiplier: 1.5 });

    const { shiftId: after } = await publishedShift(service.url, worker, { category: 'ELDERLY_CARE', hours: 2 });
    const { signUp: late } = await graphqlData<{ signUp: { id: string } }>(
      service.url,
      SIGN_UP,
      { shiftId: after },
      { token: volunteerToken },
    );
    await moveShiftToYesterday(service.db, after, 14);
    await markAttended(service.db, late.id);
    const verified = await graphqlData<{ verifyAttendance: { attendance: { pointsAwarded: number } } }>(
      service.url,
      VERIFY,
      { id: late.id, hours: 1.5 },
      { token: worker },
    );
    // floor(1.5 × 20 × 1.5) = 45; the earlier 2 hours stay at the default 20.
    expect(verified.verifyAttendance.attendance.pointsAwarded).toBe(45);
    const entries = await service.db.query<{ delta: number }[]>(
      `SELECT delta FROM points_entries WHERE user_id = $1 ORDER BY created_at`,
      [volunteerId],
    );
    expect(entries.map((row) => row.delta)).toEqual([20, 45]);
  });
});

describe('the ledger', () => {
  const ledger = () => pointsLedgerFor(service.db).ledger;
  const credit = async (userId: string, points: number, sourceId = randomUUID()) => {
    await confirmResidence(service.db, userId, TAOYUANJU.id);
    return service.db.transaction((manager) =>
      ledger().credit(manager, {
        userId,
        communityId: TAOYUANJU.id,
        points,
        kind: PointsEntryKind.BONUS,
        sourceType: 'TEST',
        sourceId,
        causedBy: null,
      }),
    );
  };
  const tiersOf = async (userId: string) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return collector.messages
      .filter((m) => m.topic === TIER && payloadOf<{ userId: string }>(m).userId === userId)
      .map((m) => payloadOf<{ tier: string }>(m).tier);
  };

  it('crossing 100 lifetime points announces ACTIVIST exactly once; jumping from 90 to 520 announces ACTIVIST and BACKBONE once each', async () => {
    const crosser = randomUUID();
    await credit(crosser, 60);
    await credit(crosser, 60);
    await credit(crosser, 30);
    await waitFor(async () => (await tiersOf(crosser)).length > 0, 'tier-reached');
    expect(await tiersOf(crosser)).toEqual(['ACTIVIST']);

    const jumper = randomUUID();
    await credit(jumper, 90);
    const jump = await credit(jumper, 430);
    expect(jump?.tiersReached).toEqual(['ACTIVIST', 'BACKBONE']);
    expect(jump?.account).toMatchObject({ balance: 520, lifetimeEarned: 520, tier: 'BACKBONE' });
    await credit(jumper, 10);
    await waitFor(async () => (await tiersOf(jumper)).length >= 2, 'two tiers');
    expect(await tiersOf(jumper)).toEqual(['ACTIVIST', 'BACKBONE']);
    const outbox = await service.db.query<{ tier: string }[]>(
      `SELECT payload->>'tier' AS tier FROM outbox WHERE topic = $1 AND message_key = $2 ORDER BY id`,
      [TIER, jumper],
    );
    expect(outbox.map((row) => row.tier)).toEqual(['ACTIVIST', 'BACKBONE']);
  });

  it('the same source never credits twice', async () => {
    const userId = randomUUID();
    const sourceId = randomUUID();
    expect(await credit(userId, 10, sourceId)).not.toBeNull();
    expect(await credit(userId, 10, sourceId)).toBeNull();
    expect(await ledgerSum(userId)).toEqual({ balance: 10, sum: 10 });
  });

  it('a reversal lowers balance and lifetime but never below zero, and the ledger always sums to the balance', async () => {
    const committee = await service.token(randomUUID(), TAOYUANJU.id, ['RESIDENT', 'COMMITTEE']);
    const REVERSE = `mutation($id: ID!, $reason: String!) { reversePointsEntry(entryId: $id, reason: $reason) { delta kind balanceAfter lifetimeAfter } }`;
    const userId = randomUUID();
    const wrong = (await credit(userId, 150))!.entry;
    // 120 of the 150 are spent before the mistake is noticed.
    await service.db.transaction((manager) =>
      ledger().debit(manager, {
        userId,
        communityId: TAOYUANJU.id,
        points: 120,
        sourceType: 'ORDER',
        sourceId: randomUUID(),
        causedBy: null,
      }),
    );
    const denied = await graphqlRequest(
      service.url,
      REVERSE,
      { id: wrong.id, reason: '重复发放' },
      { token: workerToken },
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reversed = await graphqlData<{
      reversePointsEntry: { delta: number; kind: string; balanceAfter: number; lifetimeAfter: number };
    }>(service.url, REVERSE, { id: wrong.id, reason: '重复发放' }, { token: committee });
    expect(reversed.reversePointsEntry).toEqual({ delta: -30, kind: 'REVERSAL', balanceAfter: 0, lifetimeAfter: 0 });
    const account = await service.db.query(
      `SELECT balance, lifetime_earned, tier FROM points_accounts WHERE user_id = $1`,
      [userId],
    );
    expect(account[0]).toEqual({ balance: 0, lifetime_earned: 0, tier: 'VOLUNTEER' });
    expect(await ledgerSum(userId)).toEqual({ balance: 0, sum: 0 });
    const twice = await graphqlRequest(service.url, REVERSE, { id: wrong.id, reason: '再次' }, { token: committee });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const foreignCommittee = await service.token(randomUUID(), DEMO_COMMUNITIES[1].id, ['RESIDENT', 'COMMITTEE']);
    const foreign = await graphqlRequest(
      service.url,
      REVERSE,
      { id: wrong.id, reason: 'x' },
      { token: foreignCommittee },
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses to spend more than the balance, and the database refuses negative balances and edits of entries', async () => {
    const userId = randomUUID();
    const { entry } = (await credit(userId, 20))!;
    await expect(
      service.db.transaction((manager) =>
        ledger().debit(manager, {
          userId,
          communityId: TAOYUANJU.id,
          points: 21,
          sourceType: 'ORDER',
          sourceId: randomUUID(),
          causedBy: null,
        }),
      ),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    await expect(
      service.db.query(`UPDATE points_accounts SET balance = -1 WHERE user_id = $1`, [userId]),
    ).rejects.toThrow(/check constraint/);
    await expect(service.db.query(`UPDATE points_entries SET delta = 999 WHERE id = $1`, [entry.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(service.db.query(`DELETE FROM points_entries WHERE id = $1`, [entry.id])).rejects.toThrow(
      /append-only/,
    );
    expect(await ledgerSum(userId)).toEqual({ balance: 20, sum: 20 });
  });
});
