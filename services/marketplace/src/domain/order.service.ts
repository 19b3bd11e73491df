import { randomUUID } from 'node:crypto';
import type { PayloadOf, PointsDebited, PointsDebitRejected, PointsRefunded } from '@taoyuan/events';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  requireCaller,
  type AuthContext,
  type Caller,
  type Logger,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { OfferingEntity } from '../entities/offering.entity';
import { OrderEntity } from '../entities/order.entity';
import { ProviderEntity } from '../entities/provider.entity';
import type { MarketplaceEvents } from '../events/marketplace-events';
import { isStaffOf, type AccessPolicy } from './access-policy';
import { requireIntegerIn, requireLine, requireParagraph } from './input';
import { changeLockedRow, lockRow } from './locked-row';
import {
  AUTO_COMPLETE_DAYS,
  MAX_ORDER_QUANTITY,
  OfferingStatus,
  OrderCancelReason,
  OrderStatus,
  PayWith,
  ProviderStatus,
} from './vocabulary';

export interface PlaceOrderInput {
  offeringId: string;
  slotId?: string | null;
  payWith: PayWith;
  quantity: number;
  note?: string | null;
  clientOrderId: string;
}

/** What a points event says about an order, before marketplace believes it. */
type PointsFact = Pick<PayloadOf<typeof PointsDebited>, 'sourceId' | 'userId' | 'communityId' | 'points'>;

/**
 * Orders and their lifecycle, and marketplace's half of the points saga with volunteering:
 * placed (PENDING_PAYMENT, slot place held) → points.debited → CONFIRMED, or points.debit-rejected → CANCELLED.
 * Every transition locks the order row, so a user's action, a saga event and the timeout sweep never both win.
 */
