import { DEMO_OFFERINGS } from '@taoyuan/demo-data';
import { builders, graphqlRequest } from '@taoyuan/testing';
import { gql } from './support/flows';
import { eventually, startSystem, type SystemUnderTest } from './support/start-system';

/**
 * Issue 9's headline, through the gateway with every service its own process: residents spend the points they
 * earned. 赵磊 (560 points in the demo data) buys the property company's 200-point appliance repair, the company
 * delivers it and he confirms; 张伟 (90 points) cannot afford it. marketplace and volunteering settle the payment
 * between them over Kafka (marketplace.order.placed → points.debited / points.debit-rejected).
 */
let system: SystemUnderTest;
let call: ReturnType<typeof gql>;
let zhaoLei: string;
let zhangWei: string;
let wangFang: string;

beforeAll(async () => {
  system = await startSystem();
  call = gql(system.gatewayUrl);
  const build = builders(system.gatewayUrl);
  [zhaoLei, zhangWei, wangFang] = (
    await Promise.all([
      build.login('13800000015', 'taoyuan-demo'),
      build.login('13800000011', 'taoyuan-demo'),
      build.login('13800000002', 'taoyuan-demo'),
    ])
  ).map((session) => session.accessToken);
}, 120_000);
afterAll(async () => {
  await system?.stop();
});

const ME = `query { me { pointsAccount { balance lifetimeEarned tier } } }`;
interface Me {
  me: { pointsAccount: { balance: number; lifetimeEarned: number; tier: string } };
}
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status pricePoints } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status cancelReason offering { title provider { name } } } }`;
interface Order {
  id: string;
  status: string;
  cancelReason: string | null;
  offering: { title: string; provider: { name: string } };
}

const settled = (orderId: string, token: string) =>
  eventually(async () => {
    const { order } = await call<{ order: Order }>(ORDER, { id: orderId }, token);
    return order.status === 'PENDING_PAYMENT' ? undefined : order;
  }, `order ${orderId} to leave PENDING_PAYMENT`);

describe('spending public-welfare points on a community service', () => {
  it('the catalogue finds the repair by a two-character Chinese word, payable in points', async () => {
    const { serviceOfferings } = await call<{
      serviceOfferings: { edges: { node: { id: string; title: string; pricePoints: number; priceFen: number } }[] };
    }>(
      `query($filter: ServiceOfferingFilter) { serviceOfferings(filter: $filter) {
         edges { node { id title pricePoints priceFen } } } }`,
      { filter: { text: '维修', payableWithPoints: true } },
      zhaoLei,
    );
    expect(serviceOfferings.edges.map((edge) => edge.node)).toEqual([
      { id: DEMO_OFFERINGS.applianceRepair.id, title: '家电维修', pricePoints: 200, priceFen: 5000 },
    ]);
  });

  it('赵磊 (560 points) orders the 200-point repair: CONFIRMED, balance 360, lifetime earned and tier unchanged; delivered and completed', async () => {
    const before = await call<Me>(ME, {}, zhaoLei);
    expect(before.me.pointsAccount.balance).toBe(560);
    const { placeOrder } = await call<{ placeOrder: { id: string; status: string; pricePoints: number } }>(
      PLACE,
      {
        input: {
          offeringId: DEMO_OFFERINGS.applianceRepair.id,
          payWith: 'POINTS',
          quantity: 1,
          note: '洗衣机不脱水',
          clientOrderId: 'zhao-lei-washing-machine',
        },
      },
      zhaoLei,
    );
    expect(placeOrder).toMatchObject({ status: 'PENDING_PAYMENT', pricePoints: 200 });
    expect(await settled(placeOrder.id, zhaoLei)).toMatchObject({
      status: 'CONFIRMED',
      offering: { title: '家电维修', provider: { name: '桃源居物业' } },
    });
    const after = await call<Me>(ME, {}, zhaoLei);
    expect(after.me.pointsAccount).toEqual({
      balance: 360,
      lifetimeEarned: before.me.pointsAccount.lifetimeEarned,
      tier: before.me.pointsAccount.tier,
    });

    // The property company (王芳 registered it) delivers; 赵磊 confirms; his order list shows it completed.
    await call(`mutation($id: ID!) { deliverOrder(orderId: $id) { status } }`, { id: placeOrder.id }, wangFang);
    const { confirmDelivery } = await call<{ confirmDelivery: { status: string } }>(
      `mutation($id: ID!) { confirmDelivery(orderId: $id) { status } }`,
      { id: placeOrder.id },
      zhaoLei,
    );
    expect(confirmDelivery.status).toBe('COMPLETED');
    const { me } = await call<{ me: { orders: { edges: { node: { id: string; status: string } }[] } } }>(
      `query { me { orders(first: 5) { edges { node { id status } } } } }`,
      {},
      zhaoLei,
    );
    expect(me.orders.edges[0]?.node).toEqual({ id: placeOrder.id, status: 'COMPLETED' });
  });

  it('张伟 (90 points) orders it: CANCELLED with INSUFFICIENT_POINTS, balance unchanged', async () => {
    const before = await call<Me>(ME, {}, zhangWei);
    const { placeOrder } = await call<{ placeOrder: { id: string } }>(
      PLACE,
      {
        input: {
          offeringId: DEMO_OFFERINGS.applianceRepair.id,
          payWith: 'POINTS',
          quantity: 1,
          clientOrderId: 'zhang-wei-air-conditioner',
        },
      },
      zhangWei,
    );
    expect(await settled(placeOrder.id, zhangWei)).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'INSUFFICIENT_POINTS',
    });
    const after = await call<Me>(ME, {}, zhangWei);
    expect(after.me.pointsAccount).toEqual(before.me.pointsAccount);
  });

  it('another community’s resident cannot order from 桃源居 through the gateway', async () => {
    const outsider = await builders(system.gatewayUrl).newResident({
      communityId: '6f1c2d3e-0000-4000-8000-000000000002',
      displayName: '周敏',
    });
    const response = await graphqlRequest(
      system.gatewayUrl,
      PLACE,
      {
        input: {
          offeringId: DEMO_OFFERINGS.applianceRepair.id,
          payWith: 'CASH',
          quantity: 1,
          clientOrderId: 'outsider',
        },
      },
      { token: outsider.accessToken },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OTHER_COMMUNITY' });
  });
});
