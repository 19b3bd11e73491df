import { isUuid, requireUuid, type Connection, type ServiceContext } from '@taoyuan/service-kit';
import { SafeIntResolver } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CampaignFigures, CampaignQueries } from '../domain/campaign-queries';
import type { CampaignService } from '../domain/campaign.service';
import type { CampaignEntity } from '../entities/campaign.entity';
import type { DonationEntity } from '../entities/donation.entity';
import {
  CampaignType,
  DonateInput,
  DonationConnection,
  DonationType,
  ProposeCampaignInput,
  VoteChoice,
  VoteResultType,
} from '../schema/campaign.type';
import { UserRef } from '../schema/refs.type';
import { requireCaller } from '@taoyuan/service-kit';

@Resolver(() => CampaignType)
export class CampaignResolver {
  constructor(
    private readonly service: CampaignService,
    private readonly queries: CampaignQueries,
  ) {}

  @Query(() => [CampaignType], { description: 'Campaigns of your community, newest first' })
  campaigns(@Ctx() context: ServiceContext): Promise<CampaignEntity[]> {
    const caller = requireCaller(context);
    return this.queries.campaignsOf(caller, caller.communityId);
  }

  @Query(() => CampaignType, { nullable: true })
  campaign(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<CampaignEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.queries.campaign(context.caller, id.toLowerCase());
  }

  @FieldResolver(() => SafeIntResolver, { description: 'Confirmed donations, in fen' })
  async raisedFen(@Root() campaign: CampaignEntity, @Ctx() context: ServiceContext): Promise<number> {
    return (await this.figures(context, campaign.id)).raisedFen;
  }

  @FieldResolver(() => SafeIntResolver, { description: 'Spent from its designated fund, in fen' })
  async spentFen(@Root() campaign: CampaignEntity, @Ctx() context: ServiceContext): Promise<number> {
    return (await this.figures(context, campaign.id)).spentFen;
  }

  @FieldResolver(() => Int, { description: 'Residents whose donations arrived' })
  async donorCount(@Root() campaign: CampaignEntity, @Ctx() context: ServiceContext): Promise<number> {
    return (await this.figures(context, campaign.id)).donorCount;
  }

  @FieldResolver(() => Int, { description: 'Households that have voted so far' })
  async votesCast(@Root() campaign: CampaignEntity, @Ctx() context: ServiceContext): Promise<number> {
    return (await this.figures(context, campaign.id)).votesCast;
  }

  /** One query per request, however many campaigns and figures are asked for. */
  private figures(context: ServiceContext, campaignId: string): Promise<CampaignFigures> {
    return this.queries.figures(context, campaignId);
  }

  @FieldResolver(() => VoteResultType, { nullable: true, description: 'The count, once the vote is closed' })
  result(@Root() campaign: CampaignEntity): VoteResultType | null {
    if (campaign.householdsEligible === null) return null;
    return {
      yes: campaign.yesVotes ?? 0,
      no: campaign.noVotes ?? 0,
      abstain: campaign.abstainVotes ?? 0,
      householdsEligible: campaign.householdsEligible,
    };
  }

  @FieldResolver(() => VoteChoice, { nullable: true, description: 'How your household voted' })
  myHouseholdVote(@Root() campaign: CampaignEntity, @Ctx() context: ServiceContext): Promise<VoteChoice | null> {
    return this.queries.householdVote(context, campaign.id);
  }

  @FieldResolver(() => DonationConnection, {
    description: 'Donations that arrived (staff and the donor also see pledges), newest first',
  })
  donations(
    @Root() campaign: CampaignEntity,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<DonationEntity>> {
    return this.queries.donationsTo(context, campaign, first, after);
  }

  @Mutation(() => CampaignType, { description: 'Propose a campaign (staff, or an organization’s leader)' })
  proposeCampaign(
    @Ctx() context: ServiceContext,
    @Arg('input', () => ProposeCampaignInput) input: ProposeCampaignInput,
  ): Promise<CampaignEntity> {
    return this.service.propose(context, {
      ...input,
      organizationId: input.organizationId ? requireUuid(input.organizationId, 'organizationId') : null,
    });
  }

  @Mutation(() => CampaignType, {
    description: 'Cast or change your household’s vote (residents of a confirmed household)',
  })
  voteOnCampaign(
    @Ctx() context: ServiceContext,
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('choice', () => VoteChoice) choice: VoteChoice,
  ): Promise<CampaignEntity> {
    return this.service.vote(context, requireUuid(campaignId, 'campaignId'), choice);
  }

  @Mutation(() => CampaignType, { description: 'Count the votes after opensAt (staff): OPEN or REJECTED' })
  closeCampaignVote(
    @Ctx() context: ServiceContext,
    @Arg('campaignId', () => ID) campaignId: string,
  ): Promise<CampaignEntity> {
    return this.service.closeVote(context, requireUuid(campaignId, 'campaignId'));
  }

  @Mutation(() => CampaignType, { description: 'Approve a campaign without a vote (another committee member)' })
  approveCampaign(
    @Ctx() context: ServiceContext,
    @Arg('campaignId', () => ID) campaignId: string,
  ): Promise<CampaignEntity> {
    return this.service.approve(context, requireUuid(campaignId, 'campaignId'));
  }

  @Mutation(() => CampaignType, { description: 'Stop taking donations (staff)' })
  closeCampaign(
    @Ctx() context: ServiceContext,
    @Arg('campaignId', () => ID) campaignId: string,
  ): Promise<CampaignEntity> {
    return this.service.close(context, requireUuid(campaignId, 'campaignId'));
  }

  @Mutation(() => DonationType, { description: 'Pledge a donation to an open campaign' })
  donate(@Ctx() context: ServiceContext, @Arg('input', () => DonateInput) input: DonateInput): Promise<DonationEntity> {
    return this.service.donate(context, { ...input, campaignId: requireUuid(input.campaignId, 'campaignId') });
  }

  @Mutation(() => DonationType, {
    description: 'The money arrived (staff): a DONATION entry and a receipt number',
  })
  confirmDonation(
    @Ctx() context: ServiceContext,
    @Arg('donationId', () => ID) donationId: string,
    @Arg('paymentReference') paymentReference: string,
  ): Promise<DonationEntity> {
    return this.service.confirmDonation(context, requireUuid(donationId, 'donationId'), paymentReference);
  }
}

@Resolver(() => DonationType)
export class DonationResolver {
  constructor(private readonly queries: CampaignQueries) {}

  @FieldResolver(() => UserRef, {
    nullable: true,
    description: 'The donor: null for anonymous donations unless you are the donor or staff',
  })
  donor(@Root() donation: DonationEntity, @Ctx() context: ServiceContext): UserRef | null {
    return this.queries.seesDonor(context.caller, donation) ? { id: donation.donorId } : null;
  }
}
