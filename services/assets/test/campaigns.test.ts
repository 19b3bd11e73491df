import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import { startAssetsForTests, type AssetsUnderTest } from './support/start-assets';

let service: AssetsUnderTest;
let worker: { id: string; token: string };
let committee: { id: string; token: string };

const PROPOSE = `mutation($input: ProposeCampaignInput!) { proposeCampaign(input: $input) { id status quorumPercent } }`;
const VOTE = `mutation($id: ID!, $choice: VoteChoice!) { voteOnCampaign(campaignId: $id, choice: $choice) { id myHouseholdVote votesCast } }`;
const CLOSE_VOTE = `mutation($id: ID!) { closeCampaignVote(campaignId: $id) { id status result { yes no abstain householdsEligible } } }`;
const APPROVE = `mutation($id: ID!) { approveCampaign(campaignId: $id) { id status } }`;
const DONATE = `mutation($input: DonateInput!) { donate(input: $input) { id status receiptNumber } }`;
const CONFIRM = `mutation($id: ID!, $ref: String!) { confirmDonation(donationId: $id, paymentReference: $ref) { id status receiptNumber } }`;
const CAMPAIGN = `query($id: ID!) { campaign(id: $id) { title status raisedFen goalFen donorCount
  donations(first: 10) { edges { node { amountFen anonymous message donor { id } } } } } }`;

interface Person {
  id: string;
  token: string;
}

async function person(roles: ('RESIDENT' | 'COMMUNITY_WORKER' | 'COMMITTEE')[] = ['RESIDENT']): Promise<Person> {
  const id = randomUUID();
  return { id, token: await service.token(id, TAOYUANJU.id, roles) };
}

/** Residents of confirmed households, as identity.residence.changed would have told the projection. */
async function household(size: number): Promise<Person[]> {
  const householdId = randomUUID();
  const members = await Promise.all(Array.from({ length: size }, () => person()));
  for (const member of members)
    await service.db.query(
      `INSERT INTO household_residents (user_id, community_id, household_id, status, residence_version) VALUES ($1, $2, $3, 'CONFIRMED', 1)`,
      [member.id, TAOYUANJU.id, householdId],
    );
  return members;
}

async function propose(requiresVote: boolean, title = '为独居老人安装紧急呼叫器'): Promise<string> {
  const { proposeCampaign } = await graphqlData<{ proposeCampaign: { id: string } }>(
    service.url,
    PROPOSE,
    {
      input: {
        title,
        purpose: '为社区内独居老人家庭安装一键紧急呼叫器，连接社区值班室。',
        goalFen: 3_000_000,
        opensAt: new Date(Date.now() + 3600_000),
        closesAt: new Date(Date.now() + 30 * 86_400_000),
        requiresVote,
      },
    },
    { token: worker.token },
  );
  return proposeCampaign.id;
}

/** The vote period ends at opensAt; tests end it by moving the campaign's opening to now. */
async function endVotingPeriod(campaignId: string): Promise<void> {
  await service.db.query(`UPDATE campaigns SET opens_at = now() - interval '1 second' WHERE id = $1`, [campaignId]);
}

let households: Person[][];

beforeAll(async () => {
  service = await startAssetsForTests();
  worker = await person(['RESIDENT', 'COMMUNITY_WORKER']);
  committee = await person(['RESIDENT', 'COMMITTEE']);
  // Ten confirmed households: the default 30% quorum is three households.
  households = [];
  for (let index = 0; index < 10; index += 1) households.push(await household(2));
});
afterAll(() => service?.stop());

