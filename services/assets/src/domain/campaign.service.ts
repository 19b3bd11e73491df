import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  hasAnyRole,
  NotFoundError,
  requireCaller,
  STAFF_ROLES,
  type AuthContext,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { CampaignEntity } from '../entities/campaign.entity';
import { DonationEntity } from '../entities/donation.entity';
import { FundEntity } from '../entities/fund.entity';
import type { AssetsEvents } from '../events/assets-events';
import { requireCommitteeOf, requireMemberOf, requireStaffOf } from './access';
import { votePasses } from './governance-rules';
import { requireFen, requireText, requireValidDate } from './input';
import type { Ledger } from './ledger';
import { CampaignStatus, Direction, DonationStatus, FundKind, IncomeCategory, type VoteChoice } from './vocabulary';

export interface CampaignInput {
  title: string;
  purpose: string;
  goalFen: number;
  opensAt: Date;
  closesAt: Date;
  requiresVote: boolean;
  organizationId?: string | null;
}

export interface DonationInput {
  campaignId: string;
  amountFen: number;
  anonymous: boolean;
  message?: string | null;
}

/**
 * 民主自愿筹资: a campaign is proposed by staff or an organization's leader, approved by the households (one vote per
 * confirmed household until the vote closes at `opensAt`) or by the committee, and only then opens its DESIGNATED
 * fund. Donations are pledged by residents and become ledger entries when staff confirm the money arrived.
 */
