import { randomUUID } from 'node:crypto';
import { AppError, ConflictError, ErrorCode, NotFoundError } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';
import { PointsAccountEntity } from '../entities/points-account.entity';
import { PointsEntryEntity } from '../entities/points-entry.entity';
import type { VolunteeringEvents } from '../events/volunteering-events';
import { type PointsRules, tierFor, tiersReached } from './points-rules';
import { EARNING_KINDS, type EarningKind, PointsEntryKind, type Tier, tierRank } from './vocabulary';

export const REVERSAL_SOURCE_TYPE = 'REVERSAL';

export interface LedgerSource {
  userId: string;
  communityId: string;
  /** With sourceId, unique across the ledger: the same source can never change an account twice. */
  sourceType: string;
  sourceId: string;
  memo?: string;
  /** Who made the change (organizer, committee member); null when the system did it for an event. */
  causedBy: string | null;
}

export interface Credit {
  entry: PointsEntryEntity;
  account: PointsAccountEntity;
  /** Tiers announced by this credit (each tier is announced once per resident, ever). */
  tiersReached: Tier[];
}

interface EntryRow {
  id: string;
  community_id: string;
  user_id: string;
  delta: number;
  kind: PointsEntryKind;
  source_type: string;
  source_id: string;
  balance_after: number;
  lifetime_after: number;
  memo: string;
  caused_by: string | null;
  created_at: Date;
}

function toEntry(row: EntryRow): PointsEntryEntity {
  return Object.assign(new PointsEntryEntity(), {
    id: row.id,
    communityId: row.community_id,
    userId: row.user_id,
    delta: row.delta,
    kind: row.kind,
    sourceType: row.source_type,
    sourceId: row.source_id,
    balanceAfter: row.balance_after,
    lifetimeAfter: row.lifetime_after,
    memo: row.memo,
    causedBy: row.caused_by,
    createdAt: row.created_at,
  });
}

export class InsufficientPointsError extends AppError {
  constructor(balance: number, needed: number) {
    super(ErrorCode.INSUFFICIENT_POINTS, `The balance of ${balance} points does not cover ${needed}`, {
      balance,
      needed,
    });
  }
}

/**
 * The public-welfare points ledger. Every change is one append-only entry plus the account update, made with the
 * caller's transaction manager while the account row is locked (SELECT … FOR UPDATE), so concurrent changes of one
 * account queue up and `balance` always equals the sum of the account's entries. Earning raises balance and
 * lifetime; redeeming and refunding move only the balance; a reversal corrects a wrong earning.
 */
export class PointsLedger {
  constructor(
    private readonly rules: PointsRules,
    private readonly events: VolunteeringEvents,
  ) {}