describe('household votes', () => {
  it('one vote per household: a second member changes the household’s vote instead of adding one', async () => {
    const campaignId = await propose(true);
    const [first, second] = households[0];
    await graphqlData(service.url, VOTE, { id: campaignId, choice: 'YES' }, { token: first.token });
    const changed = await graphqlData<{ voteOnCampaign: { myHouseholdVote: string; votesCast: number } }>(
      service.url,
      VOTE,
      { id: campaignId, choice: 'NO' },
      { token: second.token },
    );
    expect(changed.voteOnCampaign).toMatchObject({ myHouseholdVote: 'NO', votesCast: 1 });
    const unconfirmed = await person();
    const refused = await graphqlRequest(
      service.url,
      VOTE,
      { id: campaignId, choice: 'YES' },
      { token: unconfirmed.token },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'HOUSEHOLD_NOT_CONFIRMED' });
  });

  it('below the quorum the campaign is rejected, even with only YES votes', async () => {
    const campaignId = await propose(true, '楼道照明改造');
    for (const home of households.slice(0, 2))
      await graphqlData(service.url, VOTE, { id: campaignId, choice: 'YES' }, { token: home[0].token });
    const early = await graphqlRequest(service.url, CLOSE_VOTE, { id: campaignId }, { token: worker.token });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'VOTE_STILL_OPEN' });
    await endVotingPeriod(campaignId);
    const { closeCampaignVote } = await graphqlData<{
      closeCampaignVote: { status: string; result: Record<string, number> };
    }>(service.url, CLOSE_VOTE, { id: campaignId }, { token: worker.token });
    expect(closeCampaignVote).toMatchObject({
      status: 'REJECTED',
      result: { yes: 2, no: 0, abstain: 0, householdsEligible: 10 },
    });
  });

  it('with the quorum, more YES than NO opens the campaign and its designated fund; a tie does not', async () => {
    const passing = await propose(true);
    const tied = await propose(true, '儿童游乐区翻新');
    const choices = ['YES', 'YES', 'NO', 'ABSTAIN'];
    for (const [index, choice] of choices.entries()) {
      await graphqlData(service.url, VOTE, { id: passing, choice }, { token: households[index][0].token });
      await graphqlData(
        service.url,
        VOTE,
        { id: tied, choice: index < 2 ? 'YES' : 'NO' },
        { token: households[index][1].token },
      );
    }
    await endVotingPeriod(passing);
    await endVotingPeriod(tied);
    const late = await graphqlRequest(
      service.url,
      VOTE,
      { id: passing, choice: 'NO' },
      { token: households[5][0].token },
    );
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'VOTE_CLOSED' });
    const opened = await graphqlData<{ closeCampaignVote: { status: string } }>(
      service.url,
      CLOSE_VOTE,
      { id: passing },
      { token: worker.token },
    );
    expect(opened.closeCampaignVote.status).toBe('OPEN');
    const rejected = await graphqlData<{ closeCampaignVote: { status: string } }>(
      service.url,
      CLOSE_VOTE,
      { id: tied },
      { token: worker.token },
    );
    expect(rejected.closeCampaignVote.status).toBe('REJECTED');
    const funds = await service.db.query(`SELECT kind FROM funds WHERE campaign_id = ANY($1)`, [[passing, tied]]);
    expect(funds).toEqual([{ kind: 'DESIGNATED' }]);
    const [event] = await service.db.query(
      `SELECT payload FROM outbox WHERE topic = 'taoyuan.assets.campaign.opened.v1' AND payload->>'campaignId' = $1`,
      [passing],
    );
    expect(event.payload).toMatchObject({
      title: '为独居老人安装紧急呼叫器',
      goalFen: 3_000_000,
      decidedBy: 'HOUSEHOLD_VOTE',
    });
  });
});

describe('committee approval and donations', () => {
  it('a campaign without a vote opens when another committee member approves; donations are pledged, then confirmed with a receipt', async () => {
    const campaignId = await propose(false, '社区图书角购书');
    const own = await graphqlRequest(service.url, APPROVE, { id: campaignId }, { token: worker.token });
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await graphqlData(service.url, APPROVE, { id: campaignId }, { token: committee.token });
    await service.db.query(`UPDATE campaigns SET opens_at = now() - interval '1 minute' WHERE id = $1`, [campaignId]);

    const named = await person();
    const hidden = await person();
    const pledge = async (donor: Person, amountFen: number, anonymous: boolean, message: string) =>
      (
        await graphqlData<{ donate: { id: string; status: string } }>(
          service.url,
          DONATE,
          { input: { campaignId, amountFen, anonymous, message } },
          { token: donor.token },
        )
      ).donate;
    const first = await pledge(named, 20_000, false, '一点心意');
    const second = await pledge(hidden, 50_000, true, '祝老人们平安');
    expect(first.status).toBe('PLEDGED');
    for (const donation of [first, second]) {
      const { confirmDonation } = await graphqlData<{ confirmDonation: { status: string; receiptNumber: string } }>(
        service.url,
        CONFIRM,
        { id: donation.id, ref: `转账-${donation.id.slice(0, 6)}` },
        { token: worker.token },
      );
      expect(confirmDonation.status).toBe('CONFIRMED');
      expect(confirmDonation.receiptNumber).toMatch(/^TY\d{4}-\d{6}$/);
    }
    const twice = await graphqlRequest(service.url, CONFIRM, { id: first.id, ref: 'again' }, { token: worker.token });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_CONFIRMED' });

    const seenBy = async (viewer: Person) =>
      (
        await graphqlData<{
          campaign: {
            raisedFen: number;
            donorCount: number;
            donations: { edges: { node: { donor: { id: string } | null; amountFen: number } }[] };
          };
        }>(service.url, CAMPAIGN, { id: campaignId }, { token: viewer.token })
      ).campaign;
    const publicView = await seenBy(await person());
    expect(publicView).toMatchObject({ raisedFen: 70_000, donorCount: 2 });
    const donors = publicView.donations.edges.map((edge) => [edge.node.amountFen, edge.node.donor?.id ?? null]);
    expect(donors).toEqual(
      expect.arrayContaining([
        [20_000, named.id],
        [50_000, null],
      ]),
    );
    const staffView = await seenBy(worker);
    expect(staffView.donations.edges.map((edge) => edge.node.donor?.id)).toEqual(
      expect.arrayContaining([named.id, hidden.id]),
    );

    const events = await service.db.query(
      `SELECT payload FROM outbox WHERE topic = 'taoyuan.assets.donation.received.v1' AND payload->>'campaignId' = $1`,
      [campaignId],
    );
    expect(events).toHaveLength(2);
    for (const { payload } of events) {
      expect(JSON.stringify(payload)).not.toContain(named.id);
      expect(JSON.stringify(payload)).not.toContain(hidden.id);
    }
  });
});
