import { randomUUID } from 'node:crypto';
import { DEMO_COMMUNITIES } from '@taoyuan/demo-data';
import type { EventEnvelope } from '@taoyuan/events';
import { organizationsEventHandlers } from '../src/app';
import {
  api,
  received,
  startOrganizationsForTests,
  tierReachedEvent,
  type OrganizationsUnderTest,
  type Person,
  type TierPayload,
} from './support/start-organizations';

/**
 * Issue 8, replayed against organizations: each attack as an attacker would send it, and the answer that stops it
 * (with its stable extensions.reason, so front-ends can branch on it).
 */
let service: OrganizationsUnderTest;
let gql: ReturnType<typeof api>;
let committee: Person;

beforeAll(async () => {
  service = await startOrganizationsForTests();
  gql = api(service);
  committee = await service.person(['RESIDENT', 'COMMITTEE']);
});
afterAll(() => service?.stop());

async function deliver(envelope: EventEnvelope<TierPayload>): Promise<void> {
  const [handler] = organizationsEventHandlers(service.domain.promotions);
  await service.server.deps.dataSource.transaction((manager) => handler.handle(received(envelope), manager));
}

const candidatesOf = async (userId: string) =>
  (await service.query(
    `SELECT id, target_role, status, membership_id FROM promotion_candidates WHERE user_id = $1 ORDER BY seq`,
    [userId],
  )) as { id: string; target_role: string; status: string; membership_id: string }[];

const outboxPayloads = async (topicPart: string, key: string) =>
  (
    await service.query(`SELECT payload FROM outbox WHERE topic LIKE $1 AND message_key = $2 ORDER BY created_at`, [
      `%${topicPart}%`,
      key,
    ])
  ).map((row) => row.payload as Record<string, unknown>);

const APPROVE_ORGANIZATION = `mutation($id: ID!) { approveOrganization(id: $id) { id status } }`;
const REGISTER = `mutation($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id name } }`;
const DECLINE = `mutation($id: ID!, $reason: String!) { declinePromotion(candidateId: $id, reason: $reason) { status } }`;
const APPROVE_PROMOTION = `mutation($id: ID!) { approvePromotion(candidateId: $id) { status } }`;
const LEAVE = `mutation($id: ID!) { leaveOrganization(organizationId: $id) { status } }`;

describe('two-person rule', () => {
  it('a committee member cannot approve the organization they registered (SELF_APPROVAL); another one can', async () => {
    const registrant = await service.person(['RESIDENT', 'COMMITTEE']);
    const id = await gql.register(registrant, {
      name: `自批组织${randomUUID().slice(0, 6)}`,
      kind: 'INTEREST_CLUB',
      description: '自己登记自己批准',
      joinPolicy: 'OPEN',
    });
    const self = await gql.request(APPROVE_ORGANIZATION, { id }, registrant);
    expect(gql.errorOf(self)).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_APPROVAL' });
    const [row] = await service.query(`SELECT status FROM organizations WHERE id = $1`, [id]);
    expect(row.status).toBe('PENDING_APPROVAL');
    const approved = await gql.data<{ approveOrganization: { status: string } }>(
      APPROVE_ORGANIZATION,
      { id },
      committee,
    );
    expect(approved.approveOrganization.status).toBe('ACTIVE');
  });
});

describe('a declined promotion', () => {
  it('does not come back when the resident leaves and rejoins an OPEN organization', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee, { joinPolicy: 'OPEN' });
    const resident = await service.person();
    await gql.join(resident, id);
    await deliver(tierReachedEvent(resident.id, 'ACTIVIST', 120));
    const [candidate] = await candidatesOf(resident.id);
    await gql.data(DECLINE, { id: candidate.id, reason: '请先多参加几次活动' }, leader);

    await gql.data(LEAVE, { id }, resident);
    const rejoined = await gql.join(resident, id);
    expect(rejoined.id).not.toBe(candidate.membership_id);
    expect((await candidatesOf(resident.id)).map((row) => row.status)).toEqual(['DECLINED']);

    // A new, higher tier is a new fact: it may be offered again.
    await deliver(tierReachedEvent(resident.id, 'BACKBONE', 520));
    expect((await candidatesOf(resident.id)).map((row) => [row.target_role, row.status])).toEqual([
      ['ACTIVIST', 'DECLINED'],
      ['ACTIVIST', 'ELIGIBLE'],
    ]);
  });
});

