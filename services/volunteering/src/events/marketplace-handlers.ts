import {
  NeedCancelled,
  NeedFulfilled,
  NeedPosted,
  on,
  OrderCancelled,
  OrderPlaced,
  type EventHandler,
} from '@taoyuan/events';
import type { EntityManager } from 'typeorm';
import { InsufficientPointsError, type PointsLedger } from '../domain/points-ledger';
import { PointsEntryKind } from '../domain/vocabulary';
import { PointsSagaEvents } from './points-saga-events';

/**
 * Ledger sources of the marketplace saga. With the source id (the order or need id) each is unique in the ledger, so
 * an order is debited at most once and refunded at most once, and a need's escrow is either paid to the helper or
 * refunded to the poster, once, however often and in whatever order the events arrive.
 */
export const MARKETPLACE_SOURCES = {
  ORDER: 'MARKETPLACE_ORDER',
  ORDER_REFUND: 'MARKETPLACE_ORDER_REFUND',
  NEED_ESCROW: 'MARKETPLACE_NEED',
  NEED_REFUND: 'MARKETPLACE_NEED_REFUND',
  NEED_REWARD: 'MARKETPLACE_NEED_REWARD',
} as const;

type SagaSource = 'ORDER' | 'NEED';

interface LedgerRow {
  user_id: string;
  community_id: string;
  delta: number;
}

async function entryOf(manager: EntityManager, sourceType: string, sourceId: string): Promise<LedgerRow | null> {
  const rows = await manager.query<LedgerRow[]>(
    `SELECT user_id, community_id, delta FROM points_entries WHERE source_type = $1 AND source_id = $2`,
    [sourceType, sourceId],
  );
  return rows[0] ?? null;
}

/** An account of another community than the event claims is refused, never opened or moved. */
async function accountInOtherCommunity(manager: EntityManager, userId: string, communityId: string): Promise<boolean> {
  const rows = await manager.query<{ community_id: string }[]>(
    `SELECT community_id FROM points_accounts WHERE user_id = $1`,
    [userId],
  );
  return rows[0] !== undefined && rows[0].community_id !== communityId;
}

/** One source's saga steps at a time: a reward and a refund of one need never both pass their checks. */
async function lockSource(manager: EntityManager, sourceId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`volunteering:saga:${sourceId}`]);
}

/**
 * volunteering's side of the marketplace saga: debit the spendable balance for an order or a need's reward (lifetime
 * earned and tier untouched, never below zero) and answer points.debited or points.debit-rejected; refund a
 * cancelled order or need; pay a fulfilled need's escrow to the helper. Amounts refunded or paid are read from
 * this ledger's own debit, never from the event.
 */
