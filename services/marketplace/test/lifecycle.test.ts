import { MarketplaceIncomeRecorded } from '@taoyuan/events';
import { collectMessages, type CollectedMessage } from '@taoyuan/testing';
import type { Consumer } from 'kafkajs';
import {
  client,
  publishedOffering,
  startMarketplaceForTests,
  waitFor,
  type MarketplaceUnderTest,
  type Person,
} from './support/start-marketplace';

let market: MarketplaceUnderTest;
let api: ReturnType<typeof client>;
let canteen: Awaited<ReturnType<typeof publishedOffering>>;
let collector: { messages: CollectedMessage[]; consumer: Consumer };

beforeAll(async () => {
  market = await startMarketplaceForTests();
  api = client(market.url);
  canteen = await publishedOffering(
    market,
    { priceFen: 1200, pricePoints: 30 },
    { communityOwned: true, title: '长者助餐', category: 'MEAL' },
  );
  collector = await collectMessages(market.brokers, [MarketplaceIncomeRecorded.topic]);
});
afterAll(async () => {
  await collector?.consumer.disconnect();
  await market?.stop();
});

interface Order {
  id: string;
  status: string;
  priceFen: number;
  paidAt: string | null;
}
const ORDER_FIELDS = `id status priceFen paidAt`;
const mutate = (name: string, args = '$id: ID!', call = 'orderId: $id') =>
  `mutation(${args}) { ${name}(${call}) { ${ORDER_FIELDS} } }`;

let n = 0;
async function cashOrder(buyer: Person, quantity = 1): Promise<Order> {
  n += 1;
  const { placeOrder } = await api.data<{ placeOrder: Order }>(
    `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`,
    { input: { offeringId: canteen.offeringId, payWith: 'CASH', quantity, clientOrderId: `cash-${n}` } },
    buyer.token,
  );
  return placeOrder;
}

const REVIEW = `mutation($id: ID!, $rating: Int!, $comment: String) {
  reviewOrder(orderId: $id, rating: $rating, comment: $comment) { id rating comment } }`;
const RATING = `query($id: ID!) { provider(id: $id) { rating { average count distribution } } }`;

