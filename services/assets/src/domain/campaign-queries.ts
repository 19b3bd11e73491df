import {
  ForbiddenError,
  hasAnyRole,
  requireCaller,
  STAFF_ROLES,
  type Caller,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { CampaignEntity } from '../entities/campaign.entity';
import { DonationEntity } from '../entities/donation.entity';
import { isMemberOf, isStaffOf } from './access';
import { newestFirstPage } from './newest-first-page';
import type { VoteChoice } from './vocabulary';

export interface CampaignFigures {
  raisedFen: number;
  pledgedFen: number;
  donorCount: number;
  spentFen: number;
  votesCast: number;
}

/**
 * Reads of campaigns, votes and donations. Campaigns are for the community's residents; a donor's identity is seen
 * only by the donor and by staff: to everyone else an anonymous donation has no donor.
 */
export class CampaignQueries {
  constructor(private readonly db: DataSource) {}

  async campaignsOf(caller: Caller | null, communityId: string): Promise<CampaignEntity[]> {
    if (!isMemberOf(caller, communityId))
      throw new ForbiddenError('OTHER_COMMUNITY', 'Only the community’s residents and staff see its campaigns');
    return this.db.manager.find(CampaignEntity, { where: { communityId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async campaign(caller: Caller | null, id: string): Promise<CampaignEntity | null> {
    const campaign = await this.db.manager.findOneBy(CampaignEntity, { id });
    return campaign && isMemberOf(caller, campaign.communityId) ? campaign : null;
  }

  async figures(campaignId: string): Promise<CampaignFigures> {
    const [row] = await this.db.query<
      { raised: string; pledged: string; donors: number; spent: string; votes: number }[]
    >(
      `SELECT
         (SELECT COALESCE(sum(amount_fen), 0) FROM donations WHERE campaign_id = $1 AND status = 'CONFIRMED')::text AS raised,
         (SELECT COALESCE(sum(amount_fen), 0) FROM donations WHERE campaign_id = $1 AND status = 'PLEDGED')::text AS pledged,
         (SELECT count(DISTINCT donor_id) FROM donations WHERE campaign_id = $1 AND status = 'CONFIRMED')::int AS donors,
         (SELECT COALESCE(sum(CASE e.direction WHEN 'OUT' THEN e.amount_fen ELSE -e.amount_fen END), 0)
            FROM ledger_entries e JOIN funds f ON f.id = e.fund_id
           WHERE f.campaign_id = $1 AND (e.direction = 'OUT' AND e.category <> 'REVERSAL'
              OR e.category = 'REVERSAL' AND e.direction = 'IN'))::text AS spent,
         (SELECT count(*) FROM campaign_votes WHERE campaign_id = $1)::int AS votes`,
      [campaignId],
    );
    return {
      raisedFen: Number(row?.raised ?? 0),
      pledgedFen: Number(row?.pledged ?? 0),
      donorCount: row?.donors ?? 0,
      spentFen: Number(row?.spent ?? 0),
      votesCast: row?.votes ?? 0,
    };
  }

  /** The choice of the caller's household, if it voted. */
  async householdVote(caller: Caller | null, campaignId: string): Promise<VoteChoice | null> {
    if (!caller) return null;
    const [row] = await this.db.query<{ choice: VoteChoice }[]>(
      `SELECT v.choice FROM campaign_votes v
         JOIN household_residents h ON h.household_id = v.household_id AND h.status = 'CONFIRMED'
        WHERE v.campaign_id = $1 AND h.user_id = $2`,
      [campaignId, caller.userId],
    );
    return row?.choice ?? null;
  }

  /** Whether the caller may see who gave this donation. */
  seesDonor(caller: Caller | null, donation: DonationEntity): boolean {
    if (!caller) return false;
    if (caller.userId === donation.donorId) return true;
    if (isStaffOf(caller, donation.communityId)) return true;
    return !donation.anonymous && caller.communityId === donation.communityId;
  }

  async donationsTo(
    caller: Caller | null,
    campaign: CampaignEntity,
    first: number | null,
    after: string | null,
  ): Promise<Connection<DonationEntity>> {
    if (!caller || !isMemberOf(caller, campaign.communityId))
      throw new ForbiddenError('OTHER_COMMUNITY', 'Only the community’s residents and staff see its donations');
    // Pledges not yet confirmed are private to the donor and staff; the public sees money that arrived.
    const everyPledge = isStaffOf(caller, campaign.communityId);
    return newestFirstPage(
      this.db,
      DonationEntity,
      'donations',
      {
        where: `campaign_id = $1 AND (status = 'CONFIRMED' OR $2::boolean OR donor_id = $3)`,
        params: [campaign.id, everyPledge, caller.userId],
      },
      first,
      after,
    );
  }

  async donationsOf(
    context: ServiceContext,
    userId: string,
    first: number | null,
    after: string | null,
  ): Promise<Connection<DonationEntity>> {
    const caller = requireCaller(context);
    let communityId: string | null = null;
    if (caller.userId !== userId) {
      if (!hasAnyRole(caller, STAFF_ROLES))
        throw new ForbiddenError('NOT_YOURS', 'Only the donor and their community’s staff see their donations');
      communityId = caller.communityId;
    }
    return newestFirstPage(
      this.db,
      DonationEntity,
      'donations',
      { where: `donor_id = $1 AND ($2::uuid IS NULL OR community_id = $2)`, params: [userId, communityId] },
      first,
      after,
    );
  }
}
