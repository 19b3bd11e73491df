import {
  ForbiddenError,
  hasAnyRole,
  pageArgs,
  timeAndIdCursor,
  requireCaller,
  requireCommunityRole,
  Role,
  STAFF_ROLES,
  loadKeyed,
  loadWindowedPage,
  type AuthContext,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { In, type DataSource } from 'typeorm';
import { requireText } from './input';
import { PointsAccountEntity } from '../entities/points-account.entity';
import { PointsEntryEntity } from '../entities/points-entry.entity';
import type { PointsLedger } from './points-ledger';
import { heldPoints } from './points-eligibility';
import { residences } from './residences';
import { defaultTierPolicy, type PointsRules, type TierPolicy } from './points-rules';
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

  /** Every account a request shows (a page of users) is read in one statement. */
  async accountOf(context: ServiceContext, userId: string): Promise<AccountView> {
    const caller = requireCaller(context);
    const account = await loadKeyed<PointsAccountEntity | null>(
      context.loaders,
      'points-accounts',
      userId,
      async (userIds) => {
        const rows = await this.db.getRepository(PointsAccountEntity).findBy({ userId: In(userIds) });
        return new Map(rows.map((row) => [row.userId, row]));
      },
      null,
    );
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
  residenceConfirmed(context: ServiceContext, account: AccountView): Promise<boolean> {
    return loadKeyed(
      context.loaders,
      'residence-confirmed',
      `${account.userId}:${account.communityId}`,
      async (keys) => {
        const confirmed = await residences.confirmedAmong(
          this.db.manager,
          keys.map((key) => {
            const [userId, communityId] = key.split(':');
            return { userId, communityId };
          }),
        );
        return new Map(keys.map((key) => [key, confirmed.has(key)]));
      },
      false,
    );
  }

  async nextTier(context: ServiceContext, account: AccountView): Promise<{ tier: Tier; threshold: number } | null> {
    const policy = await loadKeyed<TierPolicy | null>(
      context.loaders,
      'tier-policies',
      account.communityId,
      (communityIds) => this.rules.policiesInForce(this.db.manager, communityIds),
      null,
    );
    return nextTierOf(policy ?? defaultTierPolicy(account.communityId), account);
  }

  /** Ledger entries, newest first: one page per account, every account of the request in one statement. */
  entries(
    context: ServiceContext,
    account: AccountView,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<PointsEntryEntity>> {
    const page = pageArgs(first, after, timeAndIdCursor);
    return loadWindowedPage({
      db: this.db,
      loaders: context.loaders,
      name: 'points-entries',
      parentId: account.userId,
      list: { from: 'points_entries', parent: 'user_id', orderBy: ['created_at', 'id'], direction: 'DESC' },
      page: { limit: page.limit, after: page.after && [new Date(page.after[0]), page.after[1]] },
      load: (ids) => this.db.getRepository(PointsEntryEntity).findBy({ id: In(ids) }),
      cursorOf: (row) => [row.createdAt.getTime(), row.id],
    });
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
