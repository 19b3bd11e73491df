import { DEMO_COMMUNITIES } from '@taoyuan/demo-data';
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
let founder: Person;
let resident: Person;

beforeAll(async () => {
  service = await startOrganizationsForTests();
  gql = api(service);
  committee = await service.person(['RESIDENT', 'COMMITTEE']);
  worker = await service.person(['RESIDENT', 'COMMUNITY_WORKER']);
  founder = await service.person();
  resident = await service.person();
});
afterAll(() => service?.stop());

const REGISTER = `mutation($input: RegisterOrganizationInput!) {
  registerOrganization(input: $input) { id name status joinPolicy kind contact communityId }
}`;
const ORGANIZATION = `query($id: ID!) {
  organization(id: $id) { id name status approvedAt leaders { id } memberCount registeredBy { id }
    members { edges { node { role status user { id } } } } }
}`;
const DECIDE = (verb: string) =>
  `mutation($id: ID!, $reason: String!) { ${verb}(id: $id, reason: $reason) { id status } }`;

const register = (who: Person, input: Record<string, unknown>) =>
  gql.request<{ registerOrganization: { id: string; status: string } }>(REGISTER, { input }, who);

describe('registering and approving organizations', () => {
  it('a resident registers an organization; it waits for the committee and only they and staff see it', async () => {
    const response = await register(founder, {
      name: '  太极拳社  ',
      kind: 'INTEREST_CLUB',
      description: '每天清晨在中心广场',
      contact: '中心广场东侧',
    });
    const organization = response.data!.registerOrganization;
    expect(organization).toMatchObject({
      name: '太极拳社',
      status: 'PENDING_APPROVAL',
      joinPolicy: 'APPROVAL',
      communityId: founder.communityId,
    });
    const seenBy = async (who: Person | undefined) =>
      (await gql.request<{ organization: unknown }>(ORGANIZATION, { id: organization.id }, who)).data?.organization;
    expect(await seenBy(founder)).not.toBeNull();
    expect(await seenBy(worker)).not.toBeNull();
    expect(await seenBy(resident)).toBeNull();
    expect(await seenBy(undefined)).toBeNull();
  });

  it('approval by the committee makes it ACTIVE, the registrant its first LEADER, and announces both', async () => {
    const id = await gql.register(founder, { name: '环保小队', kind: 'VOLUNTEER_TEAM', description: '垃圾分类宣传' });
    await gql.approve(committee, id);
    const data = await gql.data<{
      organization: {
        status: string;
        approvedAt: string;
        leaders: { id: string }[];
        memberCount: number;
        members: { edges: { node: { role: string; user: { id: string } } }[] };
      };
    }>(ORGANIZATION, { id }, resident);
    expect(data.organization.status).toBe('ACTIVE');
    expect(data.organization.leaders).toEqual([{ id: founder.id }]);
    expect(data.organization.memberCount).toBe(1);
    expect(data.organization.members.edges.map((edge) => edge.node)).toEqual([
      { role: 'LEADER', status: 'ACTIVE', user: { id: founder.id } },
    ]);
    const outbox = await service.query(
      `SELECT topic, payload FROM outbox WHERE payload->>'organizationId' = $1 ORDER BY id`,
      [id],
    );
    expect(outbox.map((row) => row.topic)).toEqual([
      'taoyuan.organizations.organization.status-changed.v1',
      'taoyuan.organizations.organization.approved.v1',
      'taoyuan.organizations.member.joined.v1',
    ]);
    expect(outbox[0].payload).toMatchObject({ organizationId: id, fromStatus: 'PENDING_APPROVAL', toStatus: 'ACTIVE' });
    expect(outbox[1].payload).toMatchObject({ organizationId: id, name: '环保小队', approvedBy: committee.id });
    expect(outbox[2].payload).toMatchObject({ userId: founder.id, role: 'LEADER' });
    const history = await service.query(
      `SELECT from_role, to_role, changed_by, reason FROM membership_role_changes WHERE organization_id = $1`,
      [id],
    );
    expect(history).toEqual([
      { from_role: null, to_role: 'LEADER', changed_by: committee.id, reason: 'registered the organization' },
    ]);
  });

  it('names are unique per community ignoring case; another community may use the same name', async () => {
    await gql.register(founder, { name: 'Dance Club', kind: 'INTEREST_CLUB', description: '' });
    const again = await register(resident, { name: 'dance club', kind: 'INTEREST_CLUB', description: '' });
    expect(gql.errorOf(again)).toMatchObject({ code: 'CONFLICT' });
    const elsewhere = await service.person(['RESIDENT'], DEMO_COMMUNITIES[1].id);
    expect((await register(elsewhere, { name: 'Dance Club', kind: 'INTEREST_CLUB', description: '' })).errors).toBe(
      undefined,
    );
  });

  it('two residents registering the same name at the same moment: one wins, the other gets CONFLICT', async () => {
    const other = await service.person();
    const results = await Promise.all(
      [founder, other].map((who) => register(who, { name: '同名竞速队', kind: 'OTHER', description: '' })),
    );
    expect(results.filter((result) => !result.errors).length).toBe(1);
    expect(results.map((result) => result.errors?.[0]?.extensions?.code).filter(Boolean)).toEqual(['CONFLICT']);
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const before = await service.query(`SELECT count(*)::int AS n FROM organizations`);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', kind: 'OTHER', description: '' }, 'name'],
      [{ name: '好名字', kind: 'OTHER', description: 'a'.repeat(2001) }, 'description'],
      [{ name: '好名字', kind: 'OTHER', description: '', contact: 'a\u0007b' }, 'contact'],
    ];
    for (const [input, field] of cases) {
      expect(gql.errorOf(await register(resident, input))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const badEnum = await register(resident, { name: '好名字', kind: 'CASINO', description: '' });
    expect(gql.errorOf(badEnum)?.code).toBe('BAD_USER_INPUT');
    expect(await service.query(`SELECT count(*)::int AS n FROM organizations`)).toEqual(before);
  });

  it('signed out is UNAUTHENTICATED; only a committee member of the same community decides', async () => {
    expect(
      gql.errorOf(await register(undefined as unknown as Person, { name: '匿名', kind: 'OTHER', description: '' }))
        ?.code,
    ).toBe('UNAUTHENTICATED');
    const id = await gql.register(founder, { name: '待审社团', kind: 'OTHER', description: '' });
    const approve = `mutation($id: ID!) { approveOrganization(id: $id) { id } }`;
    expect(gql.errorOf(await gql.request(approve, { id }, worker))?.code).toBe('FORBIDDEN');
    expect(gql.errorOf(await gql.request(approve, { id }, founder))?.code).toBe('FORBIDDEN');
    const foreignCommittee = await service.person(['RESIDENT', 'COMMITTEE'], DEMO_COMMUNITIES[1].id);
    expect(gql.errorOf(await gql.request(approve, { id }, foreignCommittee))?.code).toBe('FORBIDDEN');
    expect(
      gql.errorOf(await gql.request(approve, { id: '00000000-0000-4000-8000-000000000000' }, committee))?.code,
    ).toBe('NOT_FOUND');
    expect(gql.errorOf(await gql.request(approve, { id: 'nope' }, committee))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
  });

  it('rejection needs a reason, frees the name, and is kept in the status history', async () => {
    const id = await gql.register(founder, { name: '被拒社团', kind: 'OTHER', description: '' });
    const empty = await gql.request(DECIDE('rejectOrganization'), { id, reason: '  ' }, committee);
    expect(gql.errorOf(empty)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    await gql.data(DECIDE('rejectOrganization'), { id, reason: '与现有组织重复' }, committee);
    const again = await gql.request(DECIDE('rejectOrganization'), { id, reason: '再拒一次' }, committee);
    expect(gql.errorOf(again)?.code).toBe('CONFLICT');
    expect((await register(resident, { name: '被拒社团', kind: 'OTHER', description: '' })).errors).toBeUndefined();
    const history = await gql.data<{ organization: { statusHistory: { toStatus: string; reason: string | null }[] } }>(
      `query($id: ID!) { organization(id: $id) { statusHistory { toStatus reason } } }`,
      { id },
      worker,
    );
    expect(history.organization.statusHistory).toEqual([
      { toStatus: 'PENDING_APPROVAL', reason: null },
      { toStatus: 'REJECTED', reason: '与现有组织重复' },
    ]);
  });

  it('suspension stops joining; reinstatement allows it again; dissolution ends every membership', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const member = await service.person();
    const membership = await gql.join(member, id);
    await gql.data(DECIDE('suspendOrganization'), { id, reason: '账目不清，待核查' }, committee);
    const newcomer = await service.person();
    const blocked = await gql.request(
      `mutation($id: ID!) { joinOrganization(organizationId: $id) { id } }`,
      { id },
      newcomer,
    );
    expect(gql.errorOf(blocked)?.code).toBe('CONFLICT');
    await gql.data(DECIDE('reinstateOrganization'), { id, reason: '核查完毕' }, committee);
    await gql.join(newcomer, id);
    const dissolved = await gql.data<{ dissolveOrganization: { status: string } }>(
      DECIDE('dissolveOrganization'),
      { id, reason: '成员一致同意解散' },
      committee,
    );
    expect(dissolved.dissolveOrganization.status).toBe('DISSOLVED');
    const memberships = await service.query(
      `SELECT status, end_reason FROM memberships WHERE organization_id = $1 ORDER BY seq`,
      [id],
    );
    expect(memberships.map((row) => row.status)).toEqual(['REMOVED', 'REMOVED', 'REMOVED']);
    const left = await service.query(
      `SELECT payload->>'userId' AS user_id, payload->>'reason' AS reason FROM outbox
       WHERE topic = 'taoyuan.organizations.member.left.v1' AND payload->>'organizationId' = $1`,
      [id],
    );
    expect(left).toHaveLength(3);
    expect(left).toContainEqual({ user_id: member.id, reason: 'REMOVED' });
    expect(membership.status).toBe('ACTIVE');
    const statusEvents = await service.query(
      `SELECT payload->>'fromStatus' AS from_status, payload->>'toStatus' AS to_status FROM outbox
       WHERE topic = 'taoyuan.organizations.organization.status-changed.v1' AND payload->>'organizationId' = $1 ORDER BY id`,
      [id],
    );
    // Volunteering stops the organization's backbones and leaders from organizing while it is suspended; the reason
    // (which may name people) stays out of the public event.
    expect(statusEvents).toEqual([
      { from_status: 'PENDING_APPROVAL', to_status: 'ACTIVE' },
      { from_status: 'ACTIVE', to_status: 'SUSPENDED' },
      { from_status: 'SUSPENDED', to_status: 'ACTIVE' },
      { from_status: 'ACTIVE', to_status: 'DISSOLVED' },
    ]);
  });
});

describe('listing organizations', () => {
  const LIST = `query($filter: OrganizationFilter, $first: Int, $after: String) {
    organizations(filter: $filter, first: $first, after: $after) {
      edges { cursor node { name kind } } pageInfo { hasNextPage endCursor }
    }
  }`;
  type ListData = {
    organizations: {
      edges: { node: { name: string; kind: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };

  it('pages through the active organizations of the caller’s community by name, with kind and search filters', async () => {
    const leader = await service.person();
    for (const name of ['甲-读书会', '乙-读书会', '丙-合唱团'])
      await gql.activeOrganization(leader, committee, { name });
    const names: string[] = [];
    let after: string | null = null;
    do {
      const page: ListData = await gql.data<ListData>(LIST, { first: 2, after, filter: { search: '-' } }, resident);
      names.push(...page.organizations.edges.map((edge) => edge.node.name));
      after = page.organizations.pageInfo.hasNextPage ? page.organizations.pageInfo.endCursor : null;
    } while (after);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['甲-读书会', '乙-读书会', '丙-合唱团']));
    const searched = await gql.data<ListData>(LIST, { filter: { search: '读书' } }, resident);
    expect(searched.organizations.edges.map((edge) => edge.node.name).sort()).toEqual(['乙-读书会', '甲-读书会']);
    const percent = await gql.data<ListData>(LIST, { filter: { search: '%' } }, resident);
    expect(percent.organizations.edges).toEqual([]);
  });

  it('needs a community when signed out; unapproved ones are listed for staff only; bad cursors are BAD_USER_INPUT', async () => {
    expect(gql.errorOf(await gql.request(LIST, {}))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'communityId' });
    const anonymous = await gql.data<ListData>(LIST, { filter: { communityId: resident.communityId } });
    expect(anonymous.organizations.edges.length).toBeGreaterThan(0);
    const pending = { filter: { status: 'PENDING_APPROVAL' } };
    expect(gql.errorOf(await gql.request(LIST, pending, resident))?.code).toBe('FORBIDDEN');
    expect((await gql.data<ListData>(LIST, pending, worker)).organizations.edges.length).toBeGreaterThan(0);
    expect(gql.errorOf(await gql.request(LIST, { after: 'garbage' }, resident))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    expect(gql.errorOf(await gql.request(LIST, { first: 1000 }, resident))).toMatchObject({ field: 'first' });
  });
});

describe('federation', () => {
  it('resolves Organization references in one query, hiding unapproved ones', async () => {
    const leader = await service.person();
    const active = await gql.activeOrganization(leader, committee);
    const pending = await gql.register(leader, { name: '尚未批准', kind: 'OTHER', description: '' });
    const { result, queries } = await service.server.deps.queries.record(() =>
      gql.asGateway<{ _entities: ({ id: string; name: string } | null)[] }>(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { id name } } }`,
        {
          reps: [active, pending, '00000000-0000-4000-8000-000000000000'].map((id) => ({
            __typename: 'Organization',
            id,
          })),
        },
        resident,
      ),
    );
    expect(result._entities).toEqual([expect.objectContaining({ id: active }), null, null]);
    expect(queries.filter((sql) => sql.includes('FROM "organizations"'))).toHaveLength(1);
  });

  it('extends User with memberships', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const data = await gql.asGateway<{
      _entities: { memberships: { role: string; organization: { id: string } }[] }[];
    }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { memberships { role organization { id } } } } }`,
      { reps: [{ __typename: 'User', id: leader.id }] },
      resident,
    );
    expect(data._entities[0].memberships).toEqual([{ role: 'LEADER', organization: { id } }]);
  });
});
