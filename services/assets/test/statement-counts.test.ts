import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { countStatements, graphqlData } from '@taoyuan/testing';
import { createFacility, openFund, shanghai, startAssetsForTests, type AssetsUnderTest } from './support/start-assets';

/**
 * Every list this subgraph offers costs a fixed number of SQL statements, whatever the number of parent rows: the
 * per-row fields (campaign figures and votes, donation, booking and ledger pages, facilities, funds, approvals) go
 * through DataLoaders, paged child lists through one windowed statement. Unpaged lists (campaigns, facilities, funds)
 * are measured at 5 and again after growing to 50; paged ones and `_entities` with 5 and 50.
 */
let service: AssetsUnderTest;
interface Person {
  id: string;
  token: string;
}
let worker: Person;
let committee: Person;
let unrestrictedFund: string;
const residents: Person[] = [];
const organizations: string[] = [];
const campaigns: string[] = [];
/** The first few residents donate and book twice: a next page exists. */
const WITH_SECOND_PAGE = 3;

async function person(roles: ('RESIDENT' | 'COMMUNITY_WORKER' | 'COMMITTEE')[] = ['RESIDENT']): Promise<Person> {
  const id = randomUUID();
  return { id, token: await service.token(id, TAOYUANJU.id, roles) };
}

const call = <T>(query: string, variables: Record<string, unknown>, who: Person) =>
  graphqlData<T>(service.url, query, variables, { token: who.token });

async function donate(donor: Person, campaignId: string, amountFen: number): Promise<void> {
  const { donate: pledge } = await call<{ donate: { id: string } }>(
    `mutation($input: DonateInput!) { donate(input: $input) { id } }`,
    { input: { campaignId, amountFen, anonymous: false, message: '一点心意' } },
    donor,
  );
  await call(
    `mutation($id: ID!, $ref: String!) { confirmDonation(donationId: $id, paymentReference: $ref) { id } }`,
    { id: pledge.id, ref: `转账${randomUUID().slice(0, 8)}` },
    worker,
  );
}

async function book(booker: Person, facilityId: string, organizationId: string, days: number): Promise<void> {
  await call(
    `mutation($input: BookFacilityInput!) { bookFacility(input: $input) { id } }`,
    {
      input: {
        facilityId,
        organizationId,
        startsAt: shanghai(days, 14),
        endsAt: shanghai(days, 16),
        purpose: '四点半课堂',
        attendees: 12,
      },
    },
    booker,
  );
}

/** Adds campaigns, donors, facilities, organizations' bookings and expenses until there are `count` of each. */
async function growTo(count: number): Promise<void> {
  for (let index = residents.length; index < count; index += 1) {
    const resident = await person();
    residents.push(resident);
    const organizationId = randomUUID();
    organizations.push(organizationId);
    // What organizations' member.joined as BACKBONE leaves in assets' projection.
    await service.db.query(
      `INSERT INTO organization_members (membership_id, organization_id, user_id, community_id, role, active,
                                         membership_version)
       VALUES ($1, $2, $3, $4, 'BACKBONE', true, 1)`,
      [randomUUID(), organizationId, resident.id, TAOYUANJU.id],
    );
    const { proposeCampaign } = await call<{ proposeCampaign: { id: string } }>(
      `mutation($input: ProposeCampaignInput!) { proposeCampaign(input: $input) { id } }`,
      {
        input: {
          title: `第${index + 1}栋楼道加装扶手`,
          purpose: '为楼道加装扶手，方便老人上下楼。',
          goalFen: 500_000,
          opensAt: new Date(Date.now() + 3600_000),
          closesAt: new Date(Date.now() + 30 * 86_400_000),
          requiresVote: false,
        },
      },
      worker,
    );
    campaigns.push(proposeCampaign.id);
    await call(`mutation($id: ID!) { approveCampaign(campaignId: $id) { id } }`, { id: proposeCampaign.id }, committee);
    await service.db.query(`UPDATE campaigns SET opens_at = now() - interval '1 second' WHERE id = $1`, [
      proposeCampaign.id,
    ]);
    await donate(resident, proposeCampaign.id, 10_000 * (index + 1));
    const facilityId = await createFacility(service.url, worker.token, { name: `${index + 1}号活动室` });
    await book(resident, facilityId, organizationId, 2);
    if (index < WITH_SECOND_PAGE) {
      await donate(resident, proposeCampaign.id, 500);
      await book(resident, facilityId, organizationId, 3);
    }
    const { proposeExpense } = await call<{ proposeExpense: { id: string } }>(
      `mutation($input: ProposeExpenseInput!) { proposeExpense(input: $input) { id } }`,
      {
        input: {
          fundId: unrestrictedFund,
          category: 'OPERATING_EXPENSE',
          amountFen: 2_000,
          payee: '桃源居五金店',
          purpose: `${index + 1}号活动室换灯管`,
          receiptReference: `发票${index + 1}`,
        },
      },
      worker,
    );
    await call(`mutation($id: ID!) { approveExpense(expenseId: $id) { id } }`, { id: proposeExpense.id }, committee);
  }
}

