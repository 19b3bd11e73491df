import { randomUUID } from 'node:crypto';
import { DEMO_CAMPAIGN, DEMO_FACILITIES, DEMO_FUNDS, TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlData } from '@taoyuan/testing';
import { seedAssetsDemo } from '../src/seed/demo-seed';
import { assetsLedger } from '../src/app';
import { startAssetsForTests, type AssetsUnderTest } from './support/start-assets';

let service: AssetsUnderTest;

beforeAll(async () => {
  service = await startAssetsForTests({ seed: true });
});
afterAll(() => service?.stop());

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describe('the demo data', () => {
  it('has 桃源居’s facilities, a year of public-welfare money and the alarm campaign, and the report reads true', async () => {
    const { facilities } = await graphqlData<{ facilities: { id: string; name: string }[] }>(
      service.url,
      `query($c: ID) { facilities(communityId: $c) { id name } }`,
      { c: TAOYUANJU.id },
    );
    expect(facilities.map((facility) => facility.name).sort()).toEqual(
      DEMO_FACILITIES.map((facility) => facility.name).sort(),
    );
    const { transparencyReport } = await graphqlData<{
      transparencyReport: {
        funds: {
          fundId: string;
          kind: string;
          openingFen: number;
          closingFen: number;
          income: unknown[];
          spending: unknown[];
        }[];
        months: unknown[];
        campaigns: { title: string; goalFen: number; raisedFen: number; spentFen: number }[];
      };
    }>(
      service.url,
      `query($c: ID!, $from: String!, $to: String!) { transparencyReport(communityId: $c, from: $from, to: $to) {
         funds { fundId kind openingFen closingFen income { category amountFen } spending { category amountFen } }
         months { month } campaigns { title goalFen raisedFen spentFen } } }`,
      { c: TAOYUANJU.id, from: '2020-01-01', to: today() },
    );
    const welfare = transparencyReport.funds.find((fund) => fund.fundId === DEMO_FUNDS.publicWelfare)!;
    expect(welfare.income.length).toBeGreaterThanOrEqual(2);
    expect(welfare.spending.length).toBe(2);
    expect(transparencyReport.months.length).toBeGreaterThanOrEqual(11);
    expect(transparencyReport.campaigns).toEqual([
      { title: DEMO_CAMPAIGN.title, goalFen: 3_000_000, raisedFen: 960_000, spentFen: 600_000 },
    ]);
    for (const fund of transparencyReport.funds) {
      const [row] = await service.db.query(`SELECT balance_fen::text AS balance FROM funds WHERE id = $1`, [
        fund.fundId,
      ]);
      expect(fund.closingFen).toBe(Number(row.balance));
      expect(fund.closingFen).toBeGreaterThan(0);
    }
  });

  it('seeding again changes nothing', async () => {
    const count = async () => (await service.db.query(`SELECT count(*)::int AS n FROM ledger_entries`))[0].n as number;
    const before = await count();
    await seedAssetsDemo(service.db, assetsLedger(), service.server.deps.logger);
    expect(await count()).toBe(before);
    const worker = await service.token(randomUUID(), TAOYUANJU.id, ['RESIDENT', 'COMMUNITY_WORKER']);
    const { campaign } = await graphqlData<{ campaign: { donorCount: number; status: string } }>(
      service.url,
      `query($id: ID!) { campaign(id: $id) { donorCount status } }`,
      { id: DEMO_CAMPAIGN.id },
      { token: worker },
    );
    expect(campaign).toEqual({ donorCount: 6, status: 'OPEN' });
  });
});
