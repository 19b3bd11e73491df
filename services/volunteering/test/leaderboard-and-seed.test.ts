import { DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import { createLogger } from '@taoyuan/service-kit';
import { createTestDatabase, graphqlData, type TestDatabase } from '@taoyuan/testing';
import type { DataSource } from 'typeorm';
import { leaderboardQuery } from '../src/domain/leaderboard';
import { LeaderboardPeriod } from '../src/domain/vocabulary';
import { seedVolunteeringDemo } from '../src/seed/demo-seed';
import { fixtureCommunity, insertLedgerFixture, migratedDatabase } from './support/leaderboard-fixture';
import { startVolunteeringForTests, type VolunteeringUnderTest } from './support/start-volunteering';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

describe('the points leaderboard over 100,000 ledger entries', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('volunteering_leaderboard');
    db = await migratedDatabase(database.url);
    await insertLedgerFixture(db, 100_000);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it.each([LeaderboardPeriod.WEEK, LeaderboardPeriod.MONTH, LeaderboardPeriod.YEAR, LeaderboardPeriod.ALL])(
    '%s is answered from an index, without a sequential scan of the ledger',
    async (period) => {
      const { sql, parameters } = leaderboardQuery(fixtureCommunity(2), period, 10);
      const [{ 'QUERY PLAN': plans }] = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(
        `EXPLAIN (FORMAT JSON) ${sql}`,
        parameters,
      );
      const nodes = nodesOf(plans[0].Plan);
      expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan').map((node) => node['Relation Name'])).toEqual([]);
      const indexes = nodes.map((node) => node['Index Name']).filter(Boolean);
      expect(indexes).toContain(
        period === LeaderboardPeriod.ALL ? 'points_accounts_lifetime_idx' : 'points_entries_leaderboard_idx',
      );
      const rows = await db.query<{ points: number; rank: number }[]>(sql, parameters);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((row) => row.points)).toEqual([...rows.map((row) => row.points)].sort((a, b) => b - a));
    },
  );
});

describe('the demo seed', () => {
  let service: VolunteeringUnderTest;
  const demo = (phone: string) => DEMO_USERS.find((user) => user.phone === phone)!.id;

  beforeAll(async () => {
    service = await startVolunteeringForTests({ seed: true });
  });
  afterAll(() => service?.stop());

  const snapshot = async (): Promise<unknown[]> =>
    service.db.query<unknown[]>(`SELECT
      (SELECT count(*)::int FROM opportunities) AS opportunities, (SELECT count(*)::int FROM shifts) AS shifts,
      (SELECT count(*)::int FROM sign_ups) AS sign_ups, (SELECT count(*)::int FROM points_entries) AS entries,
      (SELECT count(*)::int FROM outbox) AS events`);

  it('puts 张伟 just below ACTIVIST and 陈静 and 赵磊 at BACKBONE, through the real ledger, and a second run adds nothing', async () => {
    const accounts: { user_id: string; balance: number; lifetime_earned: number; tier: string }[] =
      await service.db.query(
        `SELECT user_id, balance, lifetime_earned, tier FROM points_accounts WHERE user_id = ANY($1)`,
        [[demo('13800000011'), demo('13800000013'), demo('13800000015')]],
      );
    const byUser = new Map(accounts.map((account) => [account.user_id, account]));
    expect(byUser.get(demo('13800000011'))).toMatchObject({ balance: 90, lifetime_earned: 90, tier: 'VOLUNTEER' });
    expect(byUser.get(demo('13800000013'))).toMatchObject({ balance: 620, lifetime_earned: 620, tier: 'BACKBONE' });
    expect(byUser.get(demo('13800000015'))).toMatchObject({ balance: 560, lifetime_earned: 560, tier: 'BACKBONE' });
    const tierEvents = await service.db.query(
      `SELECT payload->>'tier' AS tier FROM outbox WHERE topic = 'taoyuan.points.tier-reached.v1' AND message_key = $1`,
      [demo('13800000013')],
    );
    expect(tierEvents).toEqual([{ tier: 'ACTIVIST' }, { tier: 'BACKBONE' }]);
    const titles = await service.db.query<{ title: string }[]>(`SELECT title FROM opportunities ORDER BY title`);
    expect(titles.map((row) => row.title)).toEqual(
      expect.arrayContaining([
        '周末社区环境整治',
        '独居长者探访',
        '四点半课堂作业辅导',
        '夜间治安巡逻',
        '重阳节敬老活动',
      ]),
    );
    const before = await snapshot();
    await seedVolunteeringDemo(service.db, createLogger('seed-test', 'silent'));
    expect(await snapshot()).toEqual(before);
  });

  it('ranks the seeded residents on the leaderboard', async () => {
    const token = await service.token(demo('13800000011'), TAOYUANJU.id);
    const QUERY = `query($c: ID!, $p: LeaderboardPeriod!) { pointsLeaderboard(communityId: $c, period: $p, first: 3) { rank points user { id } } }`;
    const all = await graphqlData<{ pointsLeaderboard: { rank: number; points: number; user: { id: string } }[] }>(
      service.url,
      QUERY,
      { c: TAOYUANJU.id, p: 'ALL' },
      { token },
    );
    expect(all.pointsLeaderboard[0]).toEqual({ rank: 1, points: 620, user: { id: demo('13800000013') } });
    expect(all.pointsLeaderboard[1]).toEqual({ rank: 2, points: 560, user: { id: demo('13800000015') } });
    expect(all.pointsLeaderboard[2]).toEqual({ rank: 3, points: 90, user: { id: demo('13800000011') } });
    const week = await graphqlData<{ pointsLeaderboard: { points: number }[] }>(
      service.url,
      QUERY,
      { c: TAOYUANJU.id, p: 'WEEK' },
      { token },
    );
    // Everything was credited just now, so this week's totals equal the lifetime ones.
    expect(week.pointsLeaderboard.map((row) => row.points)).toEqual([620, 560, 90]);
  });
});
