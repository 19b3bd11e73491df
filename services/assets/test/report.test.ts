import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { chromiumLaunchOptions, graphqlData } from '@taoyuan/testing';
import { chromium } from 'playwright-core';
import { yuan } from '../src/domain/report-documents';
import { openFund, startAssetsForTests, type AssetsUnderTest } from './support/start-assets';

let service: AssetsUnderTest;
let staffToken: string;

interface Entry {
  fundId: string;
  direction: 'IN' | 'OUT';
  category: string;
  amountFen: number;
  occurredAt: Date;
}

const entries: Entry[] = [];
const funds: Record<string, string> = {};

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const shanghaiDay = (instant: Date) => new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const SEED = Number(process.env.REPORT_PROPERTY_SEED ?? 20261201);

const REPORT = `query($communityId: ID!, $from: String!, $to: String!) {
  transparencyReport(communityId: $communityId, from: $from, to: $to) {
    from to
    funds { fundId name kind openingFen incomeFen spendingFen closingFen income { category amountFen } spending { category amountFen } }
    months { month incomeFen spendingFen }
    campaigns { title goalFen raisedFen }
  } }`;

interface FundFigures {
  fundId: string;
  name: string;
  openingFen: number;
  incomeFen: number;
  spendingFen: number;
  closingFen: number;
}

beforeAll(async () => {
  service = await startAssetsForTests();
  staffToken = await service.token(randomUUID(), TAOYUANJU.id, ['RESIDENT', 'COMMUNITY_WORKER']);
  funds.PUBLIC_WELFARE = await openFund(service.url, staffToken, 'PUBLIC_WELFARE');
  funds.UNRESTRICTED = await openFund(service.url, staffToken, 'UNRESTRICTED');

  // 400 random entries over the last 400 days, in time order, never spending more than a fund holds.
  const next = random(SEED);
  const balances: Record<string, number> = { [funds.PUBLIC_WELFARE]: 0, [funds.UNRESTRICTED]: 0 };
  const start = Date.now() - 400 * 86_400_000;
  const times = Array.from({ length: 400 }, () => start + Math.floor(next() * 399 * 86_400_000)).sort((a, b) => a - b);
  for (const time of times) {
    const welfare = next() < 0.6;
    const fundId = welfare ? funds.PUBLIC_WELFARE : funds.UNRESTRICTED;
    const out = next() < 0.45 && balances[fundId] > 0;
    const amountFen = out ? 1 + Math.floor(next() * balances[fundId]) : 1 + Math.floor(next() * 2_000_000);
    const category = out
      ? welfare
        ? next() < 0.5
          ? 'PUBLIC_WELFARE_EXPENSE'
          : 'WORKER_PAY'
        : 'OPERATING_EXPENSE'
      : welfare
        ? next() < 0.5
          ? 'FACILITY_FEE'
          : 'SERVICE_BUSINESS_INCOME'
        : 'GRANT';
    balances[fundId] += out ? -amountFen : amountFen;
    entries.push({ fundId, direction: out ? 'OUT' : 'IN', category, amountFen, occurredAt: new Date(time) });
  }
  for (const entry of entries)
    await service.db.query(
      `INSERT INTO ledger_entries (id, fund_id, community_id, direction, category, amount_fen, source_type, source_id, occurred_at, memo)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'SEED', gen_random_uuid()::text, $6, '测试分录')`,
      [entry.fundId, TAOYUANJU.id, entry.direction, entry.category, entry.amountFen, entry.occurredAt],
    );
  // A campaign whose Chinese title must survive every format.
  const campaignId = randomUUID();
  await service.db.query(
    `INSERT INTO campaigns (id, community_id, title, purpose, goal_fen, opens_at, closes_at, requires_vote, quorum_percent, status, proposed_by, created_at)
     VALUES ($1, $2, '为独居老人安装紧急呼叫器', '一键呼叫', 3000000, now() - interval '2 days', now() + interval '20 days', true, 30, 'OPEN', $3, now() - interval '3 days')`,
    [campaignId, TAOYUANJU.id, randomUUID()],
  );
  await service.db.query(
    `INSERT INTO funds (id, community_id, kind, name, campaign_id) VALUES (gen_random_uuid(), $1, 'DESIGNATED', '专项：为独居老人安装紧急呼叫器', $2)`,
    [TAOYUANJU.id, campaignId],
  );
  await service.db.query(
    `INSERT INTO ledger_entries (id, fund_id, community_id, direction, category, amount_fen, source_type, source_id, campaign_id, occurred_at)
     SELECT gen_random_uuid(), id, community_id, 'IN', 'DONATION', 123456, 'DONATION', gen_random_uuid()::text, campaign_id, now() - interval '1 day'
       FROM funds WHERE campaign_id = $1`,
    [campaignId],
  );
});
afterAll(() => service?.stop());

