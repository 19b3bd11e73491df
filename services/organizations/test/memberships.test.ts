import {
  api,
  startOrganizationsForTests,
  type OrganizationsUnderTest,
  type Person,
} from './support/start-organizations';

let service: OrganizationsUnderTest;
let gql: ReturnType<typeof api>;
let committee: Person;
let worker: Person;

beforeAll(async () => {
  service = await startOrganizationsForTests();
  gql = api(service);
  committee = await service.person(['RESIDENT', 'COMMITTEE']);
  worker = await service.person(['RESIDENT', 'COMMUNITY_WORKER']);
});
afterAll(() => service?.stop());

const JOIN = `mutation($id: ID!) { joinOrganization(organizationId: $id) { id status role } }`;
const LEAVE = `mutation($id: ID!) { leaveOrganization(organizationId: $id) { id status endedAt } }`;
const APPROVE = `mutation($id: ID!) { approveMembership(membershipId: $id) { id status joinedAt } }`;
const REJECT = `mutation($id: ID!, $reason: String!) { rejectMembership(membershipId: $id, reason: $reason) { id status } }`;
const REMOVE = `mutation($id: ID!, $reason: String!) { removeMember(membershipId: $id, reason: $reason) { id status endReason } }`;

const topicsFor = async (userId: string) =>
  (await service.query(`SELECT topic FROM outbox WHERE payload->>'userId' = $1 ORDER BY id`, [userId])).map((row) =>
    String(row.topic).replace(/^taoyuan\.organizations\.|\.v1$/g, ''),
  );

/** Sets a membership's role as promotions would have (the ladder itself is covered in promotions.test.ts). */
const setRole = (membershipId: string, role: string) =>
  service.query(`UPDATE memberships SET role = $2 WHERE id = $1`, [membershipId, role]);

