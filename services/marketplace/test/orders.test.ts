import { OrderCancelled } from '@taoyuan/events';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlRequest } from '@taoyuan/testing';
import {
  client,
  ORDER,
  PLACE,
  publishedOffering,
  startMarketplaceForTests,
  waitFor,
  type MarketplaceUnderTest,
  type Person,
} from './support/start-marketplace';

let market: MarketplaceUnderTest;
let api: ReturnType<typeof client>;
let repair: Awaited<ReturnType<typeof publishedOffering>>;

interface Order {
  id: string;
  status: string;
  cancelReason: string | null;
  pricePoints: number;
  priceFen: number;
}

beforeAll(async () => {
  market = await startMarketplaceForTests({ volunteering: true });
  api = client(market.url);
  repair = await publishedOffering(market, { pricePoints: 200, priceFen: 5000 });
});
afterAll(async () => {
  await market?.stop();
});

const volunteering = () => {
  if (!market.volunteering) throw new Error('volunteering was not started');
  return market.volunteering;
};

async function residentWith(points: number): Promise<Person> {
  const person = await market.person();
  await volunteering().grant(person.id, points);
  return person;
}

let orderNumber = 0;
async function place(buyer: Person, input: Record<string, unknown> = {}): Promise<Order> {
  orderNumber += 1;
  const { placeOrder } = await api.data<{ placeOrder: Order }>(
    PLACE,
    {
      input: {
        offeringId: repair.offeringId,
        payWith: 'POINTS',
        quantity: 1,
        clientOrderId: `order-${orderNumber}`,
        ...input,
      },
    },
    buyer.token,
  );
  return placeOrder;
}

async function settled(orderId: string, token: string, status?: string): Promise<Order> {
  let order: Order | null = null;
  await waitFor(
    async () => {
      ({ order } = await api.data<{ order: Order }>(ORDER, { id: orderId }, token));
      return status ? order.status === status : order.status !== 'PENDING_PAYMENT';
    },
    `order ${orderId} to settle${status ? ` as ${status}` : ''}`,
    45_000,
  );
  return order!;
}

const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;