  /** Opens the account if needed (idempotent) and locks it for the rest of the transaction. */
  async lockAccount(manager: EntityManager, userId: string, communityId: string): Promise<PointsAccountEntity> {
    await manager.query(
      `INSERT INTO points_accounts (user_id, community_id) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`,
      [userId, communityId],
    );
    const account = await manager.findOne(PointsAccountEntity, {
      where: { userId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!account) throw new Error(`points account ${userId} vanished inside its own transaction`);
    if (account.communityId !== communityId)
      throw new Error(`points account ${userId} belongs to community ${account.communityId}, not ${communityId}`);
    return account;
  }

  /** Opens an account for a new resident; a second call changes nothing. */
  async openAccount(manager: EntityManager, userId: string, communityId: string): Promise<void> {
    await manager.query(
      `INSERT INTO points_accounts (user_id, community_id) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`,
      [userId, communityId],
    );
  }

  /**
   * Earning: raises balance and lifetime, writes `points.awarded`, and `points.tier-reached` for every tier the new
   * lifetime reaches for the first time. Returns null when this source was already credited (nothing changes).
   */
  async credit(
    manager: EntityManager,
    source: LedgerSource & { points: number; kind: EarningKind; causationId?: string },
  ): Promise<Credit | null> {
    if (!Number.isInteger(source.points) || source.points <= 0)
      throw new Error(`a credit must be a positive whole number of points, got ${source.points}`);
    const account = await this.lockAccount(manager, source.userId, source.communityId);
    const policy = await this.rules.policyInForce(manager, source.communityId);
    const lifetimeAfter = account.lifetimeEarned + source.points;
    const computed = tierFor(policy, lifetimeAfter);
    const tier = tierRank(computed) > tierRank(account.tier) ? computed : account.tier;
    const entry = await this.append(manager, account, {
      ...source,
      delta: source.points,
      lifetimeAfter,
      tier,
    });
    if (!entry) return null;
    const awardEventId = await this.events.pointsAwarded(
      manager,
      {
        entryId: entry.id,
        userId: entry.userId,
        communityId: entry.communityId,
        points: entry.delta,
        kind: source.kind,
        sourceType: entry.sourceType,
        sourceId: entry.sourceId,
        lifetimeEarned: entry.lifetimeAfter,
        awardedAt: entry.createdAt.toISOString(),
      },
      source.causationId,
    );
    const announced: Tier[] = [];
    for (const reached of tiersReached(policy, lifetimeAfter)) {
      // The primary key (user_id, tier) makes each tier's announcement happen once, even across policy changes.
      const inserted: unknown[] = await manager.query(
        `INSERT INTO tier_achievements (user_id, community_id, tier, lifetime_earned) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, tier) DO NOTHING RETURNING tier`,
        [entry.userId, entry.communityId, reached, lifetimeAfter],
      );
      if (inserted.length === 0) continue;
      announced.push(reached);
      await this.events.tierReached(
        manager,
        {
          userId: entry.userId,
          communityId: entry.communityId,
          tier: reached,
          lifetimeEarned: lifetimeAfter,
          reachedAt: entry.createdAt.toISOString(),
        },
        awardEventId,
      );
    }
    return { entry, account: await this.reload(manager, entry.userId), tiersReached: announced };
  }

  /**
   * Spending (e.g. an order paid in points): lowers the balance only; lifetime and tier stay. Throws
   * INSUFFICIENT_POINTS rather than going below zero (the database CHECK is the last line behind this).
   * Returns null when this source was already debited.
   */
  async debit(manager: EntityManager, source: LedgerSource & { points: number }): Promise<PointsEntryEntity | null> {
    if (!Number.isInteger(source.points) || source.points <= 0)
      throw new Error(`a debit must be a positive whole number of points, got ${source.points}`);
    const account = await this.lockAccount(manager, source.userId, source.communityId);
    if (account.balance < source.points) throw new InsufficientPointsError(account.balance, source.points);
    return this.append(manager, account, {
      ...source,
      kind: PointsEntryKind.REDEEMED,
      delta: -source.points,
      lifetimeAfter: account.lifetimeEarned,
      tier: account.tier,
    });
  }

  /** Gives back points of a debit (a cancelled order): balance only. Returns null when already refunded. */
  async refund(manager: EntityManager, source: LedgerSource & { points: number }): Promise<PointsEntryEntity | null> {
    if (!Number.isInteger(source.points) || source.points <= 0)
      throw new Error(`a refund must be a positive whole number of points, got ${source.points}`);
    const account = await this.lockAccount(manager, source.userId, source.communityId);
    return this.append(manager, account, {
      ...source,
      kind: PointsEntryKind.REFUNDED,
      delta: source.points,
      lifetimeAfter: account.lifetimeEarned,
      tier: account.tier,
    });
  }

  /**
   * Corrects a wrong earning with a REVERSAL entry (the wrong entry itself is never touched).
   *
   * Clamping rule: the reversal takes back the earned points from the balance, but never more than the balance
   * holds — points already spent stay spent, because what they paid for was delivered — and the entry records the
   * delta actually taken (possibly 0). Lifetime earned is lowered by the full wrong amount, clamped at zero, because
   * tiers must measure real work; the account's tier drops if lifetime falls below its threshold. A tier once
   * announced is not announced again when re-reached.
   */
  async reverse(
    manager: EntityManager,
    entryId: string,
    reason: string,
    causedBy: string,
    expectCommunityId?: string,
  ): Promise<PointsEntryEntity> {
    const wrong = await manager.findOneBy(PointsEntryEntity, { id: entryId });
    if (!wrong || (expectCommunityId && wrong.communityId !== expectCommunityId))
      throw new NotFoundError('Points entry', entryId);
    if (!EARNING_KINDS.includes(wrong.kind))
      throw new ConflictError(
        'NOT_REVERSIBLE',
        `Only earnings can be reversed; a ${wrong.kind} entry is corrected by its own flow`,
      );
    const account = await this.lockAccount(manager, wrong.userId, wrong.communityId);
    const taken = Math.min(wrong.delta, account.balance);
    const lifetimeAfter = Math.max(0, account.lifetimeEarned - wrong.delta);
    const policy = await this.rules.policyInForce(manager, wrong.communityId);
    const computed = tierFor(policy, lifetimeAfter);
    const tier = tierRank(computed) < tierRank(account.tier) ? computed : account.tier;
    const entry = await this.append(manager, account, {
      userId: wrong.userId,
      communityId: wrong.communityId,
      sourceType: REVERSAL_SOURCE_TYPE,
      sourceId: wrong.id,
      memo: reason,
      causedBy,
      kind: PointsEntryKind.REVERSAL,
      delta: -taken,
      lifetimeAfter,
      tier,
    });
    if (!entry) throw new ConflictError('ALREADY_REVERSED', `Points entry ${entryId} has already been reversed`);
    return entry;
  }

  private async append(
    manager: EntityManager,
    account: PointsAccountEntity,
    change: LedgerSource & { kind: PointsEntryKind; delta: number; lifetimeAfter: number; tier: Tier },
  ): Promise<PointsEntryEntity | null> {
    const balanceAfter = account.balance + change.delta;
    const rows: EntryRow[] = await manager.query(
      `INSERT INTO points_entries
         (id, community_id, user_id, delta, kind, source_type, source_id, balance_after, lifetime_after, memo, caused_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (source_type, source_id) DO NOTHING
       RETURNING *`,
      [
        randomUUID(),
        account.communityId,
        account.userId,
        change.delta,
        change.kind,
        change.sourceType,
        change.sourceId,
        balanceAfter,
        change.lifetimeAfter,
        change.memo ?? '',
        change.causedBy,
      ],
    );
    const row = rows[0];
    if (!row) return null;
    await manager.query(
      `UPDATE points_accounts
          SET balance = $2, lifetime_earned = $3, tier = $4, version = version + 1, updated_at = clock_timestamp()
        WHERE user_id = $1`,
      [account.userId, balanceAfter, change.lifetimeAfter, change.tier],
    );
    return toEntry(row);
  }

  private async reload(manager: EntityManager, userId: string): Promise<PointsAccountEntity> {
    return manager.findOneByOrFail(PointsAccountEntity, { userId });
  }
}
