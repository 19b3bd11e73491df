import { randomUUID } from 'node:crypto';
import { OrderPlaced, PointsDebited, dlqTopic } from '@taoyuan/events';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { collectMessages, graphqlRequest, type CollectedMessage } from '@taoyuan/testing';
import type { Consumer } from 'kafkajs';
import {
  client,
  ORDER,
  PLACE,
  publishedOffering,
  REGISTER,
  startMarketplaceForTests,
  VERIFY,
  waitFor,
  type MarketplaceUnderTest,
} from './support/start-marketplace';

/**
 * Attacks replayed against marketplace and its half of the saga: every subgraph is reachable directly and every
 * event may be forged, duplicated, late or out of order.
 */
let market: MarketplaceUnderTest;
let api: ReturnType<typeof client>;
let repair: Awaited<ReturnType<typeof publishedOffering>>;
let deadLetters: { messages: CollectedMessage[]; consumer: Consumer };

const OTHER_COMMUNITY = '6f1c2d3e-0000-4000-8000-000000000002';

beforeAll(async () => {
  market = await startMarketplaceForTests({ volunteering: true });
  api = client(market.url);
  repair = await publishedOffering(market, { pricePoints: 200, priceFen: 5000 });
  deadLetters = await collectMessages(market.brokers, [dlqTopic(PointsDebited.topic), dlqTopic(OrderPlaced.topic)]);
});
afterAll(async () => {
  await deadLetters?.consumer.disconnect();
  await market?.stop();
});

const volunteering = () => {
  if (!market.volunteering) throw new Error('volunteering was not started');
  return market.volunteering;
};

async function pendingOrder(buyerToken: string): Promise<string> {
  const { placeOrder } = await api.data<{ placeOrder: { id: string; status: string } }>(
    PLACE,
    { input: { offeringId: repair.offeringId, payWith: 'POINTS', quantity: 1, clientOrderId: randomUUID() } },
    buyerToken,
  );
  expect(placeOrder.status).toBe('PENDING_PAYMENT');
  return placeOrder.id;
}

const statusOf = async (orderId: string, token: string) =>
  (await api.data<{ order: { status: string } }>(ORDER, { id: orderId }, token)).order.status;

describe('forged and duplicated events', () => {
  it('a points.debited not from volunteering goes to the dead-letter topic; one that does not match the order changes nothing', async () => {
    const buyer = await market.person();
    await volunteering().stop();
    try {
      const orderId = await pendingOrder(buyer.token);
      const debit = {
        sourceType: 'ORDER',
        sourceId: orderId,
        entryId: randomUUID(),
        userId: buyer.id,
        communityId: TAOYUANJU.id,
        points: 200,
        balance: 0,
        debitedAt: new Date().toISOString(),
      };
      // 1. Right payload, wrong producer: refused before any handler runs.
      await market.send(PointsDebited, '/taoyuan/marketplace', debit);
      await waitFor(
        () => deadLetters.messages.some((message) => message.value?.toString().includes(orderId)),
        'the forged debit in the dead-letter topic',
      );
      // 2. Right producer, but for 1 point, or for someone else: a fact that does not match the order is ignored.
      const forged = [
        { ...debit, points: 1 },
        { ...debit, userId: randomUUID() },
      ];
      for (const payload of forged) await market.send(PointsDebited, '/taoyuan/volunteering', payload);
      await waitFor(async () => {
        const rows: unknown[] = await market.db.query(`SELECT 1 FROM inbox WHERE event_type LIKE '%points.debited%'`);
        return rows.length >= 2;
      }, 'the mismatching debits to be handled');
      expect(await statusOf(orderId, buyer.token)).toBe('PENDING_PAYMENT');
    } finally {
      await volunteering().restart();
    }
  });

  it('an order.placed not from marketplace debits nobody (volunteering refuses it)', async () => {
    const victim = await market.person();
    await volunteering().grant(victim.id, 500);
    const orderId = randomUUID();
    await market.send(OrderPlaced, '/taoyuan/attacker', {
      orderId,
      offeringId: repair.offeringId,
      providerId: repair.providerId,
      userId: victim.id,
      communityId: TAOYUANJU.id,
      payment: 'POINTS',
      pricePoints: 500,
      priceFen: 0,
      placedAt: new Date().toISOString(),
    });
    await waitFor(
      () => deadLetters.messages.some((message) => message.value?.toString().includes(orderId)),
      'the forged order in the dead-letter topic',
    );
    expect(await volunteering().account(victim.id)).toMatchObject({ balance: 500, ledgerSum: 500 });
  });

  it('the same points.debited delivered twice confirms once and announces once', async () => {
    const buyer = await market.person();
    await volunteering().grant(buyer.id, 300);
    const orderId = await pendingOrder(buyer.token);
    await waitFor(async () => (await statusOf(orderId, buyer.token)) === 'CONFIRMED', 'the saga', 45_000);
    const [entry] = await volunteering().db.query<{ id: string }[]>(
      `SELECT id FROM points_entries WHERE source_id = $1`,
      [orderId],
    );
    const handledDebits = async () =>
      (
        await market.db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM inbox WHERE event_type LIKE '%points.debited%'`,
        )
      )[0]?.n ?? 0;
    const before = await handledDebits();
    await market.send(PointsDebited, '/taoyuan/volunteering', {
      sourceType: 'ORDER',
      sourceId: orderId,
      entryId: entry?.id ?? randomUUID(),
      userId: buyer.id,
      communityId: TAOYUANJU.id,
      points: 200,
      balance: 100,
      debitedAt: new Date().toISOString(),
    });
    await waitFor(async () => (await handledDebits()) === before + 1, 'the duplicate to be handled');
    const confirmations = await market.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbox WHERE topic LIKE '%order.confirmed%' AND payload->>'orderId' = $1`,
      [orderId],
    );
    expect(confirmations[0]?.n).toBe(1);
    expect(await volunteering().account(buyer.id)).toMatchObject({ balance: 100, ledgerSum: 100 });
  });
});

