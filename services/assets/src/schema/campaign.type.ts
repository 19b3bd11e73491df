import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver, SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CampaignStatus, DonationStatus, VoteChoice } from './enums';

@ObjectType('VoteResult', { description: 'The counted household vote' })
export class VoteResultType {
  @Field(() => Int)
  yes!: number;

  @Field(() => Int)
  no!: number;

  @Field(() => Int)
  abstain!: number;

  @Field(() => Int, { description: 'Confirmed households when the vote was counted' })
  householdsEligible!: number;
}

@ObjectType('Campaign', { description: '民主自愿筹资: a fund-raising campaign for one public-welfare purpose' })
export class CampaignType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field({ description: 'e.g. 为独居老人安装紧急呼叫器' })
  title!: string;

  @Field()
  purpose!: string;

  @Field(() => SafeIntResolver)
  goalFen!: number;

  @Field(() => DateTimeISOResolver, { description: 'Donations from here; a household vote runs until here' })
  opensAt!: Date;

  @Field(() => DateTimeISOResolver)
  closesAt!: Date;

  @Field()
  requiresVote!: boolean;

  @Field(() => Int, { description: 'Share of confirmed households that must vote (percent)' })
  quorumPercent!: number;

  @Field(() => CampaignStatus)
  status!: CampaignStatus;

  @Field(() => ID, { nullable: true })
  organizationId!: string | null;
}

@ObjectType('Donation')
export class DonationType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  campaignId!: string;

  @Field(() => SafeIntResolver)
  amountFen!: number;

  @Field()
  anonymous!: boolean;

  @Field()
  message!: string;

  @Field(() => DonationStatus)
  status!: DonationStatus;

  @Field(() => String, { nullable: true, description: 'Given when staff confirm the money arrived' })
  receiptNumber!: string | null;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;
}

export const DonationConnection = ConnectionType(DonationType, 'Donation');

@InputType('ProposeCampaignInput')
export class ProposeCampaignInput {
  @Field()
  title!: string;

  @Field()
  purpose!: string;

  @Field(() => SafeIntResolver)
  goalFen!: number;

  @Field(() => DateTimeISOResolver)
  opensAt!: Date;

  @Field(() => DateTimeISOResolver)
  closesAt!: Date;

  @Field({ description: 'true: the households vote until opensAt; false: a committee member approves' })
  requiresVote!: boolean;

  @Field(() => ID, { nullable: true, description: 'Proposed by this organization’s leader' })
  organizationId?: string | null;
}

@InputType('DonateInput')
export class DonateInput {
  @Field(() => ID)
  campaignId!: string;

  @Field(() => SafeIntResolver)
  amountFen!: number;

  @Field({ description: 'Hide your name from everyone but staff' })
  anonymous!: boolean;

  @Field(() => String, { nullable: true })
  message?: string | null;
}

export { VoteChoice };
