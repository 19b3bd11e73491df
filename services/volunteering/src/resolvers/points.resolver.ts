import {
  requireCaller,
  requireCommunityRole,
  requireUuid,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Leaderboard } from '../domain/leaderboard';
import type { AccountView, PointsAccounts } from '../domain/points-accounts';
import type { PointsRule, PointsRules, TierPolicy } from '../domain/points-rules';
import { OpportunityCategory } from '../domain/vocabulary';
import type { PointsEntryEntity } from '../entities/points-entry.entity';
import { LeaderboardPeriod, Tier } from '../schema/enums';
import {
  PointsAccountType,
  PointsEntryConnection,
  PointsEntryType,
  PointsLeaderboardEntryType,
  PointsRuleInput,
  PointsRuleType,
  TierPolicyInput,
  TierPolicyType,
} from '../schema/points.type';
import { UserRef } from '../schema/refs.type';

function toRuleView(rule: PointsRule): PointsRuleType {
  return {
    communityId: rule.communityId,
    version: rule.version,
    pointsPerHour: rule.pointsPerHour,
    categoryMultipliers: Object.values(OpportunityCategory).map((category) => ({
      category,
      multiplier: rule.categoryMultipliers[category] ?? 1,
    })),
    dailyCap: rule.dailyCap,
    effectiveFrom: rule.effectiveFrom,
    changedBy: rule.changedBy ? { id: rule.changedBy } : null,
  };
}

function toPolicyView(policy: TierPolicy): TierPolicyType {
  return {
    communityId: policy.communityId,
    version: policy.version,
    activist: policy.thresholds.ACTIVIST,
    backbone: policy.thresholds.BACKBONE,
    leader: policy.thresholds.LEADER,
    effectiveFrom: policy.effectiveFrom,
    changedBy: policy.changedBy ? { id: policy.changedBy } : null,
  };
}

@Resolver(() => PointsAccountType)
export class PointsAccountResolver {
  constructor(private readonly accounts: PointsAccounts) {}

  @FieldResolver(() => Boolean, {
    description:
      'Whether a grid worker or committee member has confirmed the resident’s household: until then new points are ' +
      'held (they count toward tiers once it is confirmed)',
  })
  residenceConfirmed(@Root() account: AccountView, @Ctx() context: ServiceContext): Promise<boolean> {
    return this.accounts.residenceConfirmed(context, account);
  }

  @FieldResolver(() => Tier, { nullable: true, description: 'The next tier up (null at LEADER)' })
  async nextTier(@Root() account: AccountView, @Ctx() context: ServiceContext): Promise<Tier | null> {
    return (await this.accounts.nextTier(context, account))?.tier ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Counted points still needed for the next tier (null at LEADER); held points do not count',
  })
  async pointsToNextTier(@Root() account: AccountView, @Ctx() context: ServiceContext): Promise<number | null> {
    const next = await this.accounts.nextTier(context, account);
    return next ? Math.max(0, next.threshold - (account.lifetimeEarned - account.heldPoints)) : null;
  }

  @FieldResolver(() => PointsEntryConnection, { description: 'Ledger entries, newest first' })
  entries(
    @Root() account: AccountView,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<PointsEntryEntity>> {
    return this.accounts.entries(context, account, first, after);
  }
}

@Resolver(() => PointsEntryType)
export class PointsEntryResolver {
  @FieldResolver(() => UserRef, { nullable: true, description: 'Who made the change (null: the system)' })
  causedBy(@Root() entry: PointsEntryEntity): UserRef | null {
    return entry.causedBy ? { id: entry.causedBy } : null;
  }
}

@Resolver()
export class PointsResolver {
  constructor(
    private readonly accounts: PointsAccounts,
    private readonly rules: PointsRules,
    private readonly leaderboard: Leaderboard,
  ) {}

  @Query(() => [PointsLeaderboardEntryType], {
    description: 'Top earners of your community in a period (earnings net of reversals), highest first',
  })
  async pointsLeaderboard(
    @Ctx() context: ServiceContext,
    @Arg('communityId', () => ID) communityId: string,
    @Arg('period', () => LeaderboardPeriod) period: LeaderboardPeriod,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 10' }) first: number | null,
  ): Promise<PointsLeaderboardEntryType[]> {
    const rows = await this.leaderboard.top(context, requireUuid(communityId, 'communityId'), period, first);
    return rows.map((row) => ({ rank: row.rank, points: row.points, user: { id: row.userId } }));
  }

  @Query(() => PointsRuleType, { description: 'The points rule in force in your community' })
  async pointsRule(
    @Ctx() context: ServiceContext,
    @Arg('communityId', () => ID) communityId: string,
  ): Promise<PointsRuleType> {
    const id = requireUuid(communityId, 'communityId');
    requireCommunityRole(context, id);
    return toRuleView(await this.rules.currentRule(id));
  }

  @Query(() => [PointsRuleType], { description: 'Every version of the community’s points rule, newest first (audit)' })
  async pointsRuleHistory(
    @Ctx() context: ServiceContext,
    @Arg('communityId', () => ID) communityId: string,
  ): Promise<PointsRuleType[]> {
    const id = requireUuid(communityId, 'communityId');
    requireCommunityRole(context, id);
    return (await this.rules.ruleHistory(id)).map(toRuleView);
  }

  @Query(() => TierPolicyType, { description: 'The tier thresholds in force in your community' })
  async tierPolicy(
    @Ctx() context: ServiceContext,
    @Arg('communityId', () => ID) communityId: string,
  ): Promise<TierPolicyType> {
    const id = requireUuid(communityId, 'communityId');
    requireCommunityRole(context, id);
    return toPolicyView(await this.rules.currentPolicy(id));
  }

  @Mutation(() => PointsRuleType, {
    description: 'A new version of the community’s points rule, for verifications from now on (committee only)',
  })
  async setPointsRule(
    @Ctx() context: ServiceContext,
    @Arg('communityId', () => ID) communityId: string,
    @Arg('input', () => PointsRuleInput) input: PointsRuleInput,
  ): Promise<PointsRuleType> {
    return toRuleView(await this.rules.setRule(context, requireUuid(communityId, 'communityId'), input));
  }

  @Mutation(() => TierPolicyType, {
    description: 'New tier thresholds, for points earned from now on (committee only)',
  })
  async setTierPolicy(
    @Ctx() context: ServiceContext,
    @Arg('communityId', () => ID) communityId: string,
    @Arg('input', () => TierPolicyInput) input: TierPolicyInput,
  ): Promise<TierPolicyType> {
    return toPolicyView(await this.rules.setTierPolicy(context, requireUuid(communityId, 'communityId'), input));
  }

  @Mutation(() => PointsEntryType, {
    description:
      'Correct a wrong earning with a REVERSAL entry (committee only). It takes back at most the current balance ' +
      'and lowers lifetime earned, never below zero',
  })
  reversePointsEntry(
    @Ctx() context: ServiceContext,
    @Arg('entryId', () => ID) entryId: string,
    @Arg('reason', () => String, { description: '1–500 characters, kept in the ledger' }) reason: string,
  ): Promise<PointsEntryEntity> {
    requireCaller(context);
    return this.accounts.reverse(context, requireUuid(entryId, 'entryId'), reason);
  }
}
