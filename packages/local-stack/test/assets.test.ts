import { DEMO_CAMPAIGN, DEMO_FACILITIES, DEMO_FUNDS, TAOYUANJU } from '@taoyuan/demo-data';
import { builders, graphqlData, graphqlRequest } from '@taoyuan/testing';
import { eventually, startSystem, type SystemUnderTest } from './support/start-system';

/**
 * Issue 10's headline through the gateway, every service its own process: a resident books a room, staff record
 * income and spend it within the rules, residents vote and donate, and anyone reads the report — in GraphQL (with
 * volunteering's hours joined by federation) and as the printable page and CSV on the gateway's host.
 */
let system: SystemUnderTest;
let tokens: Record<'liJianguo' | 'wangFang' | 'zhangWei' | 'liuYang' | 'chenJing' | 'yangXiuying', string>;

const call = <T>(query: string, variables: Record<string, unknown>, token?: string) =>
  graphqlData<T>(system.gatewayUrl, query, variables, token ? { token } : {});

/** 10:00–12:00 China Standard Time, `days` from today. */
const slot = (days: number) => {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const start = Date.parse(`${today}T10:00:00+08:00`) + days * 86_400_000;
  return { startsAt: new Date(start), endsAt: new Date(start + 2 * 3600_000) };
};

beforeAll(async () => {
  system = await startSystem();
  const build = builders(system.gatewayUrl);
  const phones = {
    liJianguo: '13800000001',
    wangFang: '13800000002',
    zhangWei: '13800000011',
    liuYang: '13800000012',
    chenJing: '13800000013',
    yangXiuying: '13800000014',
  } as const;
  const sessions = await Promise.all(
    Object.entries(phones).map(async ([name, phone]) => [name, (await build.login(phone, 'taoyuan-demo')).accessToken]),
  );
  tokens = Object.fromEntries(sessions) as typeof tokens;
}, 120_000);
afterAll(async () => {
  await system?.stop();
});