describe('a cash order of a community-run canteen, from order to income', () => {
  it('CONFIRMED at once; delivered, paid and confirmed → COMPLETED and marketplace.income.recorded once', async () => {
    const buyer = await market.person();
    const order = await cashOrder(buyer, 2);
    expect(order).toMatchObject({ status: 'CONFIRMED', priceFen: 2400, paidAt: null });
    const { worker } = canteen;
    await api.data(mutate('deliverOrder'), { id: order.id }, worker.token);
    const args = '$id: ID!, $ref: String!';
    const call = 'orderId: $id, paymentReference: $ref';
    const { markOrderPaid } = await api.data<{ markOrderPaid: Order }>(
      mutate('markOrderPaid', args, call),
      { id: order.id, ref: '食堂收据 0007' },
      worker.token,
    );
    expect(markOrderPaid.paidAt).not.toBeNull();
    // Marked paid again with the same receipt: nothing changes; with another receipt: refused.
    await api.data(mutate('markOrderPaid', args, call), { id: order.id, ref: '食堂收据 0007' }, worker.token);
    expect(
      await api.errorOf(mutate('markOrderPaid', args, call), { id: order.id, ref: '另一张收据' }, worker.token),
    ).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_PAID' });
    // Only the buyer confirms delivery.
    expect(await api.errorOf(mutate('confirmDelivery'), { id: order.id }, worker.token)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_BUYER',
    });
    const { confirmDelivery } = await api.data<{ confirmDelivery: Order }>(
      mutate('confirmDelivery'),
      { id: order.id },
      buyer.token,
    );
    expect(confirmDelivery.status).toBe('COMPLETED');
    await waitFor(
      () => collector.messages.some((message) => message.value?.toString().includes(order.id)),
      'marketplace.income.recorded',
    );
    const incomes = collector.messages
      .map((message) => JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>)
      .filter((income) => income.orderId === order.id);
    expect(incomes).toEqual([
      expect.objectContaining({ amountFen: 2400, category: 'MEAL', providerId: canteen.providerId }),
    ]);
    expect(JSON.stringify(incomes[0])).not.toMatch(new RegExp(buyer.id));
  });

  it('the buyer cancels before delivery (the place is released); the provider declines with a reason', async () => {
    const buyer = await market.person();
    const first = await cashOrder(buyer);
    const { cancelOrder } = await api.data<{ cancelOrder: Order }>(
      mutate('cancelOrder'),
      { id: first.id },
      buyer.token,
    );
    expect(cancelOrder.status).toBe('CANCELLED');
    expect(await api.errorOf(mutate('deliverOrder'), { id: first.id }, canteen.worker.token)).toMatchObject({
      code: 'CONFLICT',
      reason: 'ORDER_NOT_CONFIRMED',
    });
    const second = await cashOrder(buyer);
    await api.data(mutate('deliverOrder'), { id: second.id }, canteen.worker.token);
    expect(await api.errorOf(mutate('cancelOrder'), { id: second.id }, buyer.token)).toMatchObject({
      code: 'CONFLICT',
      reason: 'ORDER_NOT_CANCELLABLE',
    });
    const { declineOrder } = await api.data<{ declineOrder: Order & { declineReason: string } }>(
      `mutation($id: ID!) { declineOrder(orderId: $id, reason: "今日停电，无法送餐") { ${ORDER_FIELDS} declineReason } }`,
      { id: second.id },
      canteen.worker.token,
    );
    expect(declineOrder).toMatchObject({ status: 'CANCELLED', declineReason: '今日停电，无法送餐' });
  });

  it('a delivered order nobody confirms completes itself after 7 days', async () => {
    const buyer = await market.person();
    const order = await cashOrder(buyer);
    await api.data(mutate('deliverOrder'), { id: order.id }, canteen.worker.token);
    await market.db.query(`UPDATE orders SET delivered_at = now() - interval '8 days' WHERE id = $1`, [order.id]);
    await waitFor(async () => {
      const [row] = await market.db.query(`SELECT status FROM orders WHERE id = $1`, [order.id]);
      return row.status === 'COMPLETED';
    }, 'the auto-completion sweep');
  });

  it('others see neither the order nor the buyer’s order list; staff see the community’s orders', async () => {
    const buyer = await market.person();
    const stranger = await market.person();
    const order = await cashOrder(buyer);
    const query = `query($id: ID!) { order(id: $id) { id } }`;
    expect(await api.data(query, { id: order.id }, stranger.token)).toEqual({ order: null });
    expect(await api.errorOf(mutate('cancelOrder'), { id: order.id }, stranger.token)).toMatchObject({
      code: 'NOT_FOUND',
    });
    const entities = `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Order { id } ... on User { orders { edges { node { id } } } } } }`;
    expect(
      await api.asGateway(
        entities,
        {
          reps: [
            { __typename: 'Order', id: order.id },
            { __typename: 'User', id: buyer.id },
          ],
        },
        stranger.token,
      ),
    ).toEqual({ _entities: [null, { orders: null }] });
    const { communityOrders } = await api.data<{ communityOrders: { edges: { node: { id: string } }[] } }>(
      `query { communityOrders(first: 100) { edges { node { id } } } }`,
      {},
      canteen.committee.token,
    );
    expect(communityOrders.edges.map((edge) => edge.node.id)).toContain(order.id);
    expect(await api.data(`query { communityOrders { edges { node { id } } } }`, {}, stranger.token)).toEqual({
      communityOrders: null,
    });
  });
});

