import { randomUUID } from 'node:crypto';
import { BadUserInputError, Role, requireCommunityRole, type AuthContext } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { PointsRuleEntity } from '../entities/points-rule.entity';
import { TierPolicyEntity } from '../entities/tier-policy.entity';
import { type OpportunityCategory, Tier, TIER_ORDER } from './vocabulary';

/** A points rule as awards use it; version 0 is the built-in default of a community that never set one. */
export interface PointsRule {
  communityId: string;
  version: number;
  pointsPerHour: number;
  categoryMultipliers: Partial<Record<OpportunityCategory, number>>;
  dailyCap: number;
  effectiveFrom: Date | null;
  changedBy: string | null;
}

export interface TierPolicy {
  communityId: string;
  version: number;
  thresholds: Record<Exclude<Tier, Tier.VOLUNTEER>, number>;
  effectiveFrom: Date | null;
  changedBy: string | null;
}

export const DEFAULT_POINTS_PER_HOUR = 10;
export const DEFAULT_DAILY_CAP = 100;
export const DEFAULT_TIER_THRESHOLDS = { ACTIVIST: 100, BACKBONE: 500, LEADER: 1500 } as const;

export function defaultPointsRule(communityId: string): PointsRule {
  return {
    communityId,
    version: 0,
    pointsPerHour: DEFAULT_POINTS_PER_HOUR,
    categoryMultipliers: {},
    dailyCap: DEFAULT_DAILY_CAP,
    effectiveFrom: null,
    changedBy: null,
  };
}

export function defaultTierPolicy(communityId: string): TierPolicy {
  return { communityId, version: 0, thresholds: { ...DEFAULT_TIER_THRESHOLDS }, effectiveFrom: null, changedBy: null };
}

export function multiplierFor(rule: PointsRule, category: OpportunityCategory): number {
  return rule.categoryMultipliers[category] ?? 1;
}

/**
 * Points for verified hours before the daily cap: floor(hours × points per hour × category multiplier).
 * Computed in hundredths of an hour and thousandths of a multiplier (the precision both are stored with), so binary
 * floating point never turns 40 into 39.
 */
export function pointsForHours(rule: PointsRule, category: OpportunityCategory, hours: number): number {
  const centiHours = Math.round(hours * 100);
  const milliMultiplier = Math.round(multiplierFor(rule, category) * 1000);
  return Math.floor((centiHours * rule.pointsPerHour * milliMultiplier) / 100_000);
}

/** The highest tier whose threshold `lifetimeEarned` has reached under the policy. */
export function tierFor(policy: TierPolicy, lifetimeEarned: number): Tier {
  let reached = Tier.VOLUNTEER;
  for (const tier of TIER_ORDER) {
    if (tier !== Tier.VOLUNTEER && lifetimeEarned >= policy.thresholds[tier]) reached = tier;
  }
  return reached;
}

/** Tiers (above VOLUNTEER) whose threshold `lifetimeEarned` has reached, lowest first. */
export function tiersReached(policy: TierPolicy, lifetimeEarned: number): Exclude<Tier, Tier.VOLUNTEER>[] {
  return TIER_ORDER.filter(
    (tier): tier is Exclude<Tier, Tier.VOLUNTEER> =>
      tier !== Tier.VOLUNTEER && lifetimeEarned >= policy.thresholds[tier],
  );
}

export interface PointsRuleInput {
  pointsPerHour: number;
  categoryMultipliers: { category: OpportunityCategory; multiplier: number }[];
  dailyCap: number;
}

export interface TierPolicyInput {
  activist: number;
  backbone: number;
  leader: number;
}

const RULE_MANAGERS: readonly Role[] = [Role.COMMITTEE];

function toRule(row: PointsRuleEntity): PointsRule {
  return {
    communityId: row.communityId,
    version: row.version,
    pointsPerHour: row.pointsPerHour,
    categoryMultipliers: row.categoryMultipliers,
    dailyCap: row.dailyCap,
    effectiveFrom: row.effectiveFrom,
    changedBy: row.changedBy,
  };
}

function toPolicy(row: TierPolicyEntity): TierPolicy {
  return {
    communityId: row.communityId,
    version: row.version,
    thresholds: { ACTIVIST: row.activist, BACKBONE: row.backbone, LEADER: row.leader },
    effectiveFrom: row.effectiveFrom,
    changedBy: row.changedBy,
  };
}

/**
 * Each community's points rule and tier policy. Both are versioned: a change inserts a new version effective from
 * now, and awards read the version in force when they happen, so a change is never applied retroactively and the
 * rows themselves are the audit trail (who changed what, when).
 */
export class PointsRules {
  constructor(private readonly db: DataSource) {}