export class OrderService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AccessPolicy,
    private readonly events: MarketplaceEvents,
    private readonly paymentTimeoutSeconds: number,
  ) {}

  async place(context: AuthContext, input: PlaceOrderInput): Promise<OrderEntity> {
    const caller = requireCaller(context);
    const quantity = requireIntegerIn(input.quantity, 'quantity', 1, MAX_ORDER_QUANTITY);
    const note = requireParagraph(input.note, 'note', 300);
    const clientOrderId = requireLine(input.clientOrderId, 'clientOrderId', 1, 64);
    return this.db.transaction(async (manager) => {
      // One placement per (buyer, clientOrderId) at a time: a retried call waits for the first and returns its order.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `marketplace:order:${caller.userId}:${clientOrderId}`,
      ]);
      const existing = await manager.findOneBy(OrderEntity, { buyerId: caller.userId, clientOrderId });
      if (existing) {
        if (existing.offeringId !== input.offeringId)
          throw new ConflictError('CLIENT_ORDER_ID_REUSED', 'This clientOrderId was used for another order');
        return existing;
      }
      const offering = await manager.findOne(OfferingEntity, {
        where: { id: input.offeringId },
        lock: { mode: 'pessimistic_read' },
      });
      if (!offering) throw new NotFoundError('Service offering', input.offeringId);
      if (offering.communityId !== caller.communityId)
        throw new ForbiddenError('OTHER_COMMUNITY', 'This offering belongs to another community');
      const provider = await manager.findOneByOrFail(ProviderEntity, { id: offering.providerId });
      if (offering.status !== OfferingStatus.PUBLISHED || provider.status !== ProviderStatus.VERIFIED)
        throw new ConflictError('OFFERING_UNAVAILABLE', 'This offering is not open for orders');
      const price = this.priceOf(offering, input.payWith, quantity);
      const slotId = await this.holdPlace(manager, offering, input.slotId ?? null, quantity);
      const id = randomUUID();
      const paidInPoints = input.payWith === PayWith.POINTS;
      await manager.query(
        `INSERT INTO orders (id, community_id, offering_id, provider_id, slot_id, buyer_id, client_order_id, quantity,
                             pay_with, price_points, price_fen, note, status, payment_due_at, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                 CASE WHEN $14 THEN clock_timestamp() + make_interval(secs => $15) END,
                 CASE WHEN $14 THEN NULL ELSE clock_timestamp() END)`,
        [
          id,
          caller.communityId,
          offering.id,
          offering.providerId,
          slotId,
          caller.userId,
          clientOrderId,
          quantity,
          input.payWith,
          price.points,
          price.fen,
          note,
          paidInPoints ? OrderStatus.PENDING_PAYMENT : OrderStatus.CONFIRMED,
          paidInPoints,
          this.paymentTimeoutSeconds,
        ],
      );
      const order = await manager.findOneByOrFail(OrderEntity, { id });
      await this.events.orderPlaced(manager, {
        orderId: id,
        offeringId: offering.id,
        providerId: offering.providerId,
        userId: caller.userId,
        communityId: caller.communityId,
        payment: input.payWith,
        pricePoints: price.points,
        priceFen: price.fen,
        placedAt: order.placedAt.toISOString(),
      });
      if (!paidInPoints) await this.announceConfirmed(manager, order);
      return order;
    });
  }

  /** The buyer, before delivery. A points order already debited is refunded by volunteering. */
  cancel(context: AuthContext, id: string): Promise<OrderEntity> {
    const caller = requireCaller(context);
    return this.transition(caller, id, async (manager, order) => {
      if (order.buyerId !== caller.userId)
        throw new ForbiddenError('NOT_BUYER', 'Only the resident who placed the order can cancel it');
      if (order.status !== OrderStatus.PENDING_PAYMENT && order.status !== OrderStatus.CONFIRMED)
        throw new ConflictError('ORDER_NOT_CANCELLABLE', `A ${order.status.toLowerCase()} order cannot be cancelled`);
      await this.cancelLocked(manager, order, OrderCancelReason.BUYER_CANCELLED, null);
    });
  }

  /** The provider, with a reason, before completion. */
  decline(context: AuthContext, id: string, reason: string): Promise<OrderEntity> {
    const caller = requireCaller(context);
    const why = requireLine(reason, 'reason', 1, 300);
    return this.transition(caller, id, async (manager, order) => {
      await this.requireManagerOf(manager, caller, order);
      if (order.status === OrderStatus.COMPLETED || order.status === OrderStatus.CANCELLED)
        throw new ConflictError('ORDER_NOT_CANCELLABLE', `A ${order.status.toLowerCase()} order cannot be declined`);
      await this.cancelLocked(manager, order, OrderCancelReason.PROVIDER_DECLINED, why);
    });
  }

  deliver(context: AuthContext, id: string): Promise<OrderEntity> {
    const caller = requireCaller(context);
    return this.transition(caller, id, async (manager, order) => {
      await this.requireManagerOf(manager, caller, order);
      if (order.status !== OrderStatus.CONFIRMED)
        throw new ConflictError('ORDER_NOT_CONFIRMED', `A ${order.status.toLowerCase()} order cannot be delivered`);
      await manager.query(
        `UPDATE orders SET status = 'DELIVERED', delivered_at = clock_timestamp(), updated_at = clock_timestamp()
          WHERE id = $1`,
        [order.id],
      );
    });
  }

  confirmDelivery(context: AuthContext, id: string): Promise<OrderEntity> {
    const caller = requireCaller(context);
    return this.transition(caller, id, async (manager, order) => {
      if (order.buyerId !== caller.userId)
        throw new ForbiddenError('NOT_BUYER', 'Only the resident who placed the order confirms delivery');
      if (order.status !== OrderStatus.DELIVERED)
        throw new ConflictError('ORDER_NOT_DELIVERED', `A ${order.status.toLowerCase()} order cannot be confirmed`);
      await this.completeLocked(manager, order);
    });
  }

  /** The provider records cash received outside the system (no payment-provider integration). */
  markPaid(context: AuthContext, id: string, paymentReference: string): Promise<OrderEntity> {
    const caller = requireCaller(context);
    const reference = requireLine(paymentReference, 'paymentReference', 1, 100);
    return this.transition(caller, id, async (manager, order) => {
      await this.requireManagerOf(manager, caller, order);
      if (order.payWith !== PayWith.CASH)
        throw new ConflictError('NOT_CASH_ORDER', 'Only an order paid in cash is marked paid');
      if (order.paidAt) {
        if (order.paymentReference === reference) return;
        throw new ConflictError('ALREADY_PAID', 'This order was already marked paid with another reference');
      }
      if (order.status === OrderStatus.CANCELLED || order.status === OrderStatus.PENDING_PAYMENT)
        throw new ConflictError('INVALID_STATE', `A ${order.status.toLowerCase()} order cannot be marked paid`);
      await manager.query(
        `UPDATE orders SET payment_reference = $2, paid_at = clock_timestamp(), updated_at = clock_timestamp()
          WHERE id = $1`,
        [order.id, reference],
      );
      await this.recordIncomeIfDue(manager, order.id);
    });
  }

  // ---- the saga: facts from volunteering -------------------------------------------------------------------------

  /** points.debited for an order: confirm it; a debit for an order already cancelled is sent back for a refund. */
  async onDebited(manager: EntityManager, fact: PointsFact, causationId: string, logger: Logger): Promise<void> {
    const order = await this.lockMatching(manager, fact, logger);
    if (!order || order.pointsDebited) return;
    await manager.query(`UPDATE orders SET points_debited = true, updated_at = clock_timestamp() WHERE id = $1`, [
      order.id,
    ]);
    if (order.status === OrderStatus.PENDING_PAYMENT) {
      await manager.query(
        `UPDATE orders SET status = 'CONFIRMED', confirmed_at = clock_timestamp(), payment_due_at = NULL WHERE id = $1`,
        [order.id],
      );
      await this.announceConfirmed(manager, await manager.findOneByOrFail(OrderEntity, { id: order.id }), causationId);
    } else if (order.status === OrderStatus.CANCELLED) {
      // The saga's compensation: the order timed out (or was cancelled) before the debit came back.
      await this.events.orderCancelled(
        manager,
        {
          orderId: order.id,
          userId: order.buyerId,
          communityId: order.communityId,
          at: new Date().toISOString(),
          reason: OrderCancelReason.LATE_DEBIT,
          pointsDebited: true,
        },
        causationId,
      );
    }
  }

  async onDebitRejected(
    manager: EntityManager,
    fact: PayloadOf<typeof PointsDebitRejected>,
    causationId: string,
    logger: Logger,
  ): Promise<void> {
    const order = await this.lockMatching(manager, fact, logger);
    if (!order || order.status !== OrderStatus.PENDING_PAYMENT) return;
    await this.cancelLocked(manager, order, OrderCancelReason.INSUFFICIENT_POINTS, null, causationId);
  }

  async onRefunded(manager: EntityManager, fact: PayloadOf<typeof PointsRefunded>, logger: Logger): Promise<void> {
    const order = await this.lockMatching(manager, fact, logger);
    if (!order) return;
    await manager.query(`UPDATE orders SET points_refunded = true, updated_at = clock_timestamp() WHERE id = $1`, [
      order.id,
    ]);
  }

  // ---- sweeps ----------------------------------------------------------------------------------------------------

  /** Cancels points orders still unpaid after the timeout; returns how many. */
  async cancelUnpaid(limit = 100): Promise<number> {
    return this.db.transaction(async (manager) => {
      const rows = await manager.query<OrderRow[]>(
        `SELECT id FROM orders WHERE status = 'PENDING_PAYMENT' AND payment_due_at <= now()
          ORDER BY payment_due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const row of rows) {
        const order = await manager.findOneByOrFail(OrderEntity, { id: row.id });
        await this.cancelLocked(manager, order, OrderCancelReason.PAYMENT_TIMEOUT, null);
      }
      return rows.length;
    });
  }

  /** Completes orders delivered more than AUTO_COMPLETE_DAYS ago that the buyer never confirmed. */
  async autoComplete(limit = 100): Promise<number> {
    return this.db.transaction(async (manager) => {
      const rows = await manager.query<OrderRow[]>(
        `SELECT id FROM orders WHERE status = 'DELIVERED' AND delivered_at <= now() - make_interval(days => $2)
          ORDER BY delivered_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, AUTO_COMPLETE_DAYS],
      );
      for (const row of rows)
        await this.completeLocked(manager, await manager.findOneByOrFail(OrderEntity, { id: row.id }));
      return rows.length;
    });
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  private priceOf(offering: OfferingEntity, payWith: PayWith, quantity: number): { points: number; fen: number } {
    switch (payWith) {
      case PayWith.FREE:
        if (!offering.free) throw new BadUserInputError('This offering is not free', 'payWith');
        return { points: 0, fen: 0 };
      case PayWith.POINTS:
        if (offering.pricePoints === null)
          throw new BadUserInputError('This offering is not sold for points', 'payWith');
        return { points: offering.pricePoints * quantity, fen: 0 };
      case PayWith.CASH:
        if (offering.priceFen === null) throw new BadUserInputError('This offering is not sold for cash', 'payWith');
        return { points: 0, fen: offering.priceFen * quantity };
    }
  }

  /**
   * Holds `quantity` places of the slot with one conditional UPDATE: the row lock queues concurrent orders of one
   * slot, and `taken <= capacity` (also a CHECK) means a slot is never oversold.
   */
  private async holdPlace(
    manager: EntityManager,
    offering: OfferingEntity,
    slotId: string | null,
    quantity: number,
  ): Promise<string | null> {
    if (!slotId) {
      const slots: unknown[] = await manager.query(
        `SELECT 1 FROM slots WHERE offering_id = $1 AND starts_at > now() LIMIT 1`,
        [offering.id],
      );
      if (slots.length > 0) throw new BadUserInputError('Pick one of the offering’s time slots', 'slotId');
      return null;
    }
    const [slot] = await manager.query<{ offering_id: string; starts_at: Date }[]>(
      `SELECT offering_id, starts_at FROM slots WHERE id = $1`,
      [slotId],
    );
    if (!slot || slot.offering_id !== offering.id) throw new NotFoundError('Time slot', slotId);
    if (slot.starts_at.getTime() <= Date.now()) throw new ConflictError('SLOT_STARTED', 'This time slot has begun');
    const held: unknown[] = await manager.query(
      `WITH held AS (UPDATE slots SET taken = taken + $2 WHERE id = $1 AND taken + $2 <= capacity RETURNING id)
       SELECT id FROM held`,
      [slotId, quantity],
    );
    if (held.length === 0) throw new ConflictError('SLOT_FULL', 'Not enough places are left in this time slot');
    return slotId;
  }

  private async cancelLocked(
    manager: EntityManager,
    order: OrderEntity,
    reason: OrderCancelReason,
    declineReason: string | null,
    causationId?: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE orders SET status = 'CANCELLED', cancel_reason = $2, decline_reason = $3, cancelled_at = clock_timestamp(),
                         payment_due_at = NULL, updated_at = clock_timestamp()
        WHERE id = $1`,
      [order.id, reason, declineReason],
    );
    if (order.slotId)
      await manager.query(`UPDATE slots SET taken = taken - $2 WHERE id = $1`, [order.slotId, order.quantity]);
    await this.events.orderCancelled(
      manager,
      {
        orderId: order.id,
        userId: order.buyerId,
        communityId: order.communityId,
        at: new Date().toISOString(),
        reason,
        pointsDebited: order.pointsDebited,
      },
      causationId,
    );
  }

  private async completeLocked(manager: EntityManager, order: OrderEntity): Promise<void> {
    await manager.query(
      `UPDATE orders SET status = 'COMPLETED', completed_at = clock_timestamp(), updated_at = clock_timestamp()
        WHERE id = $1`,
      [order.id],
    );
    await this.events.orderCompleted(manager, {
      orderId: order.id,
      userId: order.buyerId,
      communityId: order.communityId,
      at: new Date().toISOString(),
    });
    await this.recordIncomeIfDue(manager, order.id);
  }

  /**
   * A completed, paid cash order of a community-run provider is community income (the assets service books it into
   * the PUBLIC_WELFARE fund). The unique order id in income_records makes it happen once, whichever came last.
   */
  private async recordIncomeIfDue(manager: EntityManager, orderId: string): Promise<void> {
    const rows = await manager.query<
      {
        id: string;
        community_id: string;
        provider_id: string;
        amount_fen: number;
        category: string;
        recorded_at: Date;
      }[]
    >(
      `INSERT INTO income_records (id, order_id, provider_id, community_id, amount_fen, category)
       SELECT $2, o.id, o.provider_id, o.community_id, o.price_fen, f.category
         FROM orders o JOIN providers p ON p.id = o.provider_id JOIN offerings f ON f.id = o.offering_id
        WHERE o.id = $1 AND o.status = 'COMPLETED' AND o.pay_with = 'CASH' AND o.paid_at IS NOT NULL
          AND o.price_fen > 0 AND p.community_owned
       ON CONFLICT (order_id) DO NOTHING
       RETURNING id, community_id, provider_id, amount_fen, category, recorded_at`,
      [orderId, randomUUID()],
    );
    const income = rows[0];
    if (!income) return;
    await this.events.incomeRecorded(manager, {
      incomeId: income.id,
      communityId: income.community_id,
      orderId,
      providerId: income.provider_id,
      amountFen: income.amount_fen,
      category: income.category,
      recordedAt: income.recorded_at.toISOString(),
    });
  }

  private async announceConfirmed(manager: EntityManager, order: OrderEntity, causationId?: string): Promise<void> {
    await this.events.orderConfirmed(
      manager,
      {
        orderId: order.id,
        userId: order.buyerId,
        communityId: order.communityId,
        at: (order.confirmedAt ?? new Date()).toISOString(),
      },
      causationId,
    );
  }

  private async requireManagerOf(manager: EntityManager, caller: Caller, order: OrderEntity): Promise<void> {
    const provider = await manager.findOneByOrFail(ProviderEntity, { id: order.providerId });
    await this.policy.requireManager(manager, caller, provider);
  }

  /**
   * Runs one user's transition on the locked order. Someone who may not see the order gets NOT_FOUND, so ids of
   * other people's orders reveal nothing.
   */
  private transition(
    caller: Caller,
    id: string,
    change: (manager: EntityManager, order: OrderEntity) => Promise<void>,
  ): Promise<OrderEntity> {
    return changeLockedRow(
      this.db,
      caller,
      { entity: OrderEntity, name: 'Order', id },
      change,
      async (manager, order) =>
        order.buyerId === caller.userId ||
        isStaffOf(caller, order.communityId) ||
        (await this.policy.managedBy(manager, caller)).has(order.providerId),
    );
  }

  /**
   * The order a points fact is about, locked, only when the fact matches what marketplace asked for (buyer,
   * community, amount): a forged or stale fact about someone else's order changes nothing.
   */
  private async lockMatching(manager: EntityManager, fact: PointsFact, logger: Logger): Promise<OrderEntity | null> {
    const order = await lockRow(manager, OrderEntity, fact.sourceId);
    if (
      !order ||
      order.payWith !== PayWith.POINTS ||
      order.buyerId !== fact.userId ||
      order.communityId !== fact.communityId ||
      order.pricePoints !== fact.points
    ) {
      logger.warn({ orderId: fact.sourceId }, 'ignored a points fact that does not match any order paid in points');
      return null;
    }
    return order;
  }
}

interface OrderRow {
  id: string;
}