export function marketplaceHandlers(ledger: PointsLedger): EventHandler[] {
  const answers = new PointsSagaEvents();

  const debit = async (
    manager: EntityManager,
    request: { sourceType: SagaSource; sourceId: string; userId: string; communityId: string; points: number },
    causationId: string,
  ) => {
    await lockSource(manager, request.sourceId);
    const reject = (reason: 'INSUFFICIENT_POINTS' | 'NO_ACCOUNT') =>
      answers.debitRejected(manager, { ...request, reason, rejectedAt: new Date().toISOString() }, causationId);
    if (await accountInOtherCommunity(manager, request.userId, request.communityId)) return reject('NO_ACCOUNT');
    try {
      const entry = await ledger.debit(manager, {
        userId: request.userId,
        communityId: request.communityId,
        sourceType: request.sourceType === 'ORDER' ? MARKETPLACE_SOURCES.ORDER : MARKETPLACE_SOURCES.NEED_ESCROW,
        sourceId: request.sourceId,
        points: request.points,
        memo: request.sourceType === 'ORDER' ? '兑换社区服务' : '邻里互助悬赏托管',
        causedBy: null,
      });
      if (!entry) return; // already debited for this source: the answer went out with the first debit
      await answers.debited(
        manager,
        {
          ...request,
          entryId: entry.id,
          balance: entry.balanceAfter,
          debitedAt: entry.createdAt.toISOString(),
        },
        causationId,
      );
    } catch (error) {
      if (error instanceof InsufficientPointsError) return reject('INSUFFICIENT_POINTS');
      throw error;
    }
  };

  const refund = async (manager: EntityManager, sourceType: SagaSource, sourceId: string, causationId: string) => {
    await lockSource(manager, sourceId);
    const debited = await entryOf(
      manager,
      sourceType === 'ORDER' ? MARKETPLACE_SOURCES.ORDER : MARKETPLACE_SOURCES.NEED_ESCROW,
      sourceId,
    );
    // Nothing debited (yet): a debit arriving later is answered with points.debited, and marketplace, seeing it for
    // a cancelled order or need, asks again for the refund.
    if (!debited) return;
    if (sourceType === 'NEED' && (await entryOf(manager, MARKETPLACE_SOURCES.NEED_REWARD, sourceId))) return;
    const entry = await ledger.refund(manager, {
      userId: debited.user_id,
      communityId: debited.community_id,
      sourceType: sourceType === 'ORDER' ? MARKETPLACE_SOURCES.ORDER_REFUND : MARKETPLACE_SOURCES.NEED_REFUND,
      sourceId,
      points: -debited.delta,
      memo: sourceType === 'ORDER' ? '服务订单取消退还' : '邻里互助悬赏退还',
      causedBy: null,
    });
    if (!entry) return;
    await answers.refunded(
      manager,
      {
        sourceType,
        sourceId,
        entryId: entry.id,
        userId: entry.userId,
        communityId: entry.communityId,
        points: entry.delta,
        refundedAt: entry.createdAt.toISOString(),
      },
      causationId,
    );
  };

  return [
    on(OrderPlaced, async ({ payload, envelope }, manager) => {
      if (payload.payment !== 'POINTS' || payload.pricePoints <= 0) return;
      await debit(
        manager,
        {
          sourceType: 'ORDER',
          sourceId: payload.orderId,
          userId: payload.userId,
          communityId: payload.communityId,
          points: payload.pricePoints,
        },
        envelope.id,
      );
    }),
    on(OrderCancelled, ({ payload, envelope }, manager) => refund(manager, 'ORDER', payload.orderId, envelope.id)),
    on(NeedPosted, async ({ payload, envelope }, manager) => {
      if (payload.rewardPoints <= 0) return;
      await debit(
        manager,
        {
          sourceType: 'NEED',
          sourceId: payload.needId,
          userId: payload.postedBy,
          communityId: payload.communityId,
          points: payload.rewardPoints,
        },
        envelope.id,
      );
    }),
    on(NeedCancelled, ({ payload, envelope }, manager) => refund(manager, 'NEED', payload.needId, envelope.id)),
    on(NeedFulfilled, async ({ payload, envelope }, manager) => {
      await lockSource(manager, payload.needId);
      const escrow = await entryOf(manager, MARKETPLACE_SOURCES.NEED_ESCROW, payload.needId);
      if (!escrow || escrow.user_id === payload.fulfilledBy) return;
      if (await entryOf(manager, MARKETPLACE_SOURCES.NEED_REFUND, payload.needId)) return;
      if (await accountInOtherCommunity(manager, payload.fulfilledBy, escrow.community_id)) return;
      await ledger.credit(manager, {
        userId: payload.fulfilledBy,
        communityId: escrow.community_id,
        sourceType: MARKETPLACE_SOURCES.NEED_REWARD,
        sourceId: payload.needId,
        points: -escrow.delta,
        kind: PointsEntryKind.EARNED_SERVICE,
        memo: '邻里互助奖励',
        causedBy: null,
        causationId: envelope.id,
      });
    }),
  ];
}
