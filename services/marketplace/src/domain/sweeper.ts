import { runPeriodically, type Logger } from '@taoyuan/service-kit';
import type { NeedService } from './need.service';
import type { OrderService } from './order.service';

/**
 * Time-driven transitions: points orders unpaid after the timeout are cancelled, delivered orders are completed after
 * seven days, needs past their neededBy expire. Each sweep locks its rows with SKIP LOCKED, so several replicas can
 * sweep at once without doing anything twice.
 */
export class Sweeper {
  private stopTimer: (() => Promise<void>) | undefined;

  constructor(
    private readonly orders: OrderService,
    private readonly needs: NeedService,
    private readonly logger: Logger,
  ) {}

  async sweepOnce(): Promise<{ unpaid: number; completed: number; expired: number }> {
    const unpaid = await this.orders.cancelUnpaid();
    const completed = await this.orders.autoComplete();
    const expired = await this.needs.expireOverdue();
    if (unpaid + completed + expired > 0) this.logger.info({ unpaid, completed, expired }, 'marketplace sweep');
    return { unpaid, completed, expired };
  }

  start(intervalMs: number): void {
    this.stopTimer = runPeriodically(() => this.sweepOnce(), {
      what: 'marketplace sweep',
      intervalMs,
      logger: this.logger,
    });
  }

  async stop(): Promise<void> {
    await this.stopTimer?.();
  }
}
