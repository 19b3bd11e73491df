import {
  ForbiddenError,
  hasAnyRole,
  loadKeyed,
  requireCaller,
  STAFF_ROLES,
  type Caller,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { type DataSource } from 'typeorm';
import { CampaignEntity } from '../entities/campaign.entity';
import { DonationEntity } from '../entities/donation.entity';
import { isMemberOf, isStaffOf } from './access';
import type { VoteChoice } from './vocabulary';
import { newestFirstPage, type NewestFirstList } from './newest-first-page';

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

  /** The figures of every campaign of the request, in one statement. */
  figures(context: ServiceContext, campaignId: string): Promise<CampaignFigures> {
    return loadKeyed(
      context.loaders,
      'campaign-figures',
      campaignId,
      async (campaignIds) => {
        const rows = await this.db.query<
          { id: string; raised: string; pledged: string; donors: number; spent: string; votes: number }[]
        >(
          `SELECT c.id,
             (SELECT COALESCE(sum(amount_fen), 0) FROM donations WHERE campaign_id = c.id AND status = 'CONFIRMED')::text AS raised,
             (SELECT COALESCE(sum(amount_fen), 0) FROM donations WHERE campaign_id = c.id AND status = 'PLEDGED')::text AS pledged,
             (SELECT count(DISTINCT donor_id) FROM donations WHERE campaign_id = c.id AND status = 'CONFIRMED')::int AS donors,
             (SELECT COALESCE(sum(CASE e.direction WHEN 'OUT' THEN e.amount_fen ELSE -e.amount_fen END), 0)
                FROM ledger_entries e JOIN funds f ON f.id = e.fund_id
               WHERE f.campaign_id = c.id AND (e.direction = 'OUT' AND e.category <> 'REVERSAL'
                  OR e.category = 'REVERSAL' AND e.direction = 'IN'))::text AS spent,
             (SELECT count(*) FROM campaign_votes WHERE campaign_id = c.id)::int AS votes
           FROM unnest($1::uuid[]) AS c(id)`,
          [campaignIds],
        );
        return new Map(
          rows.map((row) => [
            row.id,
            {
              raisedFen: Number(row.raised),
              pledgedFen: Number(row.pledged),
              donorCount: row.donors,
              spentFen: Number(row.spent),
              votesCast: row.votes,
            },
          ]),
        );
      },
      { raisedFen: 0, pledgedFen: 0, donorCount: 0, spentFen: 0, votesCast: 0 },
    );
  }

  /** The choice of the caller's household, if it voted; every campaign of the request in one statement. */
  householdVote(context: ServiceContext, campaignId: string): Promise<VoteChoice | null> {
    const caller = context.caller;
    if (!caller) return Promise.resolve(null);
    return loadKeyed<VoteChoice | null>(
      context.loaders,
      'household-votes',
      campaignId,
      async (campaignIds) => {
        const rows = await this.db.query<{ campaign_id: string; choice: VoteChoice }[]>(
          `SELECT v.campaign_id, v.choice FROM campaign_votes v
             JOIN household_residents h ON h.household_id = v.household_id AND h.status = 'CONFIRMED'
            WHERE v.campaign_id = ANY($1) AND h.user_id = $2`,
          [campaignIds, caller.userId],
        );
        return new Map(rows.map((row) => [row.campaign_id, row.choice]));
      },
      null,
    );
  }

  /** Whether the caller may see who gave this donation. */
  seesDonor(caller: Caller | null, donation: DonationEntity): boolean {
    if (!caller) return false;
    if (caller.userId === donation.donorId) return true;
    if (isStaffOf(caller, donation.communityId)) return true;
    return !donation.anonymous && caller.communityId === donation.communityId;
  }

  /** A campaign's donations, newest first: one page per campaign, every campaign of the request in one statement. */
  donationsTo(
    context: ServiceContext,
    campaign: CampaignEntity,
    first: number | null,
    after: string | null,
  ): Promise<Connection<DonationEntity>> {
    const caller = context.caller;
    if (!caller || !isMemberOf(caller, campaign.communityId))
      throw new ForbiddenError('OTHER_COMMUNITY', 'Only the community’s residents and staff see its donations');
    // Pledges not yet confirmed are private to the donor and staff; the public sees money that arrived.
    const everyPledge = isStaffOf(caller, campaign.communityId);
    return this.donationPage(context, `donations-to:${everyPledge}`, campaign.id, first, after, {
      parent: 'campaign_id',
      where: `status = 'CONFIRMED' OR $1::boolean OR donor_id = $2`,
      params: [everyPledge, caller.userId],
    });
  }

  donationsOf(
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
    return this.donationPage(context, `donations-of:${communityId ?? ''}`, userId, first, after, {
      parent: 'donor_id',
      where: `$1::uuid IS NULL OR community_id = $1`,
      params: [communityId],
    });
  }

  private donationPage(
    context: ServiceContext,
    name: string,
    parentId: string,
    first: number | null,
    after: string | null,
    list: NewestFirstList,
  ): Promise<Connection<DonationEntity>> {
    return newestFirstPage(
      this.db,
      context,
      { entity: DonationEntity, table: 'donations' },
      { name, parentId, first, after, list },
    );
  }
}
