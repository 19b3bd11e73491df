import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { countStatements } from '@taoyuan/testing';
import {
  ADD_SLOT,
  client,
  CREATE_OFFERING,
  PUBLISH,
  REGISTER,
  startMarketplaceForTests,
  VERIFY,
  type MarketplaceUnderTest,
  type Person,
} from './support/start-marketplace';

/**
 * Every list this subgraph offers costs a fixed number of SQL statements, whatever the number of parent rows: the
 * per-row fields (providers, slots, ratings, reviews, orders and needs pages, an order's slot and review, an
 * organization's offerings) go through DataLoaders, paged child lists through one windowed statement.
 */
let market: MarketplaceUnderTest;
let api: ReturnType<typeof client>;
let worker: Person;
const PARENTS = 50;
/** The first few buyers order twice from their provider and post twice; their organization offers twice. */
const WITH_SECOND_PAGE = 3;
const organizations: string[] = [];
const buyers: Person[] = [];
const orderIds: string[] = [];

const ORDER_FIELDS = 'id status';
const mutate = (name: string) => `mutation($id: ID!) { ${name}(orderId: $id) { ${ORDER_FIELDS} } }`;

async function offering(leader: Person, providerId: string, title: string): Promise<{ id: string; slotId: string }> {
  const { createServiceOffering } = await api.data<{ createServiceOffering: { id: string } }>(
    CREATE_OFFERING,
    {
      input: {
        providerId,
        title,
        description: '志愿者上门为行动不便的长者理发',
        category: 'ELDERLY_CARE',
        targetGroups: ['ELDERLY_ALONE'],
        free: true,
      },
    },
    leader.token,
  );
  const startsAt = new Date(Date.now() + 86_400_000);
  const { addTimeSlot } = await api.data<{ addTimeSlot: { id: string } }>(
    ADD_SLOT,
    {
      id: createServiceOffering.id,
      input: { startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), capacity: 5 },
    },
    leader.token,
  );
  await api.data(PUBLISH, { id: createServiceOffering.id }, leader.token);
  return { id: createServiceOffering.id, slotId: addTimeSlot.id };
}

/** A free order, delivered, confirmed by the buyer and reviewed. */
async function completedOrder(buyer: Person, leader: Person, service: { id: string; slotId: string }, rating: number) {
  const { placeOrder } = await api.data<{ placeOrder: { id: string } }>(
    `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`,
    {
      input: {
        offeringId: service.id,
        slotId: service.slotId,
        payWith: 'FREE',
        quantity: 1,
        clientOrderId: randomUUID(),
      },
    },
    buyer.token,
  );
  await api.data(mutate('deliverOrder'), { id: placeOrder.id }, leader.token);
  await api.data(mutate('confirmDelivery'), { id: placeOrder.id }, buyer.token);
  await api.data(
    `mutation($id: ID!, $rating: Int!) { reviewOrder(orderId: $id, rating: $rating, comment: "师傅手艺好，很耐心") { id } }`,
    { id: placeOrder.id, rating },
    buyer.token,
  );
  return placeOrder.id;
}

async function postNeed(poster: Person, title: string): Promise<void> {
  await api.data(
    `mutation($input: PostNeedInput!) { postNeed(input: $input) { id } }`,
    {
      input: {
        title,
        description: '想请邻居帮忙',
        category: 'MUTUAL_AID',
        neededBy: new Date(Date.now() + 3 * 86_400_000),
        rewardPoints: 0,
      },
    },
    poster.token,
  );
}

beforeAll(async () => {
  // The cost limit would refuse fifty parents with every nested list; what is measured here is SQL. The sweeper's
  // statements would be counted too, so it stays asleep.
  market = await startMarketplaceForTests({ sweepIntervalMs: 3_600_000, env: { MAX_COST: '1000000' } });
  api = client(market.url);
  worker = await market.person(['RESIDENT', 'COMMUNITY_WORKER']);
  const committee = await market.person(['RESIDENT', 'COMMITTEE']);
  for (let index = 0; index < PARENTS; index += 1) {
    const organizationId = randomUUID();
    organizations.push(organizationId);
    const leader = await market.person();
    // What organizations' member.joined as LEADER leaves in marketplace's projection.
    await market.db.query(
      `INSERT INTO organization_memberships (membership_id, organization_id, user_id, community_id, role, active,
                                             membership_version)
       VALUES ($1, $2, $3, $4, 'LEADER', true, 1)`,
      [randomUUID(), organizationId, leader.id, TAOYUANJU.id],
    );
    const { registerProvider } = await api.data<{ registerProvider: { id: string } }>(
      REGISTER,
      {
        input: {
          kind: 'SOCIAL_ORGANIZATION',
          organizationId,
          name: `第${index + 1}志愿服务队便民服务`,
          description: '志愿者提供的便民服务',
          contact: `1380013${String(index).padStart(4, '0')}`,
        },
      },
      leader.token,
    );
    await api.data(VERIFY, { id: registerProvider.id }, committee.token);
    const haircut = await offering(leader, registerProvider.id, `上门理发第${index + 1}期`);
    const buyer = await market.person();
    buyers.push(buyer);
    orderIds.push(await completedOrder(buyer, leader, haircut, (index % 5) + 1));
    await postNeed(buyer, `帮忙取快递第${index + 1}件`);
    if (index < WITH_SECOND_PAGE) {
      await offering(leader, registerProvider.id, `修剪指甲第${index + 1}期`);
      await completedOrder(buyer, leader, haircut, 5);
      await postNeed(buyer, `帮忙浇花第${index + 1}次`);
    }
  }
}, 300_000);
afterAll(() => market?.stop());

