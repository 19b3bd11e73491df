import { randomUUID } from 'node:crypto';
import { DEMO_COMMUNITIES } from '@taoyuan/demo-data';
import { organizationsEventHandlers } from '../src/app';
import { MembershipRole, promotionTarget } from '../src/domain/ladder';
import {
  api,
  received,
  startOrganizationsForTests,
  tierReachedEvent,
  type OrganizationsUnderTest,
  type Person,
  type TierPayload,
} from './support/start-organizations';
import type { EventEnvelope } from '@taoyuan/events';

let service: OrganizationsUnderTest;
let gql: ReturnType<typeof api>;
let committee: Person;

beforeAll(async () => {
  service = await startOrganizationsForTests();
  gql = api(service);
  committee = await service.person(['RESIDENT', 'COMMITTEE']);
});
afterAll(() => service?.stop());

/**
 * Hands a tier event straight to the service's TierReached handler in a transaction of its own, as the consumer does
 * after its inbox check (tier-events.test.ts sends the same events through the broker). Without the inbox in front,
 * this also shows the handler alone is idempotent.
 */
async function deliver(envelope: EventEnvelope<TierPayload>): Promise<void> {
  const [handler] = organizationsEventHandlers(service.domain.promotions);
  await service.server.deps.dataSource.transaction((manager) => handler.handle(received(envelope), manager));
}

interface CandidateRow {
  id: string;
  target_role: string;
  status: string;
  organization_id: string;
}

const candidatesOf = async (userId: string): Promise<CandidateRow[]> =>
  (await service.query(
    `SELECT id, target_role, status, organization_id FROM promotion_candidates WHERE user_id = $1 ORDER BY seq`,
    [userId],
  )) as unknown as CandidateRow[];

const roleOf = async (membershipId: string) =>
  (await service.query(`SELECT role FROM memberships WHERE id = $1`, [membershipId]))[0].role;

/** Puts a membership on a rung directly, for permission tests whose subject is not the climb itself. */
const setRole = (membershipId: string, role: MembershipRole) =>
  service.query(`UPDATE memberships SET role = $2 WHERE id = $1`, [membershipId, role]);

const APPROVE = `mutation($id: ID!) { approvePromotion(candidateId: $id) { id status decidedAt } }`;
const DECLINE = `mutation($id: ID!, $reason: String!) { declinePromotion(candidateId: $id, reason: $reason) { id status declineReason } }`;

describe('the ladder rule', () => {
  it('offers only the next role, and only as far as the tier allows', () => {
    expect(promotionTarget(MembershipRole.MEMBER, 'BACKBONE')).toBe(MembershipRole.ACTIVIST);
    expect(promotionTarget(MembershipRole.ACTIVIST, 'BACKBONE')).toBe(MembershipRole.BACKBONE);
    expect(promotionTarget(MembershipRole.BACKBONE, 'BACKBONE')).toBeNull();
    expect(promotionTarget(MembershipRole.MEMBER, 'LEADER')).toBe(MembershipRole.ACTIVIST);
    expect(promotionTarget(MembershipRole.BACKBONE, 'LEADER')).toBe(MembershipRole.LEADER);
    expect(promotionTarget(MembershipRole.LEADER, 'LEADER')).toBeNull();
    expect(promotionTarget(MembershipRole.MEMBER, 'VOLUNTEER')).toBeNull();
  });
});