describe('another community', () => {
  it('sees none of 桃源居’s providers, offerings or orders, and can neither order nor decide', async () => {
    const outsider = await market.person(['RESIDENT', 'COMMITTEE'], OTHER_COMMUNITY);
    const resident = await market.person();
    const { placeOrder } = await api.data<{ placeOrder: { id: string } }>(
      PLACE,
      { input: { offeringId: repair.offeringId, payWith: 'CASH', quantity: 1, clientOrderId: 'local' } },
      resident.token,
    );
    const view = await api.data(
      `query($p: ID!, $o: ID!, $r: ID!) { provider(id: $p) { id } serviceOffering(id: $o) { id } order(id: $r) { id }
         serviceOfferings { edges { node { id } } } }`,
      { p: repair.providerId, o: repair.offeringId, r: placeOrder.id },
      outsider.token,
    );
    expect(view).toEqual({ provider: null, serviceOffering: null, order: null, serviceOfferings: { edges: [] } });
    expect(
      await api.errorOf(
        PLACE,
        { input: { offeringId: repair.offeringId, payWith: 'CASH', quantity: 1, clientOrderId: 'x' } },
        outsider.token,
      ),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'OTHER_COMMUNITY' });
    expect(
      await api.errorOf(
        `mutation($id: ID!) { suspendProvider(id: $id, reason: "恶意") { id } }`,
        { id: repair.providerId },
        outsider.token,
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('role escalation', () => {
  it('a resident cannot register a government, enterprise or community-run provider, nor verify one', async () => {
    const resident = await market.person();
    for (const input of [
      { kind: 'GOVERNMENT', name: '街道党群服务中心', contact: '0755-1' },
      { kind: 'ENTERPRISE', name: '家政公司', contact: '0755-2' },
      { kind: 'RESIDENT', name: '我的食堂', contact: '0755-3', communityOwned: true },
    ])
      expect(await api.errorOf(REGISTER, { input }, resident.token)).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'STAFF_ONLY',
      });
    const { registerProvider } = await api.data<{ registerProvider: { id: string } }>(
      REGISTER,
      { input: { kind: 'RESIDENT', name: '水电维修', contact: '13900000000' } },
      resident.token,
    );
    expect(await api.errorOf(VERIFY, { id: registerProvider.id }, resident.token)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'STAFF_ONLY',
    });
    const [row] = await market.db.query<{ status: string }[]>(`SELECT status FROM providers WHERE id = $1`, [
      registerProvider.id,
    ]);
    expect(row?.status).toBe('PENDING');
  });

  it('a manager of one provider cannot deliver, decline or mark paid another provider’s orders', async () => {
    const resident = await market.person();
    const { placeOrder } = await api.data<{ placeOrder: { id: string } }>(
      PLACE,
      { input: { offeringId: repair.offeringId, payWith: 'CASH', quantity: 1, clientOrderId: 'other-provider' } },
      resident.token,
    );
    const rival = await publishedOffering(market, { free: true }, { title: '竞争对手' });
    for (const mutation of [
      `mutation($id: ID!) { deliverOrder(orderId: $id) { id } }`,
      `mutation($id: ID!) { declineOrder(orderId: $id, reason: "不做了") { id } }`,
      `mutation($id: ID!) { markOrderPaid(orderId: $id, paymentReference: "假收据") { id } }`,
    ])
      expect(await api.errorOf(mutation, { id: placeOrder.id }, rival.worker.token)).toMatchObject({
        code: expect.stringMatching(/^(NOT_FOUND|FORBIDDEN)$/),
      });
    const [row] = await market.db.query<{ status: string; paid_at: Date | null }[]>(
      `SELECT status, paid_at FROM orders WHERE id = $1`,
      [placeOrder.id],
    );
    expect(row).toEqual({ status: 'CONFIRMED', paid_at: null });
  });

  it('_entities is refused without the gateway’s credential', async () => {
    const resident = await market.person();
    const response = await graphqlRequest(
      market.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Provider { id contact } } }`,
      { reps: [{ __typename: 'Provider', id: repair.providerId }] },
      { token: resident.token },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