const statementsFor = <T>(work: () => Promise<T>) => countStatements(market.statements, work);

interface Page<Node> {
  edges: { node: Node }[];
  pageInfo: { hasNextPage: boolean };
}

const CATALOGUE = `query($first: Int) {
  serviceOfferings(first: $first) { edges { node { id title
    provider { id name contact organization { id } rating { average count distribution } }
    slots { placesLeft }
    reviews(first: 1) { edges { node { rating comment author { id } } } pageInfo { hasNextPage } } } } }
}`;

const PROVIDERS = `query($first: Int) {
  providers(first: $first) { edges { node { id name contact rating { count }
    orders(first: 1) { edges { node { status offering { title } provider { id } slot { placesLeft } buyer { id }
      review { rating } } } pageInfo { hasNextPage } } } } }
}`;

const COMMUNITY_ORDERS = `query($first: Int) {
  communityOrders(first: $first) { edges { node { id status offering { title } provider { name } slot { id }
    review { rating author { id } } buyer { id } } } pageInfo { hasNextPage } }
}`;

const NEEDS = `query($first: Int) {
  needs(first: $first) { edges { node { title status postedBy { id } claimedBy { id } } } pageInfo { hasNextPage } }
}`;

const USERS = `query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on User { id
    orders(first: 1) { edges { node { status offering { title } review { rating } } } pageInfo { hasNextPage } }
    needs(first: 1) { edges { node { title } } pageInfo { hasNextPage } } } }
}`;

const ORGANIZATIONS = `query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Organization { id
    serviceOfferings(first: 1) { edges { node { title provider { name } } } pageInfo { hasNextPage } } } }
}`;

const ORDERS = `query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Order { id status slot { placesLeft } review { rating }
    offering { title reviews(first: 1) { edges { node { rating } } } } } }
}`;

/** The statements of `query` with `first` 5 and 50 (or the first 5 and 50 representations), and the answer at 50. */
async function atFiveAndFifty<Data>(query: string, variables: (count: number) => Record<string, unknown>) {
  const run = (count: number) =>
    statementsFor(() =>
      'reps' in variables(count)
        ? api.asGateway<Data>(query, variables(count), worker.token)
        : api.data<Data>(query, variables(count), worker.token),
    );
  const five = await run(5);
  const fifty = await run(PARENTS);
  return { five: five.statements, fifty: fifty.statements, data: fifty.result };
}