describe('tiers become candidates', () => {
  it('the same tier-reached delivered twice raises one candidate', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const resident = await service.person();
    await gql.join(resident, id);
    const event = tierReachedEvent(resident.id, 'ACTIVIST', 120);
    await deliver(event);
    await deliver(event);
    expect(await candidatesOf(resident.id)).toEqual([
      expect.objectContaining({ target_role: 'ACTIVIST', status: 'ELIGIBLE', organization_id: id }),
    ]);
  });

  it('a resident in two organizations gets a candidate in each; pending applications get none', async () => {
    const leader = await service.person();
    const first = await gql.activeOrganization(leader, committee);
    const second = await gql.activeOrganization(leader, committee);
    const applicationOnly = await gql.activeOrganization(leader, committee, { joinPolicy: 'APPROVAL' });
    const resident = await service.person();
    for (const id of [first, second, applicationOnly]) await gql.join(resident, id);
    await deliver(tierReachedEvent(resident.id, 'ACTIVIST'));
    const candidates = await candidatesOf(resident.id);
    expect(candidates.map((candidate) => candidate.organization_id).sort()).toEqual([first, second].sort());
  });

  it('skips no step: a MEMBER at BACKBONE tier becomes ACTIVIST first, then BACKBONE is offered', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const resident = await service.person();
    const membership = await gql.join(resident, id);
    await deliver(tierReachedEvent(resident.id, 'BACKBONE', 520));
    const [activist] = await candidatesOf(resident.id);
    expect(activist).toMatchObject({ target_role: 'ACTIVIST', status: 'ELIGIBLE' });

    await gql.data(APPROVE, { id: activist.id }, leader);
    expect(await roleOf(membership.id)).toBe('ACTIVIST');
    const [, backbone] = await candidatesOf(resident.id);
    expect(backbone).toMatchObject({ target_role: 'BACKBONE', status: 'ELIGIBLE' });

    await gql.data(APPROVE, { id: backbone.id }, leader);
    expect(await roleOf(membership.id)).toBe('BACKBONE');
    expect((await candidatesOf(resident.id)).map((candidate) => candidate.status)).toEqual(['APPROVED', 'APPROVED']);

    const promoted = await service.query(
      `SELECT payload FROM outbox WHERE topic = 'taoyuan.organizations.member.promoted.v1' AND payload->>'userId' = $1 ORDER BY id`,
      [resident.id],
    );
    expect(promoted.map((row) => row.payload)).toEqual([
      expect.objectContaining({ fromRole: 'MEMBER', toRole: 'ACTIVIST', decidedBy: leader.id, organizationId: id }),
      expect.objectContaining({ fromRole: 'ACTIVIST', toRole: 'BACKBONE', decidedBy: leader.id }),
    ]);
    const history = await gql.asGateway<{
      _entities: { promotionHistory: { fromRole: string; toRole: string; changedBy: { id: string } }[] }[];
    }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { promotionHistory { fromRole toRole changedBy { id } } } } }`,
      { reps: [{ __typename: 'User', id: resident.id }] },
      resident,
    );
    expect(history._entities[0].promotionHistory).toEqual([
      { fromRole: 'MEMBER', toRole: 'ACTIVIST', changedBy: { id: leader.id } },
      { fromRole: 'ACTIVIST', toRole: 'BACKBONE', changedBy: { id: leader.id } },
    ]);
  });

  it('a resident who already reached a tier is eligible in an organization they join later', async () => {
    const resident = await service.person();
    await deliver(tierReachedEvent(resident.id, 'ACTIVIST'));
    expect(await candidatesOf(resident.id)).toEqual([]);
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    await gql.join(resident, id);
    expect(await candidatesOf(resident.id)).toEqual([
      expect.objectContaining({ target_role: 'ACTIVIST', organization_id: id }),
    ]);
  });

  it('a declined candidate comes back only with a new, higher tier; a lower or repeated tier changes nothing', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const resident = await service.person();
    await gql.join(resident, id);
    const backboneTier = tierReachedEvent(resident.id, 'BACKBONE');
    await deliver(backboneTier);
    const [candidate] = await candidatesOf(resident.id);
    expect(gql.errorOf(await gql.request(DECLINE, { id: candidate.id, reason: ' ' }, leader))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    const declined = await gql.data<{ declinePromotion: { status: string; declineReason: string } }>(
      DECLINE,
      { id: candidate.id, reason: '还需要多参与几次活动' },
      leader,
    );
    expect(declined.declinePromotion).toMatchObject({ status: 'DECLINED', declineReason: '还需要多参与几次活动' });
    expect(gql.errorOf(await gql.request(APPROVE, { id: candidate.id }, leader))?.code).toBe('CONFLICT');

    await deliver(backboneTier);
    await deliver(tierReachedEvent(resident.id, 'ACTIVIST'));
    expect((await candidatesOf(resident.id)).map((row) => row.status)).toEqual(['DECLINED']);

    await deliver(tierReachedEvent(resident.id, 'LEADER', 1600));
    expect((await candidatesOf(resident.id)).map((row) => [row.target_role, row.status])).toEqual([
      ['ACTIVIST', 'DECLINED'],
      ['ACTIVIST', 'ELIGIBLE'],
    ]);

    // The resident hears of each candidate raised and of the decline (notifications); the reason stays here.
    const told = (await service.query(
      `SELECT topic, payload FROM outbox WHERE topic LIKE 'taoyuan.organizations.promotion.%' AND payload->>'userId' = $1 ORDER BY id`,
      [resident.id],
    )) as { topic: string; payload: Record<string, unknown> }[];
    expect(told.map((row) => [row.topic, row.payload.targetRole])).toEqual([
      ['taoyuan.organizations.promotion.candidate-raised.v1', 'ACTIVIST'],
      ['taoyuan.organizations.promotion.declined.v1', 'ACTIVIST'],
      ['taoyuan.organizations.promotion.candidate-raised.v1', 'ACTIVIST'],
    ]);
    expect(told[1].payload).toMatchObject({ candidateId: candidate.id, organizationId: id, decidedBy: leader.id });
    expect(JSON.stringify(told[1].payload)).not.toContain('还需要');
  });

  it('leaving closes an open candidate as SUPERSEDED', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const resident = await service.person();
    await gql.join(resident, id);
    await deliver(tierReachedEvent(resident.id, 'ACTIVIST'));
    await gql.data(`mutation($id: ID!) { leaveOrganization(organizationId: $id) { id } }`, { id }, resident);
    expect((await candidatesOf(resident.id)).map((row) => row.status)).toEqual(['SUPERSEDED']);
  });
});

describe('who decides', () => {
  /** An organization with a LEADER, a BACKBONE and a BACKBONE who reached the LEADER tier (so a LEADER candidate). */
  async function organizationWithLeaderCandidate(community = committee) {
    const leader = await service.person(['RESIDENT'], community.communityId);
    const id = await gql.activeOrganization(leader, community);
    const backbone = await service.person(['RESIDENT'], community.communityId);
    await setRole((await gql.join(backbone, id)).id, MembershipRole.BACKBONE);
    const climber = await service.person(['RESIDENT'], community.communityId);
    const membership = await gql.join(climber, id);
    await setRole(membership.id, MembershipRole.BACKBONE);
    await deliver(tierReachedEvent(climber.id, 'LEADER', 1500, community.communityId));
    const [candidate] = await candidatesOf(climber.id);
    expect(candidate).toMatchObject({ target_role: 'LEADER', status: 'ELIGIBLE' });
    return { id, leader, backbone, climber, membership, candidateId: candidate.id };
  }

  it('a BACKBONE approving a LEADER promotion is FORBIDDEN, and so is a LEADER; the committee approves it', async () => {
    const { leader, backbone, membership, candidateId } = await organizationWithLeaderCandidate();
    expect(gql.errorOf(await gql.request(APPROVE, { id: candidateId }, backbone))?.code).toBe('FORBIDDEN');
    expect(gql.errorOf(await gql.request(APPROVE, { id: candidateId }, leader))?.code).toBe('FORBIDDEN');
    expect(await roleOf(membership.id)).toBe('BACKBONE');
    const approved = await gql.data<{ approvePromotion: { status: string } }>(APPROVE, { id: candidateId }, committee);
    expect(approved.approvePromotion.status).toBe('APPROVED');
    expect(await roleOf(membership.id)).toBe('LEADER');
  });

  it('a leader of another organization is FORBIDDEN; a BACKBONE cannot approve an ACTIVIST step either', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const backbone = await service.person();
    await setRole((await gql.join(backbone, id)).id, MembershipRole.BACKBONE);
    const outsiderLeader = await service.person();
    await gql.activeOrganization(outsiderLeader, committee);
    const resident = await service.person();
    await gql.join(resident, id);
    await deliver(tierReachedEvent(resident.id, 'ACTIVIST'));
    const [candidate] = await candidatesOf(resident.id);
    for (const who of [outsiderLeader, backbone, resident, committee]) {
      expect(gql.errorOf(await gql.request(APPROVE, { id: candidate.id }, who))?.code).toBe('FORBIDDEN');
      expect(gql.errorOf(await gql.request(DECLINE, { id: candidate.id, reason: '不行' }, who))?.code).toBe(
        'FORBIDDEN',
      );
    }
    expect(gql.errorOf(await gql.request(APPROVE, { id: randomUUID() }, leader))?.code).toBe('NOT_FOUND');
    expect((await candidatesOf(resident.id))[0].status).toBe('ELIGIBLE');
  });

  it('candidates are listed for the organization’s leaders and the committee only', async () => {
    const { id, leader, backbone, candidateId } = await organizationWithLeaderCandidate();
    const LIST = `query($id: ID!) { promotionCandidates(organizationId: $id) {
      edges { node { id targetRole fromRole eligibleUpTo user { id } membership { role } } } } }`;
    for (const who of [leader, committee]) {
      const data = await gql.data<{ promotionCandidates: { edges: { node: { id: string; targetRole: string } }[] } }>(
        LIST,
        { id },
        who,
      );
      expect(data.promotionCandidates.edges.map((edge) => edge.node)).toEqual([
        expect.objectContaining({
          id: candidateId,
          targetRole: 'LEADER',
          fromRole: 'BACKBONE',
          eligibleUpTo: 'LEADER',
        }),
      ]);
    }
    expect(gql.errorOf(await gql.request(LIST, { id }, backbone))?.code).toBe('FORBIDDEN');
  });

  it('the leader limit holds: with the community’s limit reached, approving another LEADER is CONFLICT and changes nothing', async () => {
    // A community of its own, so its limit does not affect the other tests.
    const otherCommittee = await service.person(['RESIDENT', 'COMMITTEE'], DEMO_COMMUNITIES[1].id);
    const POLICY = `{ organizationPolicy { maxLeadersPerOrganization } }`;
    expect(await gql.data(POLICY, {}, otherCommittee)).toEqual({
      organizationPolicy: { maxLeadersPerOrganization: 3 },
    });
    const SET = `mutation($n: Int!) { setOrganizationLeaderLimit(maxLeadersPerOrganization: $n) { maxLeadersPerOrganization } }`;
    expect(gql.errorOf(await gql.request(SET, { n: 0 }, otherCommittee))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'maxLeadersPerOrganization',
    });
    const resident = await service.person(['RESIDENT'], DEMO_COMMUNITIES[1].id);
    expect(gql.errorOf(await gql.request(SET, { n: 2 }, resident))?.code).toBe('FORBIDDEN');
    await gql.data(SET, { n: 2 }, otherCommittee);

    const { id, climber, membership, candidateId } = await organizationWithLeaderCandidate(otherCommittee);
    const coLeader = await service.person(['RESIDENT'], DEMO_COMMUNITIES[1].id);
    await setRole((await gql.join(coLeader, id)).id, MembershipRole.LEADER);
    const refused = await gql.request(APPROVE, { id: candidateId }, otherCommittee);
    expect(gql.errorOf(refused)?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/2/);
    expect(await roleOf(membership.id)).toBe('BACKBONE');
    expect((await candidatesOf(climber.id))[0].status).toBe('ELIGIBLE');
    const promoted = await service.query(
      `SELECT 1 FROM outbox WHERE topic LIKE '%member.promoted%' AND payload->>'userId' = $1`,
      [climber.id],
    );
    expect(promoted).toEqual([]);

    await gql.data(SET, { n: 3 }, otherCommittee);
    await gql.data(APPROVE, { id: candidateId }, otherCommittee);
    expect(await roleOf(membership.id)).toBe('LEADER');
  });

  it('nobody decides their own promotion', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const climbingCommittee = await service.person(['RESIDENT', 'COMMITTEE']);
    await setRole((await gql.join(climbingCommittee, id)).id, MembershipRole.BACKBONE);
    await deliver(tierReachedEvent(climbingCommittee.id, 'LEADER'));
    const [candidate] = await candidatesOf(climbingCommittee.id);
    expect(gql.errorOf(await gql.request(APPROVE, { id: candidate.id }, climbingCommittee))?.code).toBe('FORBIDDEN');
  });
});