describe('reviews', () => {
  it('before completion CONFLICT; by another user FORBIDDEN; rating 6 BAD_USER_INPUT; twice CONFLICT; edits and one reply', async () => {
    const buyer = await market.person();
    const other = await market.person();
    const order = await cashOrder(buyer);
    expect(await api.errorOf(REVIEW, { id: order.id, rating: 5 }, buyer.token)).toMatchObject({
      code: 'CONFLICT',
      reason: 'ORDER_NOT_COMPLETED',
    });
    await api.data(mutate('deliverOrder'), { id: order.id }, canteen.worker.token);
    await api.data(mutate('confirmDelivery'), { id: order.id }, buyer.token);
    expect(await api.errorOf(REVIEW, { id: order.id, rating: 5 }, other.token)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_BUYER',
    });
    expect(await api.errorOf(REVIEW, { id: order.id, rating: 6 }, buyer.token)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'rating',
    });
    expect(
      await api.errorOf(REVIEW, { id: order.id, rating: 4, comment: '好'.repeat(501) }, buyer.token),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    expect(await market.db.query(`SELECT 1 FROM reviews WHERE order_id = $1`, [order.id])).toEqual([]);
    const { reviewOrder } = await api.data<{ reviewOrder: { id: string } }>(
      REVIEW,
      { id: order.id, rating: 4, comment: '饭菜软烂，适合老人' },
      buyer.token,
    );
    expect(await api.errorOf(REVIEW, { id: order.id, rating: 5 }, buyer.token)).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_REVIEWED',
    });
    const { editReview } = await api.data<{ editReview: { rating: number; comment: string } }>(
      `mutation($id: ID!) { editReview(reviewId: $id, rating: 5, comment: "每天都盼着") { rating comment } }`,
      { id: reviewOrder.id },
      buyer.token,
    );
    expect(editReview).toEqual({ rating: 5, comment: '每天都盼着' });
    const reply = `mutation($id: ID!) { replyToReview(reviewId: $id, reply: "谢谢！") { reply } }`;
    expect(await api.errorOf(reply, { id: reviewOrder.id }, buyer.token)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_PROVIDER_MANAGER',
    });
    await api.data(reply, { id: reviewOrder.id }, canteen.worker.token);
    expect(await api.errorOf(reply, { id: reviewOrder.id }, canteen.worker.token)).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_REPLIED',
    });
  });

  it('staff hide an abusive review (audited); hidden reviews neither list nor count', async () => {
    const buyer = await market.person();
    const order = await cashOrder(buyer);
    await api.data(mutate('deliverOrder'), { id: order.id }, canteen.worker.token);
    await api.data(mutate('confirmDelivery'), { id: order.id }, buyer.token);
    const before = await api.data<{ provider: { rating: { count: number } } }>(
      RATING,
      { id: canteen.providerId },
      buyer.token,
    );
    const { reviewOrder } = await api.data<{ reviewOrder: { id: string } }>(
      REVIEW,
      { id: order.id, rating: 1, comment: '骂人的话' },
      buyer.token,
    );
    const hide = `mutation($id: ID!) { hideReview(reviewId: $id, reason: "人身攻击") { hidden } }`;
    expect(await api.errorOf(hide, { id: reviewOrder.id }, buyer.token)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'STAFF_ONLY',
    });
    await api.data(hide, { id: reviewOrder.id }, canteen.committee.token);
    const after = await api.data<{ provider: { rating: { count: number; distribution: number[] } } }>(
      RATING,
      { id: canteen.providerId },
      buyer.token,
    );
    expect(after.provider.rating.count).toBe(before.provider.rating.count);
    expect(after.provider.rating.distribution[0]).toBe(0);
    const audit = await market.db.query(`SELECT action, reason FROM audit_entries WHERE subject_id = $1`, [
      reviewOrder.id,
    ]);
    expect(audit).toEqual([{ action: 'REVIEW_HIDDEN', reason: '人身攻击' }]);
    const { serviceOffering } = await api.data<{ serviceOffering: { reviews: { edges: { node: { id: string } }[] } } }>(
      `query($id: ID!) { serviceOffering(id: $id) { reviews(first: 50) { edges { node { id } } } } }`,
      { id: canteen.offeringId },
      buyer.token,
    );
    expect(serviceOffering.reviews.edges.map((edge) => edge.node.id)).not.toContain(reviewOrder.id);
  });
});
