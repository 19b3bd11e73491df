import { randomUUID } from 'node:crypto';
import { NeedFulfilled, ResidenceChanged } from '@taoyuan/events';
import { TAOYUANJU } from '@taoyuan/demo-data';
import {
  client,
  startMarketplaceForTests,
  waitFor,
  type MarketplaceUnderTest,
  type Person,
} from './support/start-marketplace';

let market: MarketplaceUnderTest;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  market = await startMarketplaceForTests({ volunteering: true });
  api = client(market.url);
});
afterAll(async () => {
  await market?.stop();
});

const volunteering = () => {
  if (!market.volunteering) throw new Error('volunteering was not started');
  return market.volunteering;
};

interface Need {
  id: string;
  status: string;
  rewardPoints: number;
}
const NEED_FIELDS = `id status rewardPoints`;
const POST = `mutation($input: PostNeedInput!) { postNeed(input: $input) { ${NEED_FIELDS} } }`;
const act = (name: string) => `mutation($id: ID!) { ${name}(needId: $id) { ${NEED_FIELDS} } }`;

async function residentWith(points: number): Promise<Person> {
  const person = await market.person();
  if (points > 0) await volunteering().grant(person.id, points);
  return person;
}

async function post(poster: Person, rewardPoints: number, inDays = 3): Promise<Need> {
  const { postNeed } = await api.data<{ postNeed: Need }>(
    POST,
    {
      input: {
        title: '周六帮忙去药房取药',
        description: '腿脚不便，想请邻居帮忙取降压药',
        category: 'HEALTH',
        neededBy: new Date(Date.now() + inDays * 86_400_000),
        rewardPoints,
      },
    },
    poster.token,
  );
  return postNeed;
}

async function statusOf(needId: string, token: string): Promise<string> {
  const { need } = await api.data<{ need: Need | null }>(
    `query($id: ID!) { need(id: $id) { status } }`,
    { id: needId },
    token,
  );
  return need?.status ?? 'INVISIBLE';
}

const opened = (need: Need, poster: Person) =>
  waitFor(async () => (await statusOf(need.id, poster.token)) === 'OPEN', 'the escrow to open the need', 45_000);

describe('the needs board (邻里互助)', () => {
  it('the reward is escrowed before the need opens; the poster cannot claim it; fulfilment pays the helper once', async () => {
    const poster = await residentWith(200);
    const helper = await residentWith(10);
    const need = await post(poster, 50);
    expect(need.status).toBe('PENDING_ESCROW');
    await opened(need, poster);
    expect(await volunteering().account(poster.id)).toMatchObject({ balance: 150, lifetimeEarned: 200 });
    expect(await api.errorOf(act('claimNeed'), { id: need.id }, poster.token)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OWN_NEED',
    });
    await api.data(act('claimNeed'), { id: need.id }, helper.token);
    expect(await api.errorOf(act('fulfilNeed'), { id: need.id }, helper.token)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_POSTER',
    });
    const { fulfilNeed } = await api.data<{ fulfilNeed: Need }>(act('fulfilNeed'), { id: need.id }, poster.token);
    expect(fulfilNeed.status).toBe('FULFILLED');
    await waitFor(
      async () => (await volunteering().account(helper.id)).balance === 60,
      'the reward to reach the helper',
    );
    // The fulfilment announced again (a redelivery with a new id): the helper is paid once.
    await market.send(NeedFulfilled, '/taoyuan/marketplace', {
      needId: need.id,
      communityId: TAOYUANJU.id,
      postedBy: poster.id,
      fulfilledBy: helper.id,
      rewardPoints: 50,
      fulfilledAt: new Date().toISOString(),
    });
    await waitFor(async () => {
      const rows: unknown[] = await volunteering().db.query(
        `SELECT 1 FROM inbox WHERE event_type LIKE '%need.fulfilled%'`,
      );
      return rows.length === 2;
    }, 'the duplicate to be handled');
    expect(await volunteering().account(helper.id)).toMatchObject({ balance: 60, ledgerSum: 60 });
    expect(await volunteering().account(poster.id)).toMatchObject({ balance: 150, ledgerSum: 150 });
  });

  it('a resident of the poster’s confirmed household cannot claim; a helper can withdraw', async () => {
    const poster = await residentWith(0);
    const spouse = await residentWith(0);
    const neighbour = await residentWith(0);
    const householdId = randomUUID();
    for (const person of [poster, spouse])
      await market.send(ResidenceChanged, '/taoyuan/identity', {
        userId: person.id,
        communityId: TAOYUANJU.id,
        householdId,
        status: 'CONFIRMED',
        residenceVersion: 1,
        changedBy: randomUUID(),
        changedAt: new Date().toISOString(),
      });
    await waitFor(async () => {
      const rows: unknown[] = await market.db.query(`SELECT 1 FROM residences WHERE household_id = $1`, [householdId]);
      return rows.length === 2;
    }, 'the residences projection');
    const need = await post(poster, 0);
    expect(need.status).toBe('OPEN');
    expect(await api.errorOf(act('claimNeed'), { id: need.id }, spouse.token)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'SAME_HOUSEHOLD',
    });
    await api.data(act('claimNeed'), { id: need.id }, neighbour.token);
    expect(await api.errorOf(act('claimNeed'), { id: need.id }, neighbour.token)).toMatchObject({
      code: 'CONFLICT',
      reason: 'NEED_NOT_OPEN',
    });
    const { withdrawClaim } = await api.data<{ withdrawClaim: Need }>(
      act('withdrawClaim'),
      { id: need.id },
      neighbour.token,
    );
    expect(withdrawClaim.status).toBe('OPEN');
  });

  it('cancelling refunds the poster; expiry after neededBy refunds the poster', async () => {
    const poster = await residentWith(100);
    const cancelled = await post(poster, 40);
    await opened(cancelled, poster);
    await api.data(act('cancelNeed'), { id: cancelled.id }, poster.token);
    await waitFor(
      async () => (await volunteering().account(poster.id)).balance === 100,
      'the refund of a cancelled need',
    );
    const expiring = await post(poster, 30);
    await opened(expiring, poster);
    expect((await volunteering().account(poster.id)).balance).toBe(70);
    await market.db.query(`UPDATE needs SET needed_by = now() - interval '1 minute' WHERE id = $1`, [expiring.id]);
    await waitFor(async () => (await statusOf(expiring.id, poster.token)) === 'EXPIRED', 'the expiry sweep');
    await waitFor(
      async () => (await volunteering().account(poster.id)).balance === 100,
      'the refund of an expired need',
    );
    expect(await volunteering().account(poster.id)).toMatchObject({
      balance: 100,
      lifetimeEarned: 100,
      ledgerSum: 100,
    });
  });

  it('a reward the poster cannot cover: the need never opens; a reward over 200: BAD_USER_INPUT', async () => {
    const poster = await residentWith(20);
    const need = await post(poster, 50);
    await waitFor(
      async () => (await statusOf(need.id, poster.token)) === 'CANCELLED',
      'the escrow to be rejected',
      45_000,
    );
    expect(await volunteering().account(poster.id)).toMatchObject({ balance: 20 });
    expect(
      await api.errorOf(
        POST,
        {
          input: {
            title: '搬家',
            category: 'MUTUAL_AID',
            neededBy: new Date(Date.now() + 86_400_000),
            rewardPoints: 201,
          },
        },
        poster.token,
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rewardPoints' });
  });
});