  async ruleInForce(manager: EntityManager, communityId: string): Promise<PointsRule> {
    const row = await manager.getRepository(PointsRuleEntity).findOne({
      where: { communityId },
      order: { version: 'DESC' },
    });
    return row ? toRule(row) : defaultPointsRule(communityId);
  }

  async policyInForce(manager: EntityManager, communityId: string): Promise<TierPolicy> {
    const row = await manager.getRepository(TierPolicyEntity).findOne({
      where: { communityId },
      order: { version: 'DESC' },
    });
    return row ? toPolicy(row) : defaultTierPolicy(communityId);
  }

  /** `policyInForce` of several communities in one statement (communities without a policy are left out). */
  async policiesInForce(manager: EntityManager, communityIds: readonly string[]): Promise<Map<string, TierPolicy>> {
    const rows = await manager
      .getRepository(TierPolicyEntity)
      .createQueryBuilder('policy')
      .distinctOn(['policy.communityId'])
      .where('policy.communityId IN (:...communityIds)', { communityIds: [...communityIds] })
      .orderBy('policy.communityId')
      .addOrderBy('policy.version', 'DESC')
      .getMany();
    return new Map(rows.map((row) => [row.communityId, toPolicy(row)]));
  }

  currentRule(communityId: string): Promise<PointsRule> {
    return this.ruleInForce(this.db.manager, communityId);
  }

  currentPolicy(communityId: string): Promise<TierPolicy> {
    return this.policyInForce(this.db.manager, communityId);
  }

  async ruleHistory(communityId: string): Promise<PointsRule[]> {
    const rows = await this.db
      .getRepository(PointsRuleEntity)
      .find({ where: { communityId }, order: { version: 'DESC' } });
    return rows.map(toRule);
  }

  async setRule(context: AuthContext, communityId: string, input: PointsRuleInput): Promise<PointsRule> {
    const caller = requireCommunityRole(context, communityId, RULE_MANAGERS);
    if (!Number.isInteger(input.pointsPerHour) || input.pointsPerHour < 0 || input.pointsPerHour > 1000)
      throw new BadUserInputError('pointsPerHour must be a whole number from 0 to 1000', 'pointsPerHour');
    if (!Number.isInteger(input.dailyCap) || input.dailyCap < 0 || input.dailyCap > 100_000)
      throw new BadUserInputError('dailyCap must be a whole number from 0 to 100000', 'dailyCap');
    const multipliers: Partial<Record<OpportunityCategory, number>> = {};
    for (const { category, multiplier } of input.categoryMultipliers) {
      if (category in multipliers) throw new BadUserInputError(`${category} is listed twice`, 'categoryMultipliers');
      if (
        !Number.isFinite(multiplier) ||
        multiplier < 0 ||
        multiplier > 10 ||
        Math.round(multiplier * 1000) !== multiplier * 1000
      )
        throw new BadUserInputError(
          'A multiplier must be from 0 to 10 with at most three decimals',
          'categoryMultipliers',
        );
      if (multiplier !== 1) multipliers[category] = multiplier;
    }
    return this.db.transaction(async (manager) => {
      // Serialises concurrent changes of one community's rule, so versions never collide.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('points_rules:' || $1))`, [communityId]);
      const current = await this.ruleInForce(manager, communityId);
      const row = manager.create(PointsRuleEntity, {
        id: randomUUID(),
        communityId,
        version: current.version + 1,
        pointsPerHour: input.pointsPerHour,
        categoryMultipliers: multipliers,
        dailyCap: input.dailyCap,
        changedBy: caller.userId,
      });
      await manager.insert(PointsRuleEntity, row);
      return this.ruleInForce(manager, communityId);
    });
  }

  async setTierPolicy(context: AuthContext, communityId: string, input: TierPolicyInput): Promise<TierPolicy> {
    const caller = requireCommunityRole(context, communityId, RULE_MANAGERS);
    for (const [field, value] of Object.entries(input)) {
      if (!Number.isInteger(value) || value < 1 || value > 10_000_000)
        throw new BadUserInputError(`${field} must be a whole number from 1 to 10000000`, field);
    }
    if (!(input.activist < input.backbone && input.backbone < input.leader))
      throw new BadUserInputError('Thresholds must rise: activist < backbone < leader', 'backbone');
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('tier_policies:' || $1))`, [communityId]);
      const current = await this.policyInForce(manager, communityId);
      await manager.insert(TierPolicyEntity, {
        id: randomUUID(),
        communityId,
        version: current.version + 1,
        activist: input.activist,
        backbone: input.backbone,
        leader: input.leader,
        changedBy: caller.userId,
      });
      return this.policyInForce(manager, communityId);
    });
  }
}