describe('an order paid in points (the saga with volunteering)', () => {
  it('560 points buy a 200-point repair: CONFIRMED, balance 360, lifetime and tier untouched', async () => {
    const zhaoLei = await residentWith(560);
    const before = await volunteering().account(zhaoLei.id);
    const placed = await place(zhaoLei);
    expect(placed).toMatchObject({ status: 'PENDING_PAYMENT', pricePoints: 200, priceFen: 0 });
    expect(await settled(placed.id, zhaoLei.token)).toMatchObject({ status: 'CONFIRMED' });
    const after = await volunteering().account(zhaoLei.id);
    expect(after).toEqual({ balance: 360, lifetimeEarned: 560, tier: before.tier, ledgerSum: 360 });
  });

  it('90 points do not: CANCELLED with INSUFFICIENT_POINTS, balance unchanged', async () => {
    const zhangWei = await residentWith(90);
    const placed = await place(zhangWei);
    expect(await settled(placed.id, zhangWei.token)).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'INSUFFICIENT_POINTS',
    });
    expect(await volunteering().account(zhangWei.id)).toMatchObject({ balance: 90, lifetimeEarned: 90, ledgerSum: 90 });
  });

  it('two concurrent 300-point orders on 560 points: exactly one CONFIRMED, and the ledger sums to the balance', async () => {
    const buyer = await residentWith(560);
    const pricey = await publishedOffering(market, { pricePoints: 300 });
    const placed = await Promise.all([
      place(buyer, { offeringId: pricey.offeringId }),
      place(buyer, { offeringId: pricey.offeringId }),
    ]);
    const outcomes = await Promise.all(placed.map((order) => settled(order.id, buyer.token)));
    expect(outcomes.map((order) => order.status).sort()).toEqual(['CANCELLED', 'CONFIRMED']);
    expect(outcomes.find((order) => order.status === 'CANCELLED')?.cancelReason).toBe('INSUFFICIENT_POINTS');
    expect(await volunteering().account(buyer.id)).toMatchObject({ balance: 260, lifetimeEarned: 560, ledgerSum: 260 });
  });

  it('a retried placeOrder with the same clientOrderId returns the same order and debits once', async () => {
    const buyer = await residentWith(500);
    const input = { offeringId: repair.offeringId, payWith: 'POINTS', quantity: 1, clientOrderId: 'retry-me' };
    const [a, b] = await Promise.all([
      api.data<{ placeOrder: Order }>(PLACE, { input }, buyer.token),
      api.data<{ placeOrder: Order }>(PLACE, { input }, buyer.token),
    ]);
    expect(a.placeOrder.id).toBe(b.placeOrder.id);
    await settled(a.placeOrder.id, buyer.token, 'CONFIRMED');
    expect(await volunteering().account(buyer.id)).toMatchObject({ balance: 300, ledgerSum: 300 });
  });

  it('cancelling a confirmed points order refunds once, even when the cancellation is delivered twice', async () => {
    const buyer = await residentWith(560);
    const placed = await place(buyer);
    await settled(placed.id, buyer.token, 'CONFIRMED');
    const { cancelOrder } = await api.data<{ cancelOrder: Order }>(CANCEL, { id: placed.id }, buyer.token);
    expect(cancelOrder.status).toBe('CANCELLED');
    await waitFor(async () => (await volunteering().account(buyer.id)).balance === 560, 'the refund');
    // The same fact again, as a redelivery with a new event id: the ledger's unique source refuses a second refund.
    const again = { orderId: placed.id, userId: buyer.id, communityId: TAOYUANJU.id, at: new Date().toISOString() };
    for (let i = 0; i < 2; i += 1)
      await market.send(OrderCancelled, '/taoyuan/marketplace', {
        ...again,
        reason: 'BUYER_CANCELLED',
        pointsDebited: true,
      });
    await waitFor(async () => {
      const rows: unknown[] = await volunteering().db.query(
        `SELECT 1 FROM inbox WHERE event_type LIKE '%order.cancelled%'`,
      );
      return rows.length >= 3;
    }, 'volunteering to handle both duplicates');
    expect(await volunteering().account(buyer.id)).toMatchObject({ balance: 560, ledgerSum: 560 });
    const refunds = await volunteering().db.query(
      `SELECT count(*)::int AS n FROM points_entries WHERE source_id = $1 AND kind = 'REFUNDED'`,
      [placed.id],
    );
    expect(refunds[0].n).toBe(1);
    await waitFor(async () => {
      const [row] = await market.db.query(`SELECT points_refunded FROM orders WHERE id = $1`, [placed.id]);
      return row.points_refunded === true;
    }, 'marketplace to learn of the refund');
  });

  it('volunteering down: the order waits in PENDING_PAYMENT and confirms when it returns, debited once', async () => {
    const buyer = await residentWith(560);
    await volunteering().stop();
    let placed: Order;
    try {
      placed = await place(buyer);
      const { order } = await api.data<{ order: Order }>(ORDER, { id: placed.id }, buyer.token);
      expect(order.status).toBe('PENDING_PAYMENT');
    } finally {
      await volunteering().restart();
    }
    expect(await settled(placed.id, buyer.token)).toMatchObject({ status: 'CONFIRMED' });
    expect(await volunteering().account(buyer.id)).toMatchObject({ balance: 360, ledgerSum: 360 });
  });

  it('unpaid past the timeout: cancelled by marketplace, and the debit that arrives later is refunded', async () => {
    const buyer = await residentWith(560);
    await volunteering().stop();
    let placed: Order;
    try {
      placed = await place(buyer);
      // Time travel: the payment was due a minute ago; the sweeper (every 200 ms in tests) cancels the order.
      await market.db.query(`UPDATE orders SET payment_due_at = now() - interval '1 minute' WHERE id = $1`, [
        placed.id,
      ]);
      expect(await settled(placed.id, buyer.token)).toMatchObject({
        status: 'CANCELLED',
        cancelReason: 'PAYMENT_TIMEOUT',
      });
    } finally {
      await volunteering().restart();
    }
    // volunteering now sees the placement (debits) and the cancellation in either order: the points come back once.
    await waitFor(
      async () => {
        const [row] = await market.db.query(`SELECT points_refunded FROM orders WHERE id = $1`, [placed.id]);
        return row.points_refunded === true;
      },
      'the late debit to be refunded',
      45_000,
    );
    expect(await volunteering().account(buyer.id)).toMatchObject({ balance: 560, ledgerSum: 560 });
    const { order } = await api.data<{ order: Order }>(ORDER, { id: placed.id }, buyer.token);
    expect(order.status).toBe('CANCELLED');
  });

  it('a slot of capacity 3 and 10 concurrent orders: 3 confirmed, 7 refused with SLOT_FULL', async () => {
    const lesson = await publishedOffering(market, { priceFen: 1200 }, { slotCapacity: 3, title: '长者助餐' });
    const buyers = await Promise.all(Array.from({ length: 10 }, () => market.person()));
    const results = await Promise.all(
      buyers.map(async (buyer, index) => {
        const response = await graphqlRequest(
          market.url,
          `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`,
          {
            input: {
              offeringId: lesson.offeringId,
              slotId: lesson.slotId,
              payWith: 'CASH',
              quantity: 1,
              clientOrderId: `meal-${index}`,
            },
          },
          { token: buyer.token },
        );
        const error = response.errors?.[0];
        return error ? { code: error.extensions?.code, reason: error.extensions?.reason } : { code: 'OK' };
      }),
    );
    expect(results.filter((result) => result.code === 'OK')).toHaveLength(3);
    expect(results.filter((result) => result.reason === 'SLOT_FULL')).toHaveLength(7);
    const [slot] = await market.db.query(`SELECT taken, capacity FROM slots WHERE id = $1`, [lesson.slotId]);
    expect(slot).toEqual({ taken: 3, capacity: 3 });
    const confirmed = await market.db.query(
      `SELECT count(*)::int AS n FROM orders WHERE slot_id = $1 AND status = 'CONFIRMED'`,
      [lesson.slotId],
    );
    expect(confirmed[0].n).toBe(3);
  });
});
