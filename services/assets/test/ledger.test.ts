import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { MarketplaceIncomeRecorded, buildEnvelope, envelopeHeaders } from '@taoyuan/events';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import { Kafka, logLevel } from 'kafkajs';
import { openFund, startAssetsForTests, waitFor, type AssetsUnderTest } from './support/start-assets';

let service: AssetsUnderTest;
let worker: { id: string; token: string };
let committee: { id: string; token: string };
let secondCommittee: { id: string; token: string };
let welfareFund: string;
let generalFundId: string;

const RECORD_INCOME = `mutation($input: RecordIncomeInput!) { recordIncome(input: $input) { id amountFen direction category } }`;
const PROPOSE = `mutation($input: ProposeExpenseInput!) { proposeExpense(input: $input) { id status approvalsRequired } }`;
const APPROVE = `mutation($id: ID!) { approveExpense(expenseId: $id) { id status entryId approvedBy { id } } }`;
const REJECT = `mutation($id: ID!, $reason: String!) { rejectExpense(expenseId: $id, reason: $reason) { id status rejectReason } }`;
const BALANCE = `query($id: ID!) { fund(id: $id) { balanceFen entries(first: 100) { edges { node { category amountFen direction } } } } }`;

async function person(roles: ('RESIDENT' | 'COMMUNITY_WORKER' | 'COMMITTEE')[]) {
  const id = randomUUID();
  return { id, token: await service.token(id, TAOYUANJU.id, roles) };
}

async function income(fundId: string, amountFen: number, category = 'GRANT') {
  return graphqlData<{ recordIncome: { id: string } }>(
    service.url,
    RECORD_INCOME,
    { input: { fundId, category, amountFen, memo: '街道办公益创投资助', sourceReference: randomUUID() } },
    { token: worker.token },
  );
}

async function balance(fundId: string): Promise<number> {
  const data = await graphqlData<{ fund: { balanceFen: number } }>(
    service.url,
    BALANCE,
    { id: fundId },
    { token: worker.token },
  );
  return data.fund.balanceFen;
}

interface ExpenseProposal {
  fundId: string;
  category: string;
  amountFen: number;
  payee: string;
  purpose: string;
  receiptReference: string;
}

async function propose(input: ExpenseProposal, token = worker.token) {
  const data = await graphqlData<{ proposeExpense: { id: string; approvalsRequired: number } }>(
    service.url,
    PROPOSE,
    { input },
    { token },
  );
  return data.proposeExpense;
}

async function approve(expenseId: string, token: string) {
  const data = await graphqlData<{ approveExpense: { status: string; entryId: string; approvedBy: { id: string }[] } }>(
    service.url,
    APPROVE,
    { id: expenseId },
    { token },
  );
  return data.approveExpense;
}

beforeAll(async () => {
  service = await startAssetsForTests({ kafka: true });
  worker = await person(['RESIDENT', 'COMMUNITY_WORKER']);
  committee = await person(['RESIDENT', 'COMMITTEE']);
  secondCommittee = await person(['RESIDENT', 'COMMITTEE']);
  welfareFund = await openFund(service.url, worker.token, 'PUBLIC_WELFARE');
  generalFundId = await openFund(service.url, worker.token, 'UNRESTRICTED');
});
afterAll(() => service?.stop());

