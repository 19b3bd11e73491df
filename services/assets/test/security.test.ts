import { randomUUID } from 'node:crypto';
import { DEMO_COMMUNITIES, TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import { createFacility, openFund, shanghai, startAssetsForTests, type AssetsUnderTest } from './support/start-assets';

/**
 * Another community's staff are outsiders here: they cannot see or touch this community's funds, bookings, expenses,
 * campaigns or votes, whatever roles their token carries, through queries or through federation's `_entities`.
 */
let service: AssetsUnderTest;
const OTHER = DEMO_COMMUNITIES[1].id;
let home: { worker: string; committee: string; resident: string; residentId: string };
let outsider: { worker: string; committee: string; workerId: string };
let fundId: string;
let bookingId: string;
let expenseId: string;
let campaignId: string;
let facilityId: string;

const token = async (
  communityId: string,
  roles: ('RESIDENT' | 'COMMUNITY_WORKER' | 'COMMITTEE')[],
  id = randomUUID(),
) => service.token(id, communityId, roles);

beforeAll(async () => {
  service = await startAssetsForTests();
  const residentId = randomUUID();
  home = {
    worker: await token(TAOYUANJU.id, ['RESIDENT', 'COMMUNITY_WORKER']),
    committee: await token(TAOYUANJU.id, ['RESIDENT', 'COMMITTEE']),
    resident: await token(TAOYUANJU.id, ['RESIDENT'], residentId),
    residentId,
  };
  const workerId = randomUUID();
  outsider = {
    worker: await token(OTHER, ['RESIDENT', 'COMMUNITY_WORKER', 'COMMITTEE'], workerId),
    committee: await token(OTHER, ['RESIDENT', 'COMMITTEE']),
    workerId,
  };
  fundId = await openFund(service.url, home.worker, 'PUBLIC_WELFARE');
  await graphqlData(
    service.url,
    `mutation($input: RecordIncomeInput!) { recordIncome(input: $input) { id } }`,
    { input: { fundId, category: 'GRANT', amountFen: 500_000, memo: '街道资助', sourceReference: 'JD-1' } },
    { token: home.worker },
  );
  facilityId = await createFacility(service.url, home.worker);
  bookingId = (
    await graphqlData<{ bookFacility: { id: string } }>(
      service.url,
      `mutation($input: BookFacilityInput!) { bookFacility(input: $input) { id } }`,
      { input: { facilityId, startsAt: shanghai(2, 9), endsAt: shanghai(2, 10), purpose: '读书会', attendees: 8 } },
      { token: home.resident },
    )
  ).bookFacility.id;
  expenseId = (
    await graphqlData<{ proposeExpense: { id: string } }>(
      service.url,
      `mutation($input: ProposeExpenseInput!) { proposeExpense(input: $input) { id } }`,
      {
        input: {
          fundId,
          category: 'WORKER_PAY',
          amountFen: 10_000,
          payee: '王芳',
          purpose: '社工薪酬',
          receiptReference: 'GZ-1',
        },
      },
      { token: home.worker },
    )
  ).proposeExpense.id;
  campaignId = (
    await graphqlData<{ proposeCampaign: { id: string } }>(
      service.url,
      `mutation($input: ProposeCampaignInput!) { proposeCampaign(input: $input) { id } }`,
      {
        input: {
          title: '为独居老人安装紧急呼叫器',
          purpose: '一键呼叫',
          goalFen: 3_000_000,
          opensAt: new Date(Date.now() + 86_400_000),
          closesAt: new Date(Date.now() + 30 * 86_400_000),
          requiresVote: true,
        },
      },
      { token: home.worker },
    )
  ).proposeCampaign.id;
  // The outsider even lives in a confirmed household, of their own community.
  await service.db.query(
    `INSERT INTO household_residents (user_id, community_id, household_id, status, residence_version) VALUES ($1, $2, $3, 'CONFIRMED', 1)`,
    [outsider.workerId, OTHER, randomUUID()],
  );
});
afterAll(() => service?.stop());

const codeOf = async (query: string, variables: Record<string, unknown>, bearer: string) => {
  // As the gateway forwards it: `_entities` is answered only for the gateway, with the caller's own token.
  const result = await graphqlRequest(service.url, query, variables, { token: bearer, asGatewayTo: 'assets' });
  return {
    code: result.errors?.[0]?.extensions?.code,
    reason: result.errors?.[0]?.extensions?.reason,
    data: result.data,
  };
};

describe('another community’s worker', () => {
  it('cannot see the funds, their entries or the expenses', async () => {
    expect(
      await codeOf(`query($c: ID) { funds(communityId: $c) { id } }`, { c: TAOYUANJU.id }, outsider.worker),
    ).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OTHER_COMMUNITY',
    });
    expect(
      (await codeOf(`query($id: ID!) { fund(id: $id) { id balanceFen } }`, { id: fundId }, outsider.worker)).data,
    ).toEqual({ fund: null });
    const viaEntities = await codeOf(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Community { funds { id balanceFen } } } }`,
      { reps: [{ __typename: 'Community', id: TAOYUANJU.id }] },
      outsider.worker,
    );
    expect(viaEntities).toMatchObject({ code: 'FORBIDDEN', reason: 'OTHER_COMMUNITY' });
    // Their own community's expenses only: none of this community's.
    const expenses = await codeOf(`{ expenses { edges { node { id } } } }`, {}, outsider.worker);
    expect(expenses.data).toEqual({ expenses: { edges: [] } });
  });

  it('cannot record income, propose, approve or reject expenses of this community', async () => {
    const attempts: [string, Record<string, unknown>][] = [
      [
        `mutation($input: RecordIncomeInput!) { recordIncome(input: $input) { id } }`,
        { input: { fundId, category: 'GRANT', amountFen: 1, memo: 'x', sourceReference: 'x' } },
      ],
      [
        `mutation($input: ProposeExpenseInput!) { proposeExpense(input: $input) { id } }`,
        { input: { fundId, category: 'WORKER_PAY', amountFen: 1, payee: 'x', purpose: 'x', receiptReference: 'x' } },
      ],
      [`mutation($id: ID!) { approveExpense(expenseId: $id) { id } }`, { id: expenseId }],
      [`mutation($id: ID!) { rejectExpense(expenseId: $id, reason: "x") { id } }`, { id: expenseId }],
    ];
    for (const [query, variables] of attempts)
      expect(await codeOf(query, variables, outsider.worker)).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'OTHER_COMMUNITY',
      });
    const [{ balance }] = await service.db.query(`SELECT balance_fen::int AS balance FROM funds WHERE id = $1`, [
      fundId,
    ]);
    expect(balance).toBe(500_000);
  });

  it('cannot see, book, cancel, approve or mark paid this community’s bookings', async () => {
    expect(
      (await codeOf(`query($id: ID!) { booking(id: $id) { id purpose } }`, { id: bookingId }, outsider.worker)).data,
    ).toEqual({
      booking: null,
    });
    const userBookings = await codeOf(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { bookings { edges { node { id } } } } } }`,
      { reps: [{ __typename: 'User', id: home.residentId }] },
      outsider.worker,
    );
    expect(userBookings.data).toEqual({ _entities: [{ bookings: { edges: [] } }] });
    const attempts: [string, Record<string, unknown>][] = [
      [`mutation($id: ID!) { cancelBooking(bookingId: $id, reason: "我说了算") { id } }`, { id: bookingId }],
      [`mutation($id: ID!) { approveBooking(bookingId: $id) { id } }`, { id: bookingId }],
      [`mutation($id: ID!) { markBookingPaid(bookingId: $id, paymentReference: "x") { id } }`, { id: bookingId }],
      [
        `mutation($input: BookFacilityInput!) { bookFacility(input: $input) { id } }`,
        { input: { facilityId, startsAt: shanghai(3, 9), endsAt: shanghai(3, 10), purpose: '占位', attendees: 1 } },
      ],
    ];
    for (const [query, variables] of attempts)
      expect(await codeOf(query, variables, outsider.worker)).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'OTHER_COMMUNITY',
      });
    const [booking] = await service.db.query(`SELECT status FROM bookings WHERE id = $1`, [bookingId]);
    expect(booking.status).toBe('CONFIRMED');
  });

  it('cannot see campaigns, vote, count votes or confirm donations here', async () => {
    expect(
      (await codeOf(`query($id: ID!) { campaign(id: $id) { id } }`, { id: campaignId }, outsider.worker)).data,
    ).toEqual({
      campaign: null,
    });
    const attempts: [string, Record<string, unknown>][] = [
      [`mutation($id: ID!) { voteOnCampaign(campaignId: $id, choice: NO) { id } }`, { id: campaignId }],
      [`mutation($id: ID!) { closeCampaignVote(campaignId: $id) { id } }`, { id: campaignId }],
      [
        `mutation($input: DonateInput!) { donate(input: $input) { id } }`,
        { input: { campaignId, amountFen: 100, anonymous: true } },
      ],
    ];
    for (const [query, variables] of attempts)
      expect(await codeOf(query, variables, outsider.worker)).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'OTHER_COMMUNITY',
      });
    const [{ votes }] = await service.db.query(
      `SELECT count(*)::int AS votes FROM campaign_votes WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(votes).toBe(0);
  });

  it('a resident of this community cannot do staff work, nor see someone else’s bookings', async () => {
    expect(
      await codeOf(`mutation($id: ID!) { approveExpense(expenseId: $id) { id } }`, { id: expenseId }, home.resident),
    ).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'COMMITTEE_ONLY',
    });
    expect(await codeOf(`mutation { openFund(kind: UNRESTRICTED) { id } }`, {}, home.resident)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'STAFF_ONLY',
    });
    const other = await token(TAOYUANJU.id, ['RESIDENT']);
    expect((await codeOf(`query($id: ID!) { booking(id: $id) { id } }`, { id: bookingId }, other)).data).toEqual({
      booking: null,
    });
  });
});