export class CampaignService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: Ledger,
    private readonly events: AssetsEvents,
    private readonly quorumPercent: number,
  ) {}

  async propose(context: AuthContext, input: CampaignInput): Promise<CampaignEntity> {
    const caller = requireCaller(context);
    const values = {
      title: requireText(input.title, 'title', 1, 80),
      purpose: requireText(input.purpose, 'purpose', 1, 2000, true),
      goalFen: requireFen(input.goalFen, 'goalFen'),
      opensAt: requireValidDate(input.opensAt, 'opensAt'),
      closesAt: requireValidDate(input.closesAt, 'closesAt'),
    };
    if (values.closesAt <= values.opensAt) throw new BadUserInputError('closesAt must be after opensAt', 'closesAt');
    if (input.requiresVote && values.opensAt.getTime() <= Date.now())
      throw new BadUserInputError('The household vote runs until opensAt, so it must be in the future', 'opensAt');
    const organizationId = input.organizationId ?? null;
    return this.db.transaction(async (manager) => {
      const leads = organizationId
        ? (
            await manager.query<unknown[]>(
              `SELECT 1 FROM organization_members WHERE organization_id = $1 AND user_id = $2 AND community_id = $3
                 AND active AND role = 'LEADER'`,
              [organizationId, caller.userId, caller.communityId],
            )
          ).length > 0
        : false;
      if (!leads && !hasAnyRole(caller, STAFF_ROLES))
        throw new ForbiddenError('NOT_CAMPAIGN_PROPOSER', 'Staff or an organization’s leader propose campaigns');
      const id = randomUUID();
      await manager.insert(CampaignEntity, {
        id,
        communityId: caller.communityId,
        ...values,
        requiresVote: input.requiresVote,
        quorumPercent: this.quorumPercent,
        status: input.requiresVote ? CampaignStatus.VOTING : CampaignStatus.AWAITING_APPROVAL,
        proposedBy: caller.userId,
        organizationId,
      });
      return manager.findOneByOrFail(CampaignEntity, { id });
    });
  }

  /** The household's vote (any confirmed resident of it casts or changes it) while the vote is open. */
  async vote(context: AuthContext, campaignId: string, choice: VoteChoice): Promise<CampaignEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const campaign = await this.campaignOf(manager, campaignId, 'pessimistic_read');
      requireMemberOf(caller, campaign.communityId);
      if (campaign.status !== CampaignStatus.VOTING || campaign.opensAt.getTime() <= Date.now())
        throw new ConflictError('VOTE_CLOSED', 'This campaign is not open for voting');
      const [home] = await manager.query<{ household_id: string }[]>(
        `SELECT household_id FROM household_residents
          WHERE user_id = $1 AND community_id = $2 AND status = 'CONFIRMED' AND household_id IS NOT NULL`,
        [caller.userId, campaign.communityId],
      );
      if (!home)
        throw new ForbiddenError(
          'HOUSEHOLD_NOT_CONFIRMED',
          'Only residents whose household a grid worker or committee member confirmed vote',
        );
      await manager.query(
        `INSERT INTO campaign_votes (campaign_id, household_id, voter_id, choice) VALUES ($1, $2, $3, $4)
         ON CONFLICT (campaign_id, household_id)
           DO UPDATE SET voter_id = EXCLUDED.voter_id, choice = EXCLUDED.choice, voted_at = clock_timestamp()`,
        [campaign.id, home.household_id, caller.userId, choice],
      );
      return campaign;
    });
  }

  /** Counts the votes once the vote period has ended (staff): passed → OPEN with its fund, else REJECTED. */
  async closeVote(context: AuthContext, campaignId: string): Promise<CampaignEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const campaign = await this.campaignOf(manager, campaignId, 'pessimistic_write');
      requireStaffOf(caller, campaign.communityId);
      if (campaign.status !== CampaignStatus.VOTING)
        throw new ConflictError('NOT_VOTING', `This campaign is ${campaign.status.toLowerCase()}, not voting`);
      if (campaign.opensAt.getTime() > Date.now())
        throw new ConflictError('VOTE_STILL_OPEN', 'Households may vote until the campaign’s opensAt');
      // Only households that are still confirmed count, both as voters and toward the quorum.
      const [tally] = await manager.query<{ yes: number; no: number; abstain: number; eligible: number }[]>(
        `WITH confirmed AS (
           SELECT DISTINCT household_id FROM household_residents
            WHERE community_id = $2 AND status = 'CONFIRMED' AND household_id IS NOT NULL)
         SELECT count(*) FILTER (WHERE v.choice = 'YES')::int AS yes,
                count(*) FILTER (WHERE v.choice = 'NO')::int AS no,
                count(*) FILTER (WHERE v.choice = 'ABSTAIN')::int AS abstain,
                (SELECT count(*) FROM confirmed)::int AS eligible
           FROM campaign_votes v JOIN confirmed c ON c.household_id = v.household_id
          WHERE v.campaign_id = $1`,
        [campaign.id, campaign.communityId],
      );
      const passed = votePasses({
        yes: tally.yes,
        no: tally.no,
        abstain: tally.abstain,
        householdsEligible: tally.eligible,
        quorumPercent: campaign.quorumPercent,
      });
      await manager.update(
        CampaignEntity,
        { id: campaign.id },
        {
          yesVotes: tally.yes,
          noVotes: tally.no,
          abstainVotes: tally.abstain,
          householdsEligible: tally.eligible,
          decidedBy: caller.userId,
          decidedAt: () => 'clock_timestamp()',
        },
      );
      if (passed) return this.open(manager, campaign, 'HOUSEHOLD_VOTE');
      return this.reject(manager, campaign);
    });
  }

  /** A campaign without a vote opens when a committee member other than its proposer approves it. */
  async approve(context: AuthContext, campaignId: string): Promise<CampaignEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const campaign = await this.campaignOf(manager, campaignId, 'pessimistic_write');
      requireCommitteeOf(caller, campaign.communityId);
      if (campaign.proposedBy === caller.userId)
        throw new ForbiddenError('OWN_CAMPAIGN', 'Whoever proposed a campaign cannot approve it');
      if (campaign.status !== CampaignStatus.AWAITING_APPROVAL)
        throw new ConflictError('NOT_AWAITING_APPROVAL', 'This campaign does not wait for the committee');
      await manager.update(
        CampaignEntity,
        { id: campaign.id },
        { decidedBy: caller.userId, decidedAt: () => 'clock_timestamp()' },
      );
      return this.open(manager, campaign, 'COMMITTEE');
    });
  }

  /** Stops donations (staff); the designated fund stays, still only for this campaign's purpose. */
  async close(context: AuthContext, campaignId: string): Promise<CampaignEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const campaign = await this.campaignOf(manager, campaignId, 'pessimistic_write');
      requireStaffOf(caller, campaign.communityId);
      if (campaign.status !== CampaignStatus.OPEN)
        throw new ConflictError('CAMPAIGN_NOT_OPEN', 'Only an open campaign is closed');
      await manager.update(CampaignEntity, { id: campaign.id }, { status: CampaignStatus.CLOSED });
      await this.announceClosed(manager, campaign, 'CLOSED');
      return manager.findOneByOrFail(CampaignEntity, { id: campaign.id });
    });
  }

  async donate(context: AuthContext, input: DonationInput): Promise<DonationEntity> {
    const caller = requireCaller(context);
    const amountFen = requireFen(input.amountFen);
    const message = input.message ? requireText(input.message, 'message', 0, 200) : '';
    return this.db.transaction(async (manager) => {
      const campaign = await this.campaignOf(manager, input.campaignId, 'pessimistic_read');
      requireMemberOf(caller, campaign.communityId);
      const now = Date.now();
      if (
        campaign.status !== CampaignStatus.OPEN ||
        now < campaign.opensAt.getTime() ||
        now >= campaign.closesAt.getTime()
      )
        throw new ConflictError('CAMPAIGN_NOT_OPEN', 'This campaign is not taking donations now');
      const id = randomUUID();
      await manager.insert(DonationEntity, {
        id,
        campaignId: campaign.id,
        communityId: campaign.communityId,
        donorId: caller.userId,
        amountFen,
        anonymous: input.anonymous,
        message,
        status: DonationStatus.PLEDGED,
      });
      return manager.findOneByOrFail(DonationEntity, { id });
    });
  }

  /** The money arrived (staff): a DONATION entry in the campaign's fund and a receipt number for the donor. */
  async confirmDonation(context: AuthContext, donationId: string, paymentReference: string): Promise<DonationEntity> {
    const caller = requireCaller(context);
    const reference = requireText(paymentReference, 'paymentReference', 1, 120);
    return this.db.transaction(async (manager) => {
      const donation = await manager.findOne(DonationEntity, {
        where: { id: donationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!donation) throw new NotFoundError('Donation', donationId);
      requireStaffOf(caller, donation.communityId);
      if (donation.status === DonationStatus.CONFIRMED)
        throw new ConflictError('ALREADY_CONFIRMED', 'This donation is already confirmed');
      const fund = await manager.findOneBy(FundEntity, { campaignId: donation.campaignId });
      if (!fund) throw new ConflictError('CAMPAIGN_NOT_OPEN', 'The campaign has no open fund');
      const entry = await this.ledger.append(manager, {
        fundId: fund.id,
        communityId: donation.communityId,
        direction: Direction.IN,
        category: IncomeCategory.DONATION,
        amountFen: donation.amountFen,
        source: { type: 'DONATION', id: donation.id },
        campaignId: donation.campaignId,
        memo: donation.anonymous ? '匿名捐款' : '居民捐款',
        recordedBy: caller.userId,
        approvedBy: caller.userId,
      });
      const [{ receipt }] = await manager.query<{ receipt: string }[]>(
        `SELECT 'TY' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-'
                || lpad(nextval('donation_receipt_numbers')::text, 6, '0') AS receipt`,
      );
      await manager.update(
        DonationEntity,
        { id: donation.id },
        {
          status: DonationStatus.CONFIRMED,
          paymentReference: reference,
          receiptNumber: receipt,
          entryId: entry.id,
          confirmedBy: caller.userId,
          confirmedAt: () => 'clock_timestamp()',
        },
      );
      const confirmed = await manager.findOneByOrFail(DonationEntity, { id: donation.id });
      await this.events.donationReceived(manager, {
        donationId: confirmed.id,
        campaignId: confirmed.campaignId,
        communityId: confirmed.communityId,
        amountFen: confirmed.amountFen,
        receivedAt: (confirmed.confirmedAt ?? new Date()).toISOString(),
      });
      return confirmed;
    });
  }

  private async open(
    manager: EntityManager,
    campaign: CampaignEntity,
    decidedBy: 'HOUSEHOLD_VOTE' | 'COMMITTEE',
  ): Promise<CampaignEntity> {
    const fundId = randomUUID();
    await manager.update(CampaignEntity, { id: campaign.id }, { status: CampaignStatus.OPEN });
    await manager.insert(FundEntity, {
      id: fundId,
      communityId: campaign.communityId,
      kind: FundKind.DESIGNATED,
      name: `专项：${campaign.title}`.slice(0, 80),
      campaignId: campaign.id,
    });
    await this.events.campaignOpened(manager, {
      campaignId: campaign.id,
      communityId: campaign.communityId,
      fundId,
      title: campaign.title,
      goalFen: campaign.goalFen,
      decidedBy,
      opensAt: campaign.opensAt.toISOString(),
      closesAt: campaign.closesAt.toISOString(),
    });
    return manager.findOneByOrFail(CampaignEntity, { id: campaign.id });
  }

  private async reject(manager: EntityManager, campaign: CampaignEntity): Promise<CampaignEntity> {
    await manager.update(CampaignEntity, { id: campaign.id }, { status: CampaignStatus.REJECTED });
    await this.announceClosed(manager, campaign, 'REJECTED');
    return manager.findOneByOrFail(CampaignEntity, { id: campaign.id });
  }

  private async announceClosed(
    manager: EntityManager,
    campaign: CampaignEntity,
    outcome: 'CLOSED' | 'REJECTED',
  ): Promise<void> {
    const [{ raised }] = await manager.query<{ raised: string }[]>(
      `SELECT COALESCE(sum(amount_fen), 0)::text AS raised FROM donations WHERE campaign_id = $1 AND status = 'CONFIRMED'`,
      [campaign.id],
    );
    await this.events.campaignClosed(manager, {
      campaignId: campaign.id,
      communityId: campaign.communityId,
      outcome,
      goalFen: campaign.goalFen,
      raisedFen: Number(raised),
      closedAt: new Date().toISOString(),
    });
  }

  private async campaignOf(
    manager: EntityManager,
    campaignId: string,
    mode: 'pessimistic_read' | 'pessimistic_write',
  ): Promise<CampaignEntity> {
    const campaign = await manager.findOne(CampaignEntity, { where: { id: campaignId }, lock: { mode } });
    if (!campaign) throw new NotFoundError('Campaign', campaignId);
    return campaign;
  }
}