describe('the database keeps the money rules even against hand-written SQL', () => {
  let entryId: string;

  beforeAll(async () => {
    entryId = (await income(welfareFund, 100_000)).recordIncome.id;
  });

  const refused = (sql: string, params: unknown[] = []) => expect(service.db.query(sql, params)).rejects.toThrow();

  it('refuses UPDATE, DELETE and TRUNCATE of a ledger entry', async () => {
    await refused(`UPDATE ledger_entries SET amount_fen = 1 WHERE id = $1`, [entryId]);
    await refused(`DELETE FROM ledger_entries WHERE id = $1`, [entryId]);
    await refused(`TRUNCATE ledger_entries CASCADE`);
    const [row] = await service.db.query(`SELECT amount_fen::int AS amount FROM ledger_entries WHERE id = $1`, [
      entryId,
    ]);
    expect(row.amount).toBe(100_000);
  });

  it('refuses an OUT from PUBLIC_WELFARE in any category but public-welfare expense or worker pay', async () => {
    for (const category of ['OPERATING_EXPENSE', 'CAMPAIGN_EXPENSE'])
      await refused(
        `INSERT INTO ledger_entries (id, fund_id, community_id, direction, category, amount_fen, source_type, source_id, occurred_at)
         VALUES (gen_random_uuid(), $1, $2, 'OUT', $3, 100, 'EXPENSE', gen_random_uuid()::text, now())`,
        [welfareFund, TAOYUANJU.id, category],
      );
    // the allowed categories do go through the same door
    await service.db.query(
      `INSERT INTO ledger_entries (id, fund_id, community_id, direction, category, amount_fen, source_type, source_id, occurred_at)
       VALUES (gen_random_uuid(), $1, $2, 'OUT', 'WORKER_PAY', 100, 'EXPENSE', gen_random_uuid()::text, now())`,
      [welfareFund, TAOYUANJU.id],
    );
    expect(await balance(welfareFund)).toBe(99_900);
  });

  it('refuses an overdraft, and any balance or roll-up change outside the ledger', async () => {
    await refused(
      `INSERT INTO ledger_entries (id, fund_id, community_id, direction, category, amount_fen, source_type, source_id, occurred_at)
       VALUES (gen_random_uuid(), $1, $2, 'OUT', 'PUBLIC_WELFARE_EXPENSE', 99901, 'EXPENSE', gen_random_uuid()::text, now())`,
      [welfareFund, TAOYUANJU.id],
    );
    await refused(`UPDATE funds SET balance_fen = balance_fen + 1000000 WHERE id = $1`, [welfareFund]);
    await refused(`DELETE FROM funds WHERE id = $1`, [generalFundId]);
    await refused(
      `INSERT INTO funds (id, community_id, kind, name, balance_fen) VALUES (gen_random_uuid(), $1, 'UNRESTRICTED', 'x', 5)`,
      [randomUUID()],
    );
    await refused(`UPDATE ledger_daily SET amount_fen = 0`);
    await refused(
      `INSERT INTO ledger_daily (fund_id, day, direction, category, amount_fen, entries) VALUES ($1, '2020-01-01', 'IN', 'GRANT', 5, 1)`,
      [welfareFund],
    );
    expect(await balance(welfareFund)).toBe(99_900);
  });

  it('refuses an OUT from a designated fund that is not for its campaign, and a second reversal', async () => {
    const campaignId = randomUUID();
    await service.db.query(
      `INSERT INTO campaigns (id, community_id, title, purpose, goal_fen, opens_at, closes_at, requires_vote, quorum_percent, status, proposed_by)
       VALUES ($1, $2, '测试', '测试', 1000, now(), now() + interval '1 day', false, 30, 'OPEN', $3)`,
      [campaignId, TAOYUANJU.id, worker.id],
    );
    const [designated] = await service.db.query(
      `INSERT INTO funds (id, community_id, kind, name, campaign_id) VALUES (gen_random_uuid(), $1, 'DESIGNATED', '专项', $2) RETURNING id`,
      [TAOYUANJU.id, campaignId],
    );
    const [gift] = await service.db.query(
      `INSERT INTO ledger_entries (id, fund_id, community_id, direction, category, amount_fen, source_type, source_id, campaign_id, occurred_at)
       VALUES (gen_random_uuid(), $1, $2, 'IN', 'DONATION', 500, 'DONATION', gen_random_uuid()::text, $3, now()) RETURNING id`,
      [designated.id, TAOYUANJU.id, campaignId],
    );
    await refused(
      `INSERT INTO ledger_entries (id, fund_id, community_id, direction, category, amount_fen, source_type, source_id, campaign_id, occurred_at)
       VALUES (gen_random_uuid(), $1, $2, 'OUT', 'CAMPAIGN_EXPENSE', 100, 'EXPENSE', gen_random_uuid()::text, $3, now())`,
      [designated.id, TAOYUANJU.id, randomUUID()],
    );
    const reverse = () =>
      service.db.query(
        `INSERT INTO ledger_entries (id, fund_id, community_id, direction, category, amount_fen, source_type, source_id, reverses_entry_id, occurred_at)
         VALUES (gen_random_uuid(), $1, $2, 'OUT', 'REVERSAL', 500, 'REVERSAL', gen_random_uuid()::text, $3, now())`,
        [designated.id, TAOYUANJU.id, gift.id],
      );
    await reverse();
    await expect(reverse()).rejects.toThrow();
  });
});