describe('SQL statements do not grow with the list', () => {
  it('the catalogue with providers, ratings, slots and a page of reviews each: the same at 5 and 50', async () => {
    type Node = {
      title: string;
      provider: { contact: string; rating: { count: number; distribution: number[] } };
      slots: { placesLeft: number }[];
      reviews: Page<{ rating: number; author: { id: string } }>;
    };
    const { five, fifty, data } = await atFiveAndFifty<{ serviceOfferings: Page<Node> }>(CATALOGUE, (first) => ({
      first,
    }));
    const nodes = data.serviceOfferings.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(PARENTS);
    const tenth = nodes.find((node) => node.title === '上门理发第10期');
    expect(tenth?.provider).toMatchObject({
      contact: '13800130009',
      rating: { count: 1, distribution: [0, 0, 0, 0, 1] },
    });
    expect(tenth?.slots).toEqual([{ placesLeft: 4 }]);
    expect(tenth?.reviews.edges.map((edge) => edge.node)).toEqual([
      { rating: 5, comment: '师傅手艺好，很耐心', author: { id: buyers[9].id } },
    ]);
    expect(tenth?.reviews.pageInfo.hasNextPage).toBe(false);
    // The third provider's buyer ordered twice (the oldest offerings are past the first fifty).
    const third = nodes.find((node) => node.title === '上门理发第3期');
    expect(third?.reviews.pageInfo.hasNextPage).toBe(true);
    expect(third?.slots).toEqual([{ placesLeft: 3 }]);
    expect(fifty).toBe(five);
  });

  it('providers with a page of their orders (offering, slot, review): the same at 5 and 50', async () => {
    type Node = { name: string; orders: Page<{ status: string; buyer: { id: string }; review: { rating: number } }> };
    const { five, fifty, data } = await atFiveAndFifty<{ providers: Page<Node> }>(PROVIDERS, (first) => ({ first }));
    const nodes = data.providers.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(PARENTS);
    const twentieth = nodes.find((node) => node.name === '第20志愿服务队便民服务');
    expect(twentieth?.orders.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ status: 'COMPLETED', buyer: { id: buyers[19].id }, review: { rating: 5 } }),
    ]);
    expect(twentieth?.orders.pageInfo.hasNextPage).toBe(false);
    expect(nodes.find((node) => node.name === '第2志愿服务队便民服务')?.orders.pageInfo.hasNextPage).toBe(true);
    expect(fifty).toBe(five);
  });

  it('the community’s orders with offering, provider, slot and review: the same at 5 and 50', async () => {
    type Node = { status: string; review: { rating: number } | null; slot: { id: string } | null };
    const { five, fifty, data } = await atFiveAndFifty<{ communityOrders: Page<Node> }>(COMMUNITY_ORDERS, (first) => ({
      first,
    }));
    expect(data.communityOrders.edges).toHaveLength(PARENTS);
    expect(
      data.communityOrders.edges.every(({ node }) => node.status === 'COMPLETED' && node.review && node.slot),
    ).toBe(true);
    expect(fifty).toBe(five);
  });

  it('the needs board: the same at 5 and 50', async () => {
    type Node = { title: string; status: string; postedBy: { id: string } };
    const { five, fifty, data } = await atFiveAndFifty<{ needs: Page<Node> }>(NEEDS, (first) => ({ first }));
    expect(data.needs.edges).toHaveLength(PARENTS);
    const thirtieth = data.needs.edges.find(({ node }) => node.title === '帮忙取快递第30件');
    expect(thirtieth?.node).toMatchObject({ status: 'OPEN', postedBy: { id: buyers[29].id } });
    expect(fifty).toBe(five);
  });

  it('users resolved for the gateway with a page of their orders and needs: the same at 5 and 50', async () => {
    type Node = {
      id: string;
      orders: Page<{ offering: { title: string }; review: { rating: number } }>;
      needs: Page<{ title: string }>;
    };
    const { five, fifty, data } = await atFiveAndFifty<{ _entities: Node[] }>(USERS, (count) => ({
      reps: buyers.slice(0, count).map(({ id }) => ({ __typename: 'User', id })),
    }));
    const users = data._entities;
    expect(users.map((user) => user.id)).toEqual(buyers.map((buyer) => buyer.id));
    expect(users[0].orders.pageInfo.hasNextPage).toBe(true);
    expect(users[0].needs.edges.map((edge) => edge.node.title)).toEqual(['帮忙浇花第1次']);
    expect(users[0].needs.pageInfo.hasNextPage).toBe(true);
    expect(users[40].orders.edges.map((edge) => edge.node)).toEqual([
      { status: 'COMPLETED', offering: { title: '上门理发第41期' }, review: { rating: 1 } },
    ]);
    expect(users[40].orders.pageInfo.hasNextPage).toBe(false);
    expect(users[40].needs.edges.map((edge) => edge.node.title)).toEqual(['帮忙取快递第41件']);
    expect(fifty).toBe(five);
  });

  it('organizations resolved for the gateway with a page of their offerings: the same at 5 and 50', async () => {
    type Node = { id: string; serviceOfferings: Page<{ title: string; provider: { name: string } }> };
    const { five, fifty, data } = await atFiveAndFifty<{ _entities: Node[] }>(ORGANIZATIONS, (count) => ({
      reps: organizations.slice(0, count).map((id) => ({ __typename: 'Organization', id })),
    }));
    const entities = data._entities;
    expect(entities).toHaveLength(PARENTS);
    expect(entities[0].serviceOfferings.edges.map((edge) => edge.node.title)).toEqual(['修剪指甲第1期']);
    expect(entities[0].serviceOfferings.pageInfo.hasNextPage).toBe(true);
    expect(entities[25].serviceOfferings.edges.map((edge) => edge.node)).toEqual([
      { title: '上门理发第26期', provider: { name: '第26志愿服务队便民服务' } },
    ]);
    expect(entities[25].serviceOfferings.pageInfo.hasNextPage).toBe(false);
    expect(fifty).toBe(five);
  });

  it('orders resolved for the gateway with slot, review and their offering’s reviews: the same at 5 and 50', async () => {
    type Node = { id: string; status: string; review: { rating: number }; offering: { title: string } };
    const { five, fifty, data } = await atFiveAndFifty<{ _entities: Node[] }>(ORDERS, (count) => ({
      reps: orderIds.slice(0, count).map((id) => ({ __typename: 'Order', id })),
    }));
    expect(data._entities).toHaveLength(PARENTS);
    expect(data._entities[7]).toMatchObject({
      id: orderIds[7],
      review: { rating: 3 },
      offering: { title: '上门理发第8期' },
    });
    expect(fifty).toBe(five);
  });
});
