import { SafeIntResolver } from 'graphql-scalars';
import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { FundKind } from './enums';

@ObjectType('CategoryAmount')
export class CategoryAmountType {
  @Field()
  category!: string;

  @Field(() => SafeIntResolver)
  amountFen!: number;
}

@ObjectType('FundReport', { description: 'One fund over the period: opening + income − spending = closing' })
export class FundReportType {
  @Field(() => ID)
  fundId!: string;

  @Field()
  name!: string;

  @Field(() => FundKind)
  kind!: FundKind;

  @Field(() => SafeIntResolver)
  openingFen!: number;

  @Field(() => SafeIntResolver)
  incomeFen!: number;

  @Field(() => SafeIntResolver)
  spendingFen!: number;

  @Field(() => SafeIntResolver)
  closingFen!: number;

  @Field(() => [CategoryAmountType])
  income!: CategoryAmountType[];

  @Field(() => [CategoryAmountType])
  spending!: CategoryAmountType[];
}

@ObjectType('MonthFigures')
export class MonthFiguresType {
  @Field({ description: 'YYYY-MM' })
  month!: string;

  @Field(() => SafeIntResolver)
  incomeFen!: number;

  @Field(() => SafeIntResolver)
  spendingFen!: number;
}

@ObjectType('CampaignReport')
export class CampaignReportType {
  @Field(() => ID)
  campaignId!: string;

  @Field()
  title!: string;

  @Field()
  status!: string;

  @Field(() => SafeIntResolver)
  goalFen!: number;

  @Field(() => SafeIntResolver)
  raisedFen!: number;

  @Field(() => SafeIntResolver)
  spentFen!: number;
}

@ObjectType('FacilityUsage')
export class FacilityUsageType {
  @Field(() => ID)
  facilityId!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  bookings!: number;

  @Field(() => Float)
  hoursUsed!: number;
}

/**
 * The public transparency report of a community over calendar days (China Standard Time). An entity keyed by its
 * period, so volunteering adds the volunteer hours and points of the same period through federation.
 */
@Directive('@key(fields: "communityId from to")')
@ObjectType('TransparencyReport')
export class TransparencyReportType {
  @Field(() => ID)
  communityId!: string;

  @Field({ description: 'First day, YYYY-MM-DD' })
  from!: string;

  @Field({ description: 'Last day (inclusive), YYYY-MM-DD' })
  to!: string;

  @Field(() => [FundReportType])
  funds!: FundReportType[];

  @Field(() => [MonthFiguresType])
  months!: MonthFiguresType[];

  @Field(() => [CampaignReportType])
  campaigns!: CampaignReportType[];

  @Field(() => [FacilityUsageType])
  facilities!: FacilityUsageType[];
}
