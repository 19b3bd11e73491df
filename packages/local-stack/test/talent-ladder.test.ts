import { TAOYUANJU } from '@taoyuan/demo-data';
import type { EventEnvelope } from '@taoyuan/events';
import { startPartnerConsumer } from '@taoyuan/partner-consumer';
import { builders, graphqlRequest, type TestUser } from '@taoyuan/testing';
import type { Consumer } from 'kafkajs';
import {
  attendAndVerify,
  confirmResidence,
  eligibleCandidates,
  gql,
  joinOrganization,
  openShift,
  setPointsPerHour,
  signInDemo,
  signUp,
  VOLUNTEER_TEAM,
} from './support/flows';
import { eventually, startSystem, type SystemUnderTest } from './support/start-system';

/**
 * Issue 4 and 5's headline: volunteering earns points, points reach a tier, the tier makes a resident eligible in
 * their organization, its leader (or the committee, for LEADER) promotes them, and partners see it. Every step goes
 * through the gateway to separate service processes linked only by Kafka events.
 */
let system: SystemUnderTest;
let partner: Consumer;
let tokens: Awaited<ReturnType<typeof signInDemo>>;
let resident: TestUser;
let membershipId: string;
const partnerEvents: EventEnvelope[] = [];

beforeAll(async () => {
  system = await startSystem();
  partner = await startPartnerConsumer({
    brokers: [system.kafkaBrokers],
    sasl: system.kafkaSasl('partner'),
    groupId: 'partner-foundation-test',
    onEvent: (event) => void partnerEvents.push(event),
  });
  tokens = await signInDemo(system.gatewayUrl);
  resident = await builders(system.gatewayUrl).newResident({ communityId: TAOYUANJU.id, displayName: '何晓燕' });
  await confirmResidence(system.gatewayUrl, resident, tokens.committee);
  membershipId = await joinOrganization(system.gatewayUrl, resident.accessToken, VOLUNTEER_TEAM.id);
}, 120_000);
afterAll(async () => {
  await partner?.disconnect();
  await system?.stop();
});

const ME = `query { me { displayName pointsAccount { balance lifetimeEarned tier } signUps { edges { node { status } } } memberships { organizationId role status } } }`;
interface Me {
  me: {
    displayName: string;
    pointsAccount: { balance: number; lifetimeEarned: number; tier: string };
    signUps: { edges: { node: { status: string } }[] };
    memberships: { organizationId: string; role: string; status: string }[];
  };
}

/**
 * One verified shift worth `points`. A volunteer cannot hold two overlapping shifts, and hours are verified to 0.01 h
 * (36 s), so each shift starts after the previous one ended, lasts just long enough, and the committee sets a rule of
 * 1,000 points per hour × 10 for environment work that turns those few seconds into tier-sized amounts.
 */
let nextShiftStart = 0;
async function volunteer(points: number) {
  await setPointsPerHour(system.gatewayUrl, tokens.committee, 1000, 10);
  const hours = points / 10_000;
  const startsAt = new Date(Math.max(Date.now() + 2_500, nextShiftStart + 1_000));
  const shift = await openShift(system.gatewayUrl, tokens.worker, { startsAt, durationMs: hours * 3_600_000 });
  nextShiftStart = shift.endsAt.getTime();
  const signUpId = await signUp(system.gatewayUrl, resident.accessToken, shift.shiftId);
  await attendAndVerify(system.gatewayUrl, shift, signUpId, resident.accessToken, tokens.worker, hours);
}

async function candidateFor(role: string, approverToken: string) {
  return eventually(
    async () =>
      (await eligibleCandidates(system.gatewayUrl, approverToken, VOLUNTEER_TEAM.id)).find(
        (candidate) => candidate.user.id === resident.id && candidate.targetRole === role,
      ),
    `a ${role} candidate for the resident`,
  );
}

async function approve(candidateId: string, token: string) {
  return graphqlRequest<{ approvePromotion: { status: string } }>(
    system.gatewayUrl,
    `mutation($c: ID!) { approvePromotion(candidateId: $c) { status } }`,
    { c: candidateId },
    { token },
  );
}