describe('names', () => {
  it.each([
    ['a zero-width space', '桃源\u200B志愿服务队'],
    ['a right-to-left override', '\u202E队务服愿志源桃'],
    ['a zero-width joiner', '桃源\u200D合唱团'],
  ])('an organization name with %s is BAD_USER_INPUT on name, and nothing is written', async (_what, name) => {
    const who = await service.person();
    const response = await gql.request(
      REGISTER,
      { input: { name, kind: 'INTEREST_CLUB', description: '冒名', joinPolicy: 'OPEN' } },
      who,
    );
    expect(gql.errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(await service.query(`SELECT 1 FROM organizations WHERE registered_by = $1`, [who.id])).toEqual([]);
  });

  it('Chinese names still round-trip', async () => {
    const who = await service.person();
    const response = await gql.data<{ registerOrganization: { name: string } }>(
      REGISTER,
      { input: { name: '桃源居·银龄合唱团', kind: 'INTEREST_CLUB', description: '每周三排练', joinPolicy: 'OPEN' } },
      who,
    );
    expect(response.registerOrganization.name).toBe('桃源居·银龄合唱团');
  });
});

describe('versions on every membership and status fact', () => {
  it('joined, promoted, left and a rejoin carry increasing versions per membership; status changes carry the organization’s', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee, { joinPolicy: 'OPEN' });
    const resident = await service.person();
    const first = await gql.join(resident, id);
    await deliver(tierReachedEvent(resident.id, 'ACTIVIST', 120));
    const [candidate] = await candidatesOf(resident.id);
    await gql.data(APPROVE_PROMOTION, { id: candidate.id }, leader);
    await gql.data(LEAVE, { id }, resident);
    const second = await gql.join(resident, id);

    const facts = [
      ...(await outboxPayloads('member.joined', resident.id)),
      ...(await outboxPayloads('member.promoted', resident.id)),
      ...(await outboxPayloads('member.left', resident.id)),
    ];
    const versionsOf = (membershipId: string) =>
      facts
        .filter((fact) => fact.membershipId === membershipId)
        .map((fact) => fact.membershipVersion as number)
        .sort((a, b) => a - b);
    // Created PENDING (1), activated (2), promoted (3), left (4): one version per change, none repeated.
    expect(versionsOf(first.id)).toEqual([2, 3, 4]);
    expect(facts.find((fact) => fact.membershipId === first.id && fact.reason === 'LEFT')).toMatchObject({
      role: 'ACTIVIST',
      membershipVersion: 4,
    });
    expect(versionsOf(second.id)).toEqual([2]);

    await gql.data(`mutation($id: ID!) { suspendOrganization(id: $id, reason: "账目不清") { id } }`, { id }, committee);
    await gql.data(`mutation($id: ID!) { reinstateOrganization(id: $id, reason: "已整改") { id } }`, { id }, committee);
    const statuses = await outboxPayloads('organization.status-changed', id);
    expect(statuses.map((fact) => [fact.toStatus, fact.statusVersion])).toEqual([
      ['ACTIVE', 2],
      ['SUSPENDED', 3],
      ['ACTIVE', 4],
    ]);
  });
});

describe('stable reasons', () => {
  it('LAST_LEADER, ALREADY_MEMBER, COMMITTEE_ONLY, OTHER_COMMUNITY and LEADER_LIMIT', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee, { joinPolicy: 'OPEN' });
    expect(gql.errorOf(await gql.request(LEAVE, { id }, leader))).toMatchObject({
      code: 'CONFLICT',
      reason: 'LAST_LEADER',
    });

    const member = await service.person();
    await gql.join(member, id);
    const again = await gql.request(
      `mutation($id: ID!) { joinOrganization(organizationId: $id) { id } }`,
      { id },
      member,
    );
    expect(gql.errorOf(again)).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_MEMBER' });

    const pending = await gql.register(member, {
      name: `待批组织${randomUUID().slice(0, 6)}`,
      kind: 'OTHER',
      description: '待批',
    });
    expect(gql.errorOf(await gql.request(APPROVE_ORGANIZATION, { id: pending }, member))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'COMMITTEE_ONLY',
    });
    const foreignCommittee = await service.person(['RESIDENT', 'COMMITTEE'], DEMO_COMMUNITIES[1].id);
    expect(gql.errorOf(await gql.request(APPROVE_ORGANIZATION, { id: pending }, foreignCommittee))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OTHER_COMMUNITY',
    });

    // With one leader allowed per organization, a second LEADER promotion is refused.
    await gql.data(
      `mutation { setOrganizationLeaderLimit(maxLeadersPerOrganization: 1) { maxLeadersPerOrganization } }`,
      {},
      committee,
    );
    await service.query(`UPDATE memberships SET role = 'BACKBONE' WHERE organization_id = $1 AND user_id = $2`, [
      id,
      member.id,
    ]);
    await deliver(tierReachedEvent(member.id, 'LEADER', 1600));
    const [candidate] = (await candidatesOf(member.id)).filter((row) => row.status === 'ELIGIBLE');
    expect(candidate?.target_role).toBe('LEADER');
    expect(gql.errorOf(await gql.request(APPROVE_PROMOTION, { id: candidate.id }, committee))).toMatchObject({
      code: 'CONFLICT',
      reason: 'LEADER_LIMIT',
    });

    // A BACKBONE organizes, but the status history (with the committee's reasons) is for leaders and staff.
    const history = await gql.request(
      `query($id: ID!) { organization(id: $id) { statusHistory { toStatus } } }`,
      { id },
      member,
    );
    expect(gql.errorOf(history)).toMatchObject({ code: 'FORBIDDEN', reason: 'STAFF_OR_LEADER_ONLY' });
  });
});
