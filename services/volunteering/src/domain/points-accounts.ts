import {
  BadUserInputError,
  ForbiddenError,
  hasAnyRole,
  pageArgs,
  timeAndIdCursor,
  requireCaller,
  requireCommunityRole,
  Role,
  STAFF_ROLES,
  toConnection,
  type AuthContext,
  type Connection,
} from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { requireText } from './input';
import { PointsAccountEntity } from '../entities/points-account.entity';
import { PointsEntryEntity } from '../entities/points-entry.entity';
import type { PointsLedger } from './points-ledger';
import { heldPoints } from './points-eligibility';
import { residences } from './residences';
import { type PointsRules, type TierPolicy } from './points-rules';
import { Tier, TIER_ORDER, tierRank } from './vocabulary';

/** What `User.pointsAccount` shows; a resident who never earned anything sees an empty account. */
export interface AccountView {
  userId: string;
  communityId: string;
  balance: number;
  lifetimeEarned: number;
  heldPoints: number;
  tier: Tier;
}

export function nextTierOf(policy: TierPolicy, account: AccountView): { tier: Tier; threshold: number } | null {
  for (const tier of TIER_ORDER) {
    if (tier === Tier.VOLUNTEER || tierRank(tier) <= tierRank(account.tier)) continue;
    return { tier, threshold: policy.thresholds[tier] };
  }
  return null;
}

/** Reading accounts and entries (the owner, or staff of the account's community), and committee reversals. */
export class PointsAccounts {
  constructor(
    private readonly db: DataSource,
    private readonly rules: PointsRules,
    private readonly ledger: PointsLedger,
  ) {}

  async accountOf(context: AuthContext, userId: string): Promise<AccountView> {
    const caller = requireCaller(context);
    const account = await this.db.getRepository(PointsAccountEntity).findOneBy({ userId });
    const isOwner = caller.userId === userId;
    const isStaff = account?.communityId === caller.communityId && hasAnyRole(caller, STAFF_ROLES);
    if (!isOwner && !isStaff)
      throw new ForbiddenError('NOT_YOURS', 'Only the resident and their community’s staff see these points');
    if (!account)
      return {
        userId,
        communityId: caller.communityId,
        balance: 0,
        lifetimeEarned: 0,
        heldPoints: 0,
        tier: Tier.VOLUNTEER,
      };
    return { ...account, heldPoints: heldPoints(account) };
  }

  /** Whether new points count toward tiers now (a grid worker or committee member confirmed the household). */
  residenceConfirmed(account: AccountView): Promise<boolean> {
    return residences.isConfirmed(this.db.manager, account.userId, account.communityId);
  }

  async nextTier(account: AccountView): Promise<{ tier: Tier; threshold: number } | null> {
    return nextTierOf(await this.rules.policyInForce(this.db.manager, account.communityId), account);
  }

  async entries(
    account: AccountView,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<PointsEntryEntity>> {
    const page = pageArgs(first, after, timeAndIdCursor);
    const query = this.db
      .getRepository(PointsEntryEntity)
      .createQueryBuilder('e')
      .where('e.user_id = :userId', { userId: account.userId })
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(page.limit + 1);
    if (page.after) {
      const [millis, id] = page.after;
      if (typeof millis !== 'number' || typeof id !== 'string')
        throw new BadUserInputError('after is not a valid cursor', 'after');
      query.andWhere('(e.created_at, e.id) < (:at, :id)', { at: new Date(millis), id });
    }
    return toConnection(await query.getMany(), page.limit, (row) => [row.createdAt.getTime(), row.id]);
  }

  /** A committee member of the entry's community corrects a wrong earning (see PointsLedger.reverse). */
  async reverse(context: AuthContext, entryId: string, reason: string): Promise<PointsEntryEntity> {
    const caller = requireCommunityRole(context, requireCaller(context).communityId, [Role.COMMITTEE]);
    const memo = requireText(reason, 'reason', 1, 500);
    return this.db.transaction((manager) =>
      this.ledger.reverse(manager, entryId, memo, caller.userId, caller.communityId),
    );
  }
}
