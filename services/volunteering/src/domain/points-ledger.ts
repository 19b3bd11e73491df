import { randomUUID } from 'node:crypto';
import { AppError, ConflictError, ErrorCode, NotFoundError } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';
import { PointsAccountEntity } from '../entities/points-account.entity';
import { PointsEntryEntity } from '../entities/points-entry.entity';
import type { VolunteeringEvents } from '../events/volunteering-events';
import { type PointsRules, tierFor, tiersReached } from './points-rules';
import { afterConfirmation, afterEarning, afterReversal, heldPoints } from './points-eligibility';
import { residences } from './residences';
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

export interface Release {
  /** Held points that now count toward tiers (0 when nothing was held). */
  released: number;
  tiersReached: Tier[];
}

type AccountChange = { kind: PointsEntryKind; delta: number; lifetimeAfter: number; tierPoints: number; tier: Tier };

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
  held: boolean;
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
    held: row.held,
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
    // Read after the account lock: a confirmation being applied concurrently either commits first (we count) or
    // waits for this lock and then releases what we hold.
    const counts = await residences.isConfirmed(manager, source.userId, source.communityId);
    const { lifetimeEarned: lifetimeAfter, tierPoints } = afterEarning(account, source.points, counts);
    const computed = tierFor(policy, tierPoints);
    const tier = tierRank(computed) > tierRank(account.tier) ? computed : account.tier;
    const entry = await this.append(manager, account, {
      ...source,
      delta: source.points,
      lifetimeAfter,
      tierPoints,
      tier,
      held: !counts,
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
    const announced = counts
      ? await this.announceTiers(manager, entry.userId, entry.communityId, tierPoints, entry.createdAt, awardEventId)
      : [];
    return { entry, account: await this.reload(manager, entry.userId), tiersReached: announced };
  }

  /**
   * A confirmation of the resident's residence (identity.residence.changed, newest version): every held point now
   * counts toward tiers, and the tiers it reaches are announced (each once, ever). Recorded as a points_releases
   * row per residence version, so a redelivered confirmation releases nothing twice.
   */
  async releaseHeld(
    manager: EntityManager,
    userId: string,
    communityId: string,
    residenceVersion: number,
    causationId: string,
  ): Promise<Release> {
    // A residence in another community than the account's (a forged or confused fact) releases nothing.
    const [owner] = await manager.query<{ community_id: string }[]>(
      `SELECT community_id FROM points_accounts WHERE user_id = $1`,
      [userId],
    );
    if (owner && owner.community_id !== communityId) return { released: 0, tiersReached: [] };
    const account = await this.lockAccount(manager, userId, communityId);
    const held = heldPoints(account);
    if (held <= 0) return { released: 0, tiersReached: [] };
    const { tierPoints } = afterConfirmation(account);
    const recorded: unknown[] = await manager.query(
      `INSERT INTO points_releases (id, user_id, community_id, points, tier_points_after, residence_version)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, residence_version) DO NOTHING RETURNING id`,
      [randomUUID(), userId, communityId, held, tierPoints, residenceVersion],
    );
    if (recorded.length === 0) return { released: 0, tiersReached: [] };
    const policy = await this.rules.policyInForce(manager, communityId);
    const computed = tierFor(policy, tierPoints);
    const tier = tierRank(computed) > tierRank(account.tier) ? computed : account.tier;
    await manager.query(
      `UPDATE points_accounts SET tier_points = $2, tier = $3, version = version + 1, updated_at = clock_timestamp()
        WHERE user_id = $1`,
      [userId, tierPoints, tier],
    );
    const tiers = await this.announceTiers(manager, userId, communityId, tierPoints, new Date(), causationId);
    return { released: held, tiersReached: tiers };
  }

  /** Announces every tier that `tierPoints` reaches for the first time for this resident. */
  private async announceTiers(
    manager: EntityManager,
    userId: string,
    communityId: string,
    tierPoints: number,
    reachedAt: Date,
    causationId: string | undefined,
  ): Promise<Tier[]> {
    const policy = await this.rules.policyInForce(manager, communityId);
    const announced: Tier[] = [];
    for (const reached of tiersReached(policy, tierPoints)) {
      // The primary key (user_id, tier) makes each tier's announcement happen once, even across policy changes.
      const inserted: unknown[] = await manager.query(
        `INSERT INTO tier_achievements (user_id, community_id, tier, lifetime_earned) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, tier) DO NOTHING RETURNING tier`,
        [userId, communityId, reached, tierPoints],
      );
      if (inserted.length === 0) continue;
      announced.push(reached);
      await this.events.tierReached(
        manager,
        { userId, communityId, tier: reached, lifetimeEarned: tierPoints, reachedAt: reachedAt.toISOString() },
        causationId,
      );
    }
    return announced;
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
      tierPoints: account.tierPoints,
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
      tierPoints: account.tierPoints,
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
    // A wrong entry still held never counted toward tiers, so only lifetime drops; otherwise tier points drop too.
    const stillHeld = wrong.held && !(await this.releasedSince(manager, wrong.userId, wrong.createdAt));
    const { lifetimeEarned: lifetimeAfter, tierPoints } = afterReversal(account, wrong.delta, stillHeld);
    const policy = await this.rules.policyInForce(manager, wrong.communityId);
    const computed = tierFor(policy, tierPoints);
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
      tierPoints,
      tier,
    });
    if (!entry) throw new ConflictError('ALREADY_REVERSED', `Points entry ${entryId} has already been reversed`);
    return entry;
  }

  private async releasedSince(manager: EntityManager, userId: string, since: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM points_releases WHERE user_id = $1 AND released_at >= $2 LIMIT 1`,
      [userId, since],
    );
    return rows.length > 0;
  }

  private async append(
    manager: EntityManager,
    account: PointsAccountEntity,
    change: LedgerSource & AccountChange & { held?: boolean },
  ): Promise<PointsEntryEntity | null> {
    const balanceAfter = account.balance + change.delta;
    const rows: EntryRow[] = await manager.query(
      `INSERT INTO points_entries
         (id, community_id, user_id, delta, kind, source_type, source_id, balance_after, lifetime_after, memo, caused_by,
          held)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
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
        change.held ?? false,
      ],
    );
    const row = rows[0];
    if (!row) return null;
    await manager.query(
      `UPDATE points_accounts
          SET balance = $2, lifetime_earned = $3, tier_points = $4, tier = $5, version = version + 1,
              updated_at = clock_timestamp()
        WHERE user_id = $1`,
      [account.userId, balanceAfter, change.lifetimeAfter, change.tierPoints, change.tier],
    );
    return toEntry(row);
  }

  private async reload(manager: EntityManager, userId: string): Promise<PointsAccountEntity> {
    return manager.findOneByOrFail(PointsAccountEntity, { userId });
  }
}