const QUERIES = {
  campaigns: `{ campaigns { id title raisedFen spentFen donorCount votesCast myHouseholdVote result { yes }
    donations(first: 1) { edges { node { amountFen donor { id } } } pageInfo { hasNextPage } } } }`,
  facilities: `{ facilities { id name capacity openingHours { weekday } rules { bookableBy } } }`,
  funds: `{ funds { id kind campaignId balanceFen
    entries(first: 1) { edges { node { amountFen direction category } } pageInfo { hasNextPage } } } }`,
  assets: `{ assets { id name } }`,
  expenses: `query($first: Int) { expenses(first: $first) { edges { node { id purpose status approvedBy { id } } }
    pageInfo { hasNextPage } } }`,
  users: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { id
    bookings(first: 1) { edges { node { purpose facility { name } organization { id } bookedBy { id } } }
      pageInfo { hasNextPage } }
    donations(first: 1) { edges { node { amountFen campaignId } } pageInfo { hasNextPage } } } } }`,
  organizations: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { id
    bookings(first: 1) { edges { node { purpose facility { name } } } pageInfo { hasNextPage } } } } }`,
  communities: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Community { id
    funds { kind balanceFen } facilities { name } } } }`,
};
type QueryName = keyof typeof QUERIES;

/** Variables for a list of `count`: `first` for paged lists, representations for `_entities`. */
function variables(name: QueryName, count: number): Record<string, unknown> {
  if (name === 'users') return { reps: residents.slice(0, count).map(({ id }) => ({ __typename: 'User', id })) };
  if (name === 'organizations')
    return { reps: organizations.slice(0, count).map((id) => ({ __typename: 'Organization', id })) };
  // Communities are few; the same community asked many times still resolves each representation.
  if (name === 'communities')
    return { reps: Array.from({ length: count }, () => ({ __typename: 'Community', id: TAOYUANJU.id })) };
  return { first: count };
}

async function measure<Data>(name: QueryName, count: number) {
  const gateway = ['users', 'organizations', 'communities'].includes(name);
  return countStatements(service.server.deps.queries, () =>
    graphqlData<Data>(service.url, QUERIES[name], variables(name, count), {
      token: worker.token,
      ...(gateway ? { asGatewayTo: 'assets' } : {}),
    }),
  );
}

const atFive = new Map<QueryName, number>();

beforeAll(async () => {
  // The cost limit would refuse fifty parents with every nested list; what is measured here is SQL.
  service = await startAssetsForTests({ env: { MAX_COST: '1000000' } });
  worker = await person(['RESIDENT', 'COMMUNITY_WORKER']);
  committee = await person(['RESIDENT', 'COMMITTEE']);
  unrestrictedFund = await openFund(service.url, worker.token, 'UNRESTRICTED');
  await call(
    `mutation($input: RecordIncomeInput!) { recordIncome(input: $input) { id } }`,
    {
      input: {
        fundId: unrestrictedFund,
        category: 'GRANT',
        amountFen: 1_000_000,
        memo: '街道办社区服务经费',
        sourceReference: '街道拨款2026-11',
      },
    },
    worker,
  );
  await growTo(5);
  for (const name of Object.keys(QUERIES) as QueryName[]) atFive.set(name, (await measure(name, 5)).statements);
  await growTo(50);
}, 300_000);
afterAll(() => service?.stop());

interface Page<Node> {
  edges: { node: Node }[];
  pageInfo: { hasNextPage: boolean };
}

describe('SQL statements do not grow with the list', () => {
  it('campaigns with their figures, household vote and a page of donations: the same at 5 and 50', async () => {
    type Node = {
      id: string;
      title: string;
      raisedFen: number;
      donorCount: number;
      donations: Page<{ amountFen: number; donor: { id: string } }>;
    };
    const { result, statements } = await measure<{ campaigns: Node[] }>('campaigns', 50);
    expect(result.campaigns).toHaveLength(50);
    const byId = new Map(result.campaigns.map((campaign) => [campaign.id, campaign]));
    expect(byId.get(campaigns[11])).toMatchObject({ title: '第12栋楼道加装扶手', raisedFen: 120_000, donorCount: 1 });
    expect(byId.get(campaigns[11])?.donations.edges.map((edge) => edge.node)).toEqual([
      { amountFen: 120_000, donor: { id: residents[11].id } },
    ]);
    expect(byId.get(campaigns[11])?.donations.pageInfo.hasNextPage).toBe(false);
    expect(byId.get(campaigns[1])).toMatchObject({ raisedFen: 20_500, donorCount: 1 });
    expect(byId.get(campaigns[1])?.donations.edges.map((edge) => edge.node.amountFen)).toEqual([500]);
    expect(byId.get(campaigns[1])?.donations.pageInfo.hasNextPage).toBe(true);
    expect(statements).toBe(atFive.get('campaigns'));
  });

  it('facilities and the asset register: the same at 5 and 50', async () => {
    const facilities = await measure<{ facilities: { name: string }[] }>('facilities', 50);
    expect(facilities.result.facilities).toHaveLength(50);
    expect(facilities.result.facilities.map((facility) => facility.name)).toContain('37号活动室');
    expect(facilities.statements).toBe(atFive.get('facilities'));
    const assets = await measure<{ assets: unknown[] }>('assets', 50);
    expect(assets.result.assets).toHaveLength(50);
    expect(assets.statements).toBe(atFive.get('assets'));
  });

  it('funds (one per campaign) with a page of their ledger: the same at 5 and 50', async () => {
    type Node = {
      kind: string;
      campaignId: string | null;
      balanceFen: number;
      entries: Page<{ amountFen: number; category: string }>;
    };
    const { result, statements } = await measure<{ funds: Node[] }>('funds', 50);
    expect(result.funds).toHaveLength(51);
    const second = result.funds.find((fund) => fund.campaignId === campaigns[1]);
    expect(second).toMatchObject({ kind: 'DESIGNATED', balanceFen: 20_500 });
    expect(second?.entries.edges.map((edge) => edge.node)).toEqual([
      { amountFen: 500, direction: 'IN', category: 'DONATION' },
    ]);
    expect(second?.entries.pageInfo.hasNextPage).toBe(true);
    const fortieth = result.funds.find((fund) => fund.campaignId === campaigns[39]);
    expect(fortieth?.entries.pageInfo.hasNextPage).toBe(false);
    expect(statements).toBe(atFive.get('funds'));
  });

  it('expenses with their approvers: the same at 5 and 50', async () => {
    type Node = { purpose: string; approvedBy: { id: string }[] };
    const { result, statements } = await measure<{ expenses: Page<Node> }>('expenses', 50);
    expect(result.expenses.edges).toHaveLength(50);
    expect(
      result.expenses.edges.every(({ node }) => node.approvedBy.length === 1 && node.approvedBy[0].id === committee.id),
    ).toBe(true);
    expect(statements).toBe(atFive.get('expenses'));
  });

  it('users resolved for the gateway with a page of bookings and donations: the same at 5 and 50', async () => {
    type Node = {
      id: string;
      bookings: Page<{ purpose: string; facility: { name: string }; organization: { id: string } }>;
      donations: Page<{ amountFen: number; campaignId: string }>;
    };
    const { result, statements } = await measure<{ _entities: Node[] }>('users', 50);
    const users = result._entities;
    expect(users.map((user) => user.id)).toEqual(residents.map((resident) => resident.id));
    expect(users[0].bookings.pageInfo.hasNextPage).toBe(true);
    expect(users[0].donations.pageInfo.hasNextPage).toBe(true);
    expect(users[22].bookings.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ facility: { name: '23号活动室' }, organization: { id: organizations[22] } }),
    ]);
    expect(users[22].bookings.pageInfo.hasNextPage).toBe(false);
    expect(users[22].donations.edges.map((edge) => edge.node)).toEqual([
      { amountFen: 230_000, campaignId: campaigns[22] },
    ]);
    expect(statements).toBe(atFive.get('users'));
  });

  it('organizations resolved for the gateway with a page of their bookings, for staff: the same at 5 and 50', async () => {
    type Node = { id: string; bookings: Page<{ facility: { name: string } }> };
    const { result, statements } = await measure<{ _entities: Node[] }>('organizations', 50);
    const entities = result._entities;
    expect(entities).toHaveLength(50);
    expect(entities[2].bookings.pageInfo.hasNextPage).toBe(true);
    expect(entities[44].bookings.edges.map((edge) => edge.node.facility.name)).toEqual(['45号活动室']);
    expect(entities[44].bookings.pageInfo.hasNextPage).toBe(false);
    expect(statements).toBe(atFive.get('organizations'));
  });

  it('communities resolved for the gateway with their funds and facilities: the same at 5 and 50', async () => {
    type Node = { funds: { kind: string }[]; facilities: { name: string }[] };
    const { result, statements } = await measure<{ _entities: Node[] }>('communities', 50);
    expect(result._entities).toHaveLength(50);
    expect(result._entities[49].funds).toHaveLength(51);
    expect(result._entities[49].facilities).toHaveLength(50);
    expect(statements).toBe(atFive.get('communities'));
  });
});