async function report(from: string, to: string) {
  return (
    await graphqlData<{
      transparencyReport: { funds: FundFigures[]; campaigns: { title: string; raisedFen: number }[] };
    }>(service.url, REPORT, { communityId: TAOYUANJU.id, from, to })
  ).transparencyReport;
}

describe('the transparency report', () => {
  it('for every fund and random periods: opening + in − out = closing, each figure as the entries say', async () => {
    const next = random(SEED + 1);
    const today = shanghaiDay(new Date());
    for (let round = 0; round < 12; round += 1) {
      const a = shanghaiDay(new Date(Date.now() - Math.floor(next() * 420) * 86_400_000));
      const b = round === 0 ? today : shanghaiDay(new Date(Date.now() - Math.floor(next() * 420) * 86_400_000));
      const [from, to] = a <= b ? [a, b] : [b, a];
      const { funds: figures } = await report(from, to);
      for (const fundId of [funds.PUBLIC_WELFARE, funds.UNRESTRICTED]) {
        const fund = figures.find((figure) => figure.fundId === fundId)!;
        const signed = (entry: Entry) => (entry.direction === 'IN' ? entry.amountFen : -entry.amountFen);
        const mine = entries.filter((entry) => entry.fundId === fundId);
        const before = mine.filter((entry) => shanghaiDay(entry.occurredAt) < from);
        const within = mine.filter(
          (entry) => shanghaiDay(entry.occurredAt) >= from && shanghaiDay(entry.occurredAt) <= to,
        );
        const sum = (list: Entry[]) => list.reduce((total, entry) => total + entry.amountFen, 0);
        expect(fund.openingFen).toBe(before.reduce((total, entry) => total + signed(entry), 0));
        expect(fund.incomeFen).toBe(sum(within.filter((entry) => entry.direction === 'IN')));
        expect(fund.spendingFen).toBe(sum(within.filter((entry) => entry.direction === 'OUT')));
        expect(fund.closingFen).toBe(fund.openingFen + fund.incomeFen - fund.spendingFen);
        expect(fund.openingFen).toBeGreaterThanOrEqual(0);
      }
    }
    // Up to today, the closing balance is the fund's balance.
    const { funds: now } = await report('2020-01-01', today);
    const balances = await service.db.query(`SELECT id, balance_fen::bigint::text AS balance FROM funds`);
    for (const row of balances as { id: string; balance: string }[])
      expect(now.find((fund) => fund.fundId === row.id)?.closingFen).toBe(Number(row.balance));
  });

  it('serves a CSV in UTF-8 with a BOM, the documented columns, and Chinese that round-trips', async () => {
    const today = shanghaiDay(new Date());
    const response = await fetch(
      `${service.origin}/reports/transparency.csv?communityId=${TAOYUANJU.id}&from=2020-01-01&to=${today}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('"栏目","名称","项目","金额（元）","金额（分）","数量"');
    expect(lines).toContain('"筹款项目","为独居老人安装紧急呼叫器","已筹","1,234.56","123456",""');
    const { funds: figures } = await report('2020-01-01', today);
    const welfare = figures.find((fund) => fund.fundId === funds.PUBLIC_WELFARE)!;
    expect(lines).toContain(
      `"基金","${welfare.name}","期末余额","${yuan(welfare.closingFen)}","${welfare.closingFen}",""`,
    );
    const bad = await fetch(
      `${service.origin}/reports/transparency.csv?communityId=${TAOYUANJU.id}&from=2026-13-01&to=${today}`,
    );
    expect(bad.status).toBe(400);
  });

  it('the printable page shows the Chinese headings, the figures and the chart in a real browser, with nothing fetched from elsewhere', async () => {
    const today = shanghaiDay(new Date());
    const from = shanghaiDay(new Date(Date.now() - 200 * 86_400_000));
    const { funds: figures } = await report(from, today);
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      const url = `${service.origin}/reports/transparency.html?communityId=${TAOYUANJU.id}&from=${from}&to=${today}`;
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      expect(await page.locator('h1').innerText()).toContain('公益资金收支公示');
      expect(await page.locator('h2').allInnerTexts()).toEqual([
        '每月收入与支出',
        '各项资金收支',
        '筹款项目',
        '场地使用',
      ]);
      const text = await page.locator('body').innerText();
      expect(text).toContain(`报告期：${from} 至 ${today}`);
      for (const fund of figures) {
        expect(text).toContain(fund.name);
        expect(text).toContain(yuan(fund.closingFen));
        expect(text).toContain(yuan(fund.openingFen));
      }
      expect(text).toContain('为独居老人安装紧急呼叫器');
      expect(await page.locator('svg rect.in').count()).toBeGreaterThan(6);
      const chart = await page.locator('svg').boundingBox();
      expect(chart?.width).toBeGreaterThan(300);
      expect(requested.every((requestedUrl) => requestedUrl.startsWith(service.origin))).toBe(true);
      expect(await page.locator('script').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