describe('public-welfare assets and money through the gateway', () => {
  it('a resident books 会所多功能厅, staff mark it paid: PUBLIC_WELFARE income; a second booking of the slot conflicts', async () => {
    const hall = DEMO_FACILITIES[0];
    const BOOK = `mutation($input: BookFacilityInput!) { bookFacility(input: $input) { id status feeFen facility { name } } }`;
    const input = { facilityId: hall.id, ...slot(9), purpose: '家庭读书分享会', attendees: 20 };
    const { bookFacility } = await call<{
      bookFacility: { id: string; status: string; feeFen: number; facility: { name: string } };
    }>(BOOK, { input }, tokens.zhangWei);
    expect(bookFacility).toMatchObject({ status: 'CONFIRMED', feeFen: 10_000, facility: { name: '会所多功能厅' } });
    const again = await graphqlRequest(system.gatewayUrl, BOOK, { input }, { token: tokens.liuYang });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'SLOT_TAKEN' });
    await call(
      `mutation($id: ID!) { markBookingPaid(bookingId: $id, paymentReference: "微信支付-E2E") { id paidAt } }`,
      { id: bookFacility.id },
      tokens.wangFang,
    );
    const { me } = await call<{ me: { bookings: { edges: { node: { id: string; paidAt: string | null } }[] } } }>(
      `{ me { bookings(first: 5) { edges { node { id paidAt } } } } }`,
      {},
      tokens.zhangWei,
    );
    expect(me.bookings.edges.find((edge) => edge.node.id === bookFacility.id)?.node.paidAt).toEqual(expect.any(String));
  });

  it('staff record a grant and pay a social worker from PUBLIC_WELFARE with a committee member’s approval', async () => {
    await call(
      `mutation($input: RecordIncomeInput!) { recordIncome(input: $input) { id } }`,
      {
        input: {
          fundId: DEMO_FUNDS.unrestricted,
          category: 'GRANT',
          amountFen: 200_000,
          memo: '区民政局社区营造资助',
          sourceReference: 'MZ-E2E-1',
        },
      },
      tokens.wangFang,
    );
    const FUNDS = `query($id: ID!) { community(id: $id) { name funds { id kind balanceFen } facilities { name } } }`;
    type Funds = {
      community: {
        name: string;
        funds: { id: string; kind: string; balanceFen: number }[];
        facilities: { name: string }[];
      };
    };
    const before = (await call<Funds>(FUNDS, { id: TAOYUANJU.id }, tokens.zhangWei)).community;
    expect(before.name).toBe('桃源居社区');
    expect(before.facilities.map((facility) => facility.name).sort()).toEqual(
      DEMO_FACILITIES.map((facility) => facility.name).sort(),
    );
    const welfareBefore = before.funds.find((fund) => fund.id === DEMO_FUNDS.publicWelfare)!.balanceFen;
    const { proposeExpense } = await call<{ proposeExpense: { id: string } }>(
      `mutation($input: ProposeExpenseInput!) { proposeExpense(input: $input) { id } }`,
      {
        input: {
          fundId: DEMO_FUNDS.publicWelfare,
          category: 'WORKER_PAY',
          amountFen: 150_000,
          payee: '王芳',
          purpose: '社工加班补贴',
          receiptReference: 'GZ-E2E',
        },
      },
      tokens.wangFang,
    );
    const wrong = await graphqlRequest(
      system.gatewayUrl,
      `mutation($input: ProposeExpenseInput!) { proposeExpense(input: $input) { id } }`,
      {
        input: {
          fundId: DEMO_FUNDS.publicWelfare,
          category: 'OPERATING_EXPENSE',
          amountFen: 100,
          payee: '物业',
          purpose: '挪用',
          receiptReference: 'X',
        },
      },
      { token: tokens.wangFang },
    );
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'FUND_RESTRICTED' });
    const { approveExpense } = await call<{ approveExpense: { status: string } }>(
      `mutation($id: ID!) { approveExpense(expenseId: $id) { status } }`,
      { id: proposeExpense.id },
      tokens.liJianguo,
    );
    expect(approveExpense.status).toBe('APPROVED');
    const after = (await call<Funds>(FUNDS, { id: TAOYUANJU.id }, tokens.zhangWei)).community;
    expect(after.funds.find((fund) => fund.id === DEMO_FUNDS.publicWelfare)!.balanceFen).toBe(welfareBefore - 150_000);
  });

  it('confirmed households vote a campaign open, residents donate, staff confirm with a receipt', async () => {
    const opensAt = new Date(Date.now() + 25_000);
    const { proposeCampaign } = await call<{ proposeCampaign: { id: string; status: string } }>(
      `mutation($input: ProposeCampaignInput!) { proposeCampaign(input: $input) { id status } }`,
      {
        input: {
          title: '楼道声控灯更换',
          purpose: '更换 1–6 栋楼道老化的声控灯',
          goalFen: 800_000,
          opensAt,
          closesAt: new Date(Date.now() + 30 * 86_400_000),
          requiresVote: true,
        },
      },
      tokens.wangFang,
    );
    expect(proposeCampaign.status).toBe('VOTING');
    const VOTE = `mutation($id: ID!, $choice: VoteChoice!) { voteOnCampaign(campaignId: $id, choice: $choice) { myHouseholdVote } }`;
    // identity's seed confirmed every demo household; assets learns it from identity.residence.changed.
    for (const [voter, choice] of [
      [tokens.zhangWei, 'YES'],
      [tokens.chenJing, 'YES'],
      [tokens.yangXiuying, 'NO'],
      [tokens.liuYang, 'YES'],
    ] as const)
      await eventually(async () => {
        const result = await graphqlRequest<{ voteOnCampaign: { myHouseholdVote: string } }>(
          system.gatewayUrl,
          VOTE,
          { id: proposeCampaign.id, choice },
          { token: voter },
        );
        return result.data?.voteOnCampaign.myHouseholdVote === choice;
      }, 'the household projection to let a demo resident vote');
    const opened = await eventually(
      async () => {
        const result = await graphqlRequest<{
          closeCampaignVote: { status: string; result: { yes: number; no: number } };
        }>(
          system.gatewayUrl,
          `mutation($id: ID!) { closeCampaignVote(campaignId: $id) { status result { yes no } } }`,
          { id: proposeCampaign.id },
          { token: tokens.wangFang },
        );
        return result.errors?.[0]?.extensions?.reason === 'VOTE_STILL_OPEN' ? undefined : result;
      },
      'the vote period to end',
      40_000,
    );
    expect(opened.data?.closeCampaignVote).toEqual({ status: 'OPEN', result: { yes: 3, no: 1 } });

    const { donate } = await call<{ donate: { id: string; status: string } }>(
      `mutation($input: DonateInput!) { donate(input: $input) { id status } }`,
      { input: { campaignId: DEMO_CAMPAIGN.id, amountFen: 66_600, anonymous: true, message: '祝老人安康' } },
      tokens.liuYang,
    );
    expect(donate.status).toBe('PLEDGED');
    const { confirmDonation } = await call<{ confirmDonation: { receiptNumber: string } }>(
      `mutation($id: ID!) { confirmDonation(donationId: $id, paymentReference: "银行转账-E2E") { receiptNumber } }`,
      { id: donate.id },
      tokens.wangFang,
    );
    expect(confirmDonation.receiptNumber).toMatch(/^TY\d{4}-\d{6}$/);
    const { me } = await call<{
      me: { donations: { edges: { node: { amountFen: number; receiptNumber: string } }[] } };
    }>(`{ me { donations(first: 5) { edges { node { amountFen receiptNumber } } } } }`, {}, tokens.liuYang);
    expect(me.donations.edges.map((edge) => edge.node)).toContainEqual({
      amountFen: 66_600,
      receiptNumber: confirmDonation.receiptNumber,
    });
  });

  it('anyone reads the report: funds and campaigns from assets, volunteer hours from volunteering, the page and CSV on the gateway', async () => {
    const to = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    const { transparencyReport } = await call<{
      transparencyReport: {
        funds: { kind: string; openingFen: number; incomeFen: number; spendingFen: number; closingFen: number }[];
        campaigns: { title: string; raisedFen: number }[];
        volunteerHours: number;
        pointsEarned: number;
      };
    }>(
      `query($c: ID!, $from: String!, $to: String!) { transparencyReport(communityId: $c, from: $from, to: $to) {
         funds { kind openingFen incomeFen spendingFen closingFen } campaigns { title raisedFen } volunteerHours pointsEarned } }`,
      { c: TAOYUANJU.id, from, to },
    );
    for (const fund of transparencyReport.funds)
      expect(fund.closingFen).toBe(fund.openingFen + fund.incomeFen - fund.spendingFen);
    expect(transparencyReport.campaigns.find((campaign) => campaign.title === DEMO_CAMPAIGN.title)?.raisedFen).toBe(
      960_000 + 66_600,
    );
    expect(transparencyReport.volunteerHours).toBeGreaterThanOrEqual(0);
    expect(transparencyReport.pointsEarned).toBeGreaterThan(0);

    const origin = new URL(system.gatewayUrl).origin;
    const csv = await fetch(`${origin}/reports/transparency.csv?communityId=${TAOYUANJU.id}&from=${from}&to=${to}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.startsWith('\uFEFF"栏目","名称","项目"')).toBe(true);
    expect(text).toContain('"社区公益金","期末余额"');
    const page = await fetch(`${origin}/reports/transparency.html?communityId=${TAOYUANJU.id}&from=${from}&to=${to}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('公益资金收支公示');
    expect(html).toContain('<svg');
    expect(html).toContain(DEMO_CAMPAIGN.title);
  });
});