describe('expenses: a worker proposes, committee members other than the proposer approve', () => {
  it('pays an approved expense out of the fund and publishes it', async () => {
    await income(welfareFund, 200_000);
    const before = await balance(welfareFund);
    const proposeExpense = await propose({
      fundId: welfareFund,
      category: 'PUBLIC_WELFARE_EXPENSE',
      amountFen: 35_000,
      payee: '桃源居长者食堂',
      purpose: '助餐补贴（十月）',
      receiptReference: 'FP-2026-1001',
    });
    expect(proposeExpense.approvalsRequired).toBe(1);
    const approveExpense = await approve(proposeExpense.id, committee.token);
    expect(approveExpense.status).toBe('APPROVED');
    expect(await balance(welfareFund)).toBe(before - 35_000);
    const [event] = await service.db.query(
      `SELECT payload FROM outbox WHERE topic = 'taoyuan.assets.expense.recorded.v1' AND payload->>'entryId' = $1`,
      [approveExpense.entryId],
    );
    expect(event.payload).toMatchObject({
      amountFen: 35_000,
      category: 'PUBLIC_WELFARE_EXPENSE',
      approvedBy: committee.id,
    });
  });

  it('the proposer cannot approve their own expense, even as a committee member', async () => {
    const both = await person(['RESIDENT', 'COMMUNITY_WORKER', 'COMMITTEE']);
    const proposeExpense = await propose(
      {
        fundId: welfareFund,
        category: 'WORKER_PAY',
        amountFen: 1000,
        payee: '王芳',
        purpose: '社工补贴',
        receiptReference: 'R-1',
      },
      both.token,
    );
    const own = await graphqlRequest(service.url, APPROVE, { id: proposeExpense.id }, { token: both.token });
    expect(own.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OWN_EXPENSE' });
    const resident = await person(['RESIDENT']);
    const byResident = await graphqlRequest(service.url, APPROVE, { id: proposeExpense.id }, { token: resident.token });
    expect(byResident.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'COMMITTEE_ONLY' });
  });

  it('above the threshold it takes two different committee members', async () => {
    await income(welfareFund, 1_000_000);
    const before = await balance(welfareFund);
    const proposeExpense = await propose({
      fundId: welfareFund,
      category: 'PUBLIC_WELFARE_EXPENSE',
      amountFen: 600_000,
      payee: '深圳市安康电子有限公司',
      purpose: '长者活动室空调更换',
      receiptReference: 'HT-88',
    });
    expect(proposeExpense.approvalsRequired).toBe(2);
    const first = await approve(proposeExpense.id, committee.token);
    expect(first.status).toBe('PROPOSED');
    expect(await balance(welfareFund)).toBe(before);
    const again = await graphqlRequest(service.url, APPROVE, { id: proposeExpense.id }, { token: committee.token });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_APPROVED' });
    const second = await approve(proposeExpense.id, secondCommittee.token);
    expect(second.status).toBe('APPROVED');
    expect(second.approvedBy.map((user) => user.id).sort()).toEqual([committee.id, secondCommittee.id].sort());
    expect(await balance(welfareFund)).toBe(before - 600_000);
  });

  it('refuses a category the fund’s restriction forbids, and an overdraft, with reasons; rejection needs a reason', async () => {
    const forbidden = await graphqlRequest(
      service.url,
      PROPOSE,
      {
        input: {
          fundId: welfareFund,
          category: 'OPERATING_EXPENSE',
          amountFen: 100,
          payee: '物业',
          purpose: '办公用品',
          receiptReference: 'X',
        },
      },
      { token: worker.token },
    );
    expect(forbidden.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'FUND_RESTRICTED' });
    const proposeExpense = await propose({
      fundId: generalFundId,
      category: 'OPERATING_EXPENSE',
      amountFen: 100,
      payee: '物业',
      purpose: '办公用品',
      receiptReference: 'Y',
    });
    const overdraft = await graphqlRequest(service.url, APPROVE, { id: proposeExpense.id }, { token: committee.token });
    expect(overdraft.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'INSUFFICIENT_FUNDS' });
    const rejected = await graphqlData<{ rejectExpense: { status: string; rejectReason: string } }>(
      service.url,
      REJECT,
      { id: proposeExpense.id, reason: '一般资金余额不足，下月再议' },
      { token: committee.token },
    );
    expect(rejected.rejectExpense).toEqual({
      id: proposeExpense.id,
      status: 'REJECTED',
      rejectReason: '一般资金余额不足，下月再议',
    });
  });
});

describe('marketplace income', () => {
  it('marketplace.income.recorded delivered twice becomes one PUBLIC_WELFARE entry', async () => {
    const incomeId = randomUUID();
    const payload = {
      incomeId,
      communityId: TAOYUANJU.id,
      orderId: randomUUID(),
      providerId: randomUUID(),
      amountFen: 12_345,
      category: '长者食堂',
      recordedAt: new Date().toISOString(),
    };
    const kafka = new Kafka({
      clientId: 'marketplace',
      brokers: [service.broker!.brokers],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    // The same fact twice under two event ids (a producer retry after a lost acknowledgement) and one exact copy.
    for (const envelope of [
      buildEnvelope(MarketplaceIncomeRecorded, '/taoyuan/marketplace', payload, { communityId: TAOYUANJU.id }),
      buildEnvelope(MarketplaceIncomeRecorded, '/taoyuan/marketplace', payload, { communityId: TAOYUANJU.id }),
    ]) {
      const message = { key: incomeId, value: JSON.stringify(payload), headers: envelopeHeaders(envelope) };
      await producer.send({ topic: MarketplaceIncomeRecorded.topic, messages: [message, message] });
    }
    await producer.disconnect();
    await waitFor(async () => {
      const rows = await service.db.query(`SELECT count(*)::int AS n FROM inbox`);
      return rows[0].n >= 2;
    }, 'both copies of the income event consumed');
    const entries = await service.db.query(
      `SELECT e.amount_fen::int AS amount, e.category, f.kind FROM ledger_entries e JOIN funds f ON f.id = e.fund_id
        WHERE e.source_type = 'MARKETPLACE_INCOME' AND e.source_id = $1`,
      [incomeId],
    );
    expect(entries).toEqual([{ amount: 12_345, category: 'SERVICE_BUSINESS_INCOME', kind: 'PUBLIC_WELFARE' }]);
  });
});