describe('joining', () => {
  it('an OPEN organization takes a resident at once and announces it; a second join is CONFLICT', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee, { joinPolicy: 'OPEN' });
    const resident = await service.person();
    expect(await gql.join(resident, id)).toMatchObject({ status: 'ACTIVE', role: 'MEMBER' });
    expect(await topicsFor(resident.id)).toEqual(['member.joined']);
    expect(gql.errorOf(await gql.request(JOIN, { id }, resident))?.code).toBe('CONFLICT');
  });

  it('an APPROVAL organization records an application; a BACKBONE approves it, a MEMBER may not', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee, { joinPolicy: 'APPROVAL' });
    const member = await service.person();
    const backbone = await service.person();
    const applicant = await service.person();
    for (const who of [member, backbone]) {
      const application = await gql.join(who, id);
      await gql.data(APPROVE, { id: application.id }, leader);
    }
    const backboneMembership = await service.query(`SELECT id FROM memberships WHERE user_id = $1`, [backbone.id]);
    await setRole(String(backboneMembership[0].id), 'BACKBONE');

    const application = await gql.join(applicant, id);
    expect(application.status).toBe('PENDING');
    expect(await topicsFor(applicant.id)).toEqual([]);
    expect(gql.errorOf(await gql.request(APPROVE, { id: application.id }, member))?.code).toBe('FORBIDDEN');
    expect(gql.errorOf(await gql.request(APPROVE, { id: application.id }, applicant))?.code).toBe('FORBIDDEN');
    const approved = await gql.data<{ approveMembership: { status: string; joinedAt: string } }>(
      APPROVE,
      { id: application.id },
      backbone,
    );
    expect(approved.approveMembership.status).toBe('ACTIVE');
    expect(await topicsFor(applicant.id)).toEqual(['member.joined']);
    expect(gql.errorOf(await gql.request(APPROVE, { id: application.id }, leader))?.code).toBe('CONFLICT');
    const history = await service.query(
      `SELECT from_role, to_role, changed_by, reason FROM membership_role_changes WHERE membership_id = $1`,
      [application.id],
    );
    expect(history).toEqual([
      { from_role: null, to_role: 'MEMBER', changed_by: backbone.id, reason: 'application approved' },
    ]);
  });

  it('organizers reject applications with a reason; applicants withdraw theirs; both may apply again', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee, { joinPolicy: 'APPROVAL' });
    const applicant = await service.person();
    const first = await gql.join(applicant, id);
    await gql.data(REJECT, { id: first.id, reason: '名额已满' }, leader);
    const second = await gql.join(applicant, id);
    const withdrawn = await gql.data<{ leaveOrganization: { status: string } }>(LEAVE, { id }, applicant);
    expect(withdrawn.leaveOrganization.status).toBe('LEFT');
    expect(await topicsFor(applicant.id)).toEqual([]);
    const mine = await gql.asGateway<{ _entities: { memberships: { status: string; endReason: string | null }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { memberships { status endReason } } } }`,
      { reps: [{ __typename: 'User', id: applicant.id }] },
      applicant,
    );
    expect(mine._entities[0].memberships).toEqual([
      { status: 'REJECTED', endReason: '名额已满' },
      { status: 'LEFT', endReason: 'application withdrawn' },
    ]);
    expect(second.status).toBe('PENDING');
  });

  it('residents of another community cannot join; unknown organizations are NOT_FOUND', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const stranger = await service.person(['RESIDENT'], '6f1c2d3e-0000-4000-8000-000000000002');
    expect(gql.errorOf(await gql.request(JOIN, { id }, stranger))?.code).toBe('FORBIDDEN');
    const resident = await service.person();
    expect(gql.errorOf(await gql.request(JOIN, { id: '00000000-0000-4000-8000-000000000000' }, resident))?.code).toBe(
      'NOT_FOUND',
    );
    expect(gql.errorOf(await gql.request(JOIN, { id: 'x' }, resident))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'organizationId',
    });
  });
});

describe('leaving and removal', () => {
  it('the last leader cannot leave; once another member leads, they can', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const refused = await gql.request(LEAVE, { id }, leader);
    expect(gql.errorOf(refused)?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/last leader/);
    const successor = await service.person();
    const membership = await gql.join(successor, id);
    await setRole(membership.id, 'LEADER');
    const left = await gql.data<{ leaveOrganization: { status: string; endedAt: string } }>(LEAVE, { id }, leader);
    expect(left.leaveOrganization.status).toBe('LEFT');
    expect(await topicsFor(leader.id)).toEqual(['member.joined', 'member.left']);
    expect(gql.errorOf(await gql.request(LEAVE, { id }, successor))?.code).toBe('CONFLICT');
  });

  it('two leaders leaving at the same moment: exactly one may go', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const second = await service.person();
    await setRole((await gql.join(second, id)).id, 'LEADER');
    const results = await Promise.all([leader, second].map((who) => gql.request(LEAVE, { id }, who)));
    expect(results.map((result) => result.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const leaders = await service.query(
      `SELECT count(*)::int AS n FROM memberships WHERE organization_id = $1 AND status = 'ACTIVE' AND role = 'LEADER'`,
      [id],
    );
    expect(leaders).toEqual([{ n: 1 }]);
  });

  it('a leader removes a member with a reason; a leader of another organization may not; leaders need the committee', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const otherLeader = await service.person();
    await gql.activeOrganization(otherLeader, committee);
    const member = await service.person();
    const membership = await gql.join(member, id);
    expect(gql.errorOf(await gql.request(REMOVE, { id: membership.id, reason: '多次缺席' }, otherLeader))?.code).toBe(
      'FORBIDDEN',
    );
    expect(gql.errorOf(await gql.request(REMOVE, { id: membership.id, reason: '' }, leader))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    const removed = await gql.data<{ removeMember: { status: string; endReason: string } }>(
      REMOVE,
      { id: membership.id, reason: '多次缺席' },
      leader,
    );
    expect(removed.removeMember).toEqual({ id: membership.id, status: 'REMOVED', endReason: '多次缺席' });
    expect(await topicsFor(member.id)).toEqual(['member.joined', 'member.left']);
    const left = await service.query(
      `SELECT payload->>'reason' AS reason FROM outbox WHERE topic LIKE '%member.left%' AND payload->>'userId' = $1`,
      [member.id],
    );
    expect(left).toEqual([{ reason: 'REMOVED' }]);

    const coLeader = await service.person();
    const coLeadership = await gql.join(coLeader, id);
    await setRole(coLeadership.id, 'LEADER');
    expect(gql.errorOf(await gql.request(REMOVE, { id: coLeadership.id, reason: '分工调整' }, leader))?.code).toBe(
      'FORBIDDEN',
    );
    await gql.data(REMOVE, { id: coLeadership.id, reason: '分工调整' }, committee);
    const self = await gql.request(
      REMOVE,
      {
        id: (await service.query(`SELECT id FROM memberships WHERE user_id = $1`, [leader.id]))[0].id,
        reason: '我走了',
      },
      leader,
    );
    expect(gql.errorOf(self)?.code).toBe('BAD_USER_INPUT');
  });
});

describe('reading memberships', () => {
  it('active members are listed to residents of the community; applications only to organizers and staff', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee, { joinPolicy: 'APPROVAL' });
    const applicant = await service.person();
    await gql.join(applicant, id);
    const MEMBERS = `query($id: ID!, $status: MembershipStatus) {
      organization(id: $id) { members(status: $status) { edges { node { user { id } status } } } }
    }`;
    const resident = await service.person();
    const active = await gql.data<{ organization: { members: { edges: unknown[] } } }>(MEMBERS, { id }, resident);
    expect(active.organization.members.edges).toHaveLength(1);
    expect(gql.errorOf(await gql.request(MEMBERS, { id, status: 'PENDING' }, resident))?.code).toBe('FORBIDDEN');
    for (const who of [leader, worker]) {
      const pending = await gql.data<{ organization: { members: { edges: { node: { user: { id: string } } }[] } } }>(
        MEMBERS,
        { id, status: 'PENDING' },
        who,
      );
      expect(pending.organization.members.edges.map((edge) => edge.node.user.id)).toEqual([applicant.id]);
    }
    const myMembership = await gql.data<{ organization: { myMembership: { status: string } | null } }>(
      `query($id: ID!) { organization(id: $id) { myMembership { status } } }`,
      { id },
      applicant,
    );
    expect(myMembership.organization.myMembership).toEqual({ status: 'PENDING' });
  });

  it('another resident sees only active memberships of a user', async () => {
    const leader = await service.person();
    const open = await gql.activeOrganization(leader, committee, { joinPolicy: 'OPEN' });
    const closed = await gql.activeOrganization(leader, committee, { joinPolicy: 'APPROVAL' });
    const resident = await service.person();
    await gql.join(resident, open);
    await gql.join(resident, closed);
    const USER = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { memberships { status } } } }`;
    const reps = [{ __typename: 'User', id: resident.id }];
    const neighbour = await service.person();
    const seen = await gql.asGateway<{ _entities: { memberships: { status: string }[] }[] }>(USER, { reps }, neighbour);
    expect(seen._entities[0].memberships).toEqual([{ status: 'ACTIVE' }]);
    const own = await gql.asGateway<{ _entities: { memberships: { status: string }[] }[] }>(USER, { reps }, resident);
    expect(own._entities[0].memberships).toEqual([{ status: 'ACTIVE' }, { status: 'PENDING' }]);
  });
});
