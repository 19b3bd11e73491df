import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { OpportunityCategory, PointsEntryKind, Tier } from './enums';
import { UserRef } from './refs.type';

@ObjectType('PointsAccount', { description: 'A resident’s public-welfare points (公益积分)' })
export class PointsAccountType {
  @Field(() => Int, { description: 'Spendable points; never below zero' })
  balance!: number;

  @Field(() => Int, { description: 'Everything ever earned; only a reversal of a wrong award lowers it' })
  lifetimeEarned!: number;

  @Field(() => Int, {
    description:
      'Earned while the resident’s household was not yet confirmed by a grid worker or committee member: part of ' +
      'lifetimeEarned and spendable, but not counted toward tiers until the residence is confirmed',
  })
  heldPoints!: number;

  @Field(() => Tier, { description: 'Measured on lifetimeEarned − heldPoints' })
  tier!: Tier;
}

@ObjectType('PointsEntry', { description: 'One line of the append-only points ledger' })
export class PointsEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Change of the balance: positive for earnings and refunds' })
  delta!: number;

  @Field(() => PointsEntryKind)
  kind!: PointsEntryKind;

  @Field({ description: 'What caused it, e.g. ATTENDANCE; with sourceId unique across the ledger' })
  sourceType!: string;

  @Field()
  sourceId!: string;

  @Field(() => Int)
  balanceAfter!: number;

  @Field(() => Int)
  lifetimeAfter!: number;

  @Field()
  memo!: string;

  @Field({ description: 'Earned while the residence was unconfirmed, so it did not count toward tiers when written' })
  held!: boolean;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;
}

export const PointsEntryConnection = ConnectionType(PointsEntryType, 'PointsEntry');

@ObjectType('CategoryMultiplier')
export class CategoryMultiplierType {
  @Field(() => OpportunityCategory)
  category!: OpportunityCategory;

  @Field(() => Float)
  multiplier!: number;
}

@ObjectType('PointsRule', {
  description:
    'How verified hours become points in a community. Points for a verification = floor(hours × pointsPerHour × ' +
    'the category’s multiplier), then limited so that one volunteer earns at most dailyCap points from verified ' +
    'hours per calendar day (China Standard Time, the day the shift starts). A change applies to verifications after ' +
    'it, never to earlier ones.',
})
export class PointsRuleType {
  @Field(() => ID)
  communityId!: string;

  @Field(() => Int, { description: '0 = the built-in default (10 points per hour, multipliers 1.0, cap 100)' })
  version!: number;

  @Field(() => Int)
  pointsPerHour!: number;

  @Field(() => [CategoryMultiplierType], { description: 'Every category with its multiplier (1.0 unless set)' })
  categoryMultipliers!: CategoryMultiplierType[];

  @Field(() => Int)
  dailyCap!: number;

  @Field(() => DateTimeISOResolver, { nullable: true })
  effectiveFrom!: Date | null;

  @Field(() => UserRef, { nullable: true, description: 'The committee member who made this version' })
  changedBy!: UserRef | null;
}

@ObjectType('TierPolicy', { description: 'Lifetime points needed for each tier in a community' })
export class TierPolicyType {
  @Field(() => ID)
  communityId!: string;

  @Field(() => Int, { description: '0 = the built-in default (100 / 500 / 1500)' })
  version!: number;

  @Field(() => Int)
  activist!: number;

  @Field(() => Int)
  backbone!: number;

  @Field(() => Int)
  leader!: number;

  @Field(() => DateTimeISOResolver, { nullable: true })
  effectiveFrom!: Date | null;

  @Field(() => UserRef, { nullable: true })
  changedBy!: UserRef | null;
}

@ObjectType('PointsLeaderboardEntry')
export class PointsLeaderboardEntryType {
  @Field(() => Int, { description: 'Equal points share a rank' })
  rank!: number;

  @Field(() => Int, { description: 'Points earned in the period, net of reversals (lifetime earned for ALL)' })
  points!: number;

  @Field(() => UserRef)
  user!: UserRef;
}

@InputType('CategoryMultiplierInput')
export class CategoryMultiplierInput {
  @Field(() => OpportunityCategory)
  category!: OpportunityCategory;

  @Field(() => Float, { description: '0–10, at most three decimals' })
  multiplier!: number;
}

@InputType('PointsRuleInput')
export class PointsRuleInput {
  @Field(() => Int, { description: '0–1000' })
  pointsPerHour!: number;

  @Field(() => [CategoryMultiplierInput], { defaultValue: [], description: 'Categories not listed stay at 1.0' })
  categoryMultipliers!: CategoryMultiplierInput[];

  @Field(() => Int, { description: 'Most points one volunteer earns from verified hours per day, 0–100000' })
  dailyCap!: number;
}

@InputType('TierPolicyInput', { description: 'Rising thresholds: activist < backbone < leader' })
export class TierPolicyInput {
  @Field(() => Int)
  activist!: number;

  @Field(() => Int)
  backbone!: number;

  @Field(() => Int)
  leader!: number;
}