describe('points → tier → promotion, through the gateway', () => {
  it('a verified shift shows in me: points, tier and sign-up status', async () => {
    await volunteer(100);
    const me = await gql(system.gatewayUrl)<Me>(ME, {}, resident.accessToken);
    expect(me.me.displayName).toBe('何晓燕');
    expect(me.me.pointsAccount).toEqual({ balance: 100, lifetimeEarned: 100, tier: 'ACTIVIST' });
    expect(me.me.signUps.edges.map((edge) => edge.node.status)).toEqual(['VERIFIED']);
  });

  it('passing 100 points makes the resident an ACTIVIST candidate; the team leader approves; partners see member.promoted', async () => {
    const candidate = await candidateFor('ACTIVIST', tokens.teamLeader);
    expect((await approve(candidate.id, tokens.teamLeader)).data?.approvePromotion.status).toBe('APPROVED');
    const me = await gql(system.gatewayUrl)<Me>(ME, {}, resident.accessToken);
    expect(me.me.memberships).toContainEqual({ organizationId: VOLUNTEER_TEAM.id, role: 'ACTIVIST', status: 'ACTIVE' });
    const promoted = await eventually(
      async () =>
        partnerEvents.find(
          (event) =>
            event.type === 'taoyuan.organizations.member.promoted.v1' &&
            (event.data as { userId: string }).userId === resident.id,
        ),
      'member.promoted at the partner',
    );
    expect(promoted.data).toMatchObject({
      organizationId: VOLUNTEER_TEAM.id,
      fromRole: 'MEMBER',
      toRole: 'ACTIVIST',
      membershipId,
    });
    expect(
      partnerEvents.some((event) => event.type === 'taoyuan.points.tier-reached.v1' && event.subject === resident.id),
    ).toBe(true);
  });

  it('BACKBONE the same way; then the backbone may organize the team’s opportunities (volunteering’s projection)', async () => {
    // 100 → 1,500 crosses BACKBONE and LEADER at once; the ladder still goes one step at a time.
    await volunteer(1400);
    const candidate = await candidateFor('BACKBONE', tokens.teamLeader);
    expect((await approve(candidate.id, tokens.teamLeader)).data?.approvePromotion.status).toBe('APPROVED');
    const asBackbone = await eventually(async () => {
      const response = await graphqlRequest(
        system.gatewayUrl,
        `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id organization { id } } }`,
        {
          input: {
            title: '楼道清洁日',
            description: '志愿者服务队骨干组织',
            category: 'ENVIRONMENT',
            location: '3栋大堂',
            organizationId: VOLUNTEER_TEAM.id,
          },
        },
        { token: resident.accessToken },
      );
      return response.errors ? undefined : response;
    }, 'the backbone being allowed to organize');
    expect(asBackbone.data).toBeTruthy();
  });

  it('LEADER needs the committee: the team leader gets FORBIDDEN, the committee member approves', async () => {
    const candidate = await candidateFor('LEADER', tokens.committee);
    const byLeader = await approve(candidate.id, tokens.teamLeader);
    expect(byLeader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await approve(candidate.id, tokens.committee)).data?.approvePromotion.status).toBe('APPROVED');
    const me = await gql(system.gatewayUrl)<Me>(ME, {}, resident.accessToken);
    expect(me.me.pointsAccount.tier).toBe('LEADER');
    expect(me.me.memberships).toContainEqual({ organizationId: VOLUNTEER_TEAM.id, role: 'LEADER', status: 'ACTIVE' });
  });

  it('a removed backbone loses the right to organize the organization’s opportunities', async () => {
    const backbone = await builders(system.gatewayUrl).newResident({
      communityId: TAOYUANJU.id,
      displayName: '钱多多',
    });
    await confirmResidence(system.gatewayUrl, backbone, tokens.committee);
    const backboneMembership = await joinOrganization(system.gatewayUrl, backbone.accessToken, VOLUNTEER_TEAM.id);
    await setPointsPerHour(system.gatewayUrl, tokens.committee, 500);
    const shift = await openShift(system.gatewayUrl, tokens.worker);
    const signUpId = await signUp(system.gatewayUrl, backbone.accessToken, shift.shiftId);
    await attendAndVerify(system.gatewayUrl, shift, signUpId, backbone.accessToken, tokens.worker, 1);
    for (const role of ['ACTIVIST', 'BACKBONE']) {
      const candidate = await eventually(
        async () =>
          (await eligibleCandidates(system.gatewayUrl, tokens.teamLeader, VOLUNTEER_TEAM.id)).find(
            (c) => c.user.id === backbone.id && c.targetRole === role,
          ),
        `${role} candidate`,
      );
      await approve(candidate.id, tokens.teamLeader);
    }
    const create = () =>
      graphqlRequest(
        system.gatewayUrl,
        `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`,
        {
          input: {
            title: '义务理发',
            description: '为长者免费理发',
            category: 'ELDERLY_CARE',
            location: '长者服务中心',
            organizationId: VOLUNTEER_TEAM.id,
          },
        },
        { token: backbone.accessToken },
      );
    await eventually(async () => !(await create()).errors, 'the backbone being allowed to organize');
    await gql(system.gatewayUrl)(
      `mutation($m: ID!) { removeMember(membershipId: $m, reason: "长期未参加活动") { status } }`,
      { m: backboneMembership },
      tokens.teamLeader,
    );
    const refused = await eventually(async () => {
      const response = await create();
      return response.errors?.[0]?.extensions?.code === 'FORBIDDEN' ? response : undefined;
    }, 'the removed member losing the right to organize');
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
