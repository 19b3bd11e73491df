import { randomUUID } from 'node:crypto';
import type { PayloadOf, PointsDebited } from '@taoyuan/events';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  requireCaller,
  type AuthContext,
  type Caller,
  type Logger,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { NeedEntity } from '../entities/need.entity';
import type { MarketplaceEvents } from '../events/marketplace-events';
import { requireIntegerIn, requireLine, requireParagraph, requireValidDate } from './input';
import { changeLockedRow, lockRow } from './locked-row';
import { MAX_NEED_REWARD, NeedStatus, type ServiceCategory } from './vocabulary';

export interface PostNeedInput {
  title: string;
  description?: string | null;
  category: ServiceCategory;
  neededBy: Date;
  rewardPoints: number;
}

type PointsFact = Pick<PayloadOf<typeof PointsDebited>, 'sourceId' | 'userId' | 'communityId' | 'points'>;

/** Needs still waiting for a helper or the poster's confirmation, which a cancellation or expiry refunds. */
const OPEN_STATUSES = [NeedStatus.PENDING_ESCROW, NeedStatus.OPEN, NeedStatus.CLAIMED];

/**
 * The needs board (邻里互助). A reward is escrowed by volunteering before the need opens (points.debited with
 * sourceType NEED); fulfilment pays the helper, cancellation or expiry refunds the poster — volunteering does both
 * at most once, whatever order the events arrive in.
 */
export class NeedService {
  constructor(
    private readonly db: DataSource,
    private readonly events: MarketplaceEvents,
  ) {}

  async post(context: AuthContext, input: PostNeedInput): Promise<NeedEntity> {
    const caller = requireCaller(context);
    const values = {
      title: requireLine(input.title, 'title', 1, 80),
      description: requireParagraph(input.description, 'description', 1000),
      category: input.category,
      neededBy: requireValidDate(input.neededBy, 'neededBy'),
      rewardPoints: requireIntegerIn(input.rewardPoints, 'rewardPoints', 0, MAX_NEED_REWARD),
    };
    if (values.neededBy.getTime() <= Date.now())
      throw new BadUserInputError('neededBy must be in the future', 'neededBy');
    return this.db.transaction(async (manager) => {
      const id = randomUUID();
      await manager.insert(NeedEntity, {
        id,
        communityId: caller.communityId,
        postedBy: caller.userId,
        ...values,
        status: values.rewardPoints > 0 ? NeedStatus.PENDING_ESCROW : NeedStatus.OPEN,
        escrowed: false,
      });
      const need = await manager.findOneByOrFail(NeedEntity, { id });
      await this.events.needPosted(manager, {
        needId: id,
        communityId: need.communityId,
        postedBy: need.postedBy,
        category: need.category,
        rewardPoints: need.rewardPoints,
        neededBy: need.neededBy.toISOString(),
        postedAt: need.createdAt.toISOString(),
      });
      return need;
    });
  }

  /** Another resident of the same community, never the poster nor someone of the poster's confirmed household. */
  claim(context: AuthContext, id: string): Promise<NeedEntity> {
    const caller = requireCaller(context);
    return this.transition(caller, id, async (manager, need) => {
      if (need.postedBy === caller.userId)
        throw new ForbiddenError('OWN_NEED', 'You cannot claim a need you posted yourself');
      const sameHousehold: unknown[] = await manager.query(
        `SELECT 1 FROM residences a JOIN residences b ON a.household_id = b.household_id
          WHERE a.user_id = $1 AND b.user_id = $2 AND a.household_id IS NOT NULL`,
        [need.postedBy, caller.userId],
      );
      if (sameHousehold.length > 0)
        throw new ForbiddenError('SAME_HOUSEHOLD', 'A need is for neighbours: your household posted this one');
      if (need.status !== NeedStatus.OPEN) throw new ConflictError('NEED_NOT_OPEN', 'This need is not open');
      await manager.query(
        `UPDATE needs SET status = 'CLAIMED', claimed_by = $2, claimed_at = clock_timestamp(),
                          updated_at = clock_timestamp() WHERE id = $1`,
        [id, caller.userId],
      );
    });
  }

  withdrawClaim(context: AuthContext, id: string): Promise<NeedEntity> {
    const caller = requireCaller(context);
    return this.transition(caller, id, async (manager, need) => {
      if (need.claimedBy !== caller.userId || need.status !== NeedStatus.CLAIMED)
        throw new ConflictError('NOT_CLAIMED_BY_YOU', 'You have not claimed this need');
      await manager.query(
        `UPDATE needs SET status = 'OPEN', claimed_by = NULL, claimed_at = NULL, updated_at = clock_timestamp()
          WHERE id = $1`,
        [id],
      );
    });
  }

  /** The poster confirms the helper did it; volunteering then pays the helper the escrowed reward. */
  fulfil(context: AuthContext, id: string): Promise<NeedEntity> {
    const caller = requireCaller(context);
    return this.transition(caller, id, async (manager, need) => {
      if (need.postedBy !== caller.userId)
        throw new ForbiddenError('NOT_POSTER', 'Only the resident who posted the need confirms it was fulfilled');
      if (need.status !== NeedStatus.CLAIMED || !need.claimedBy)
        throw new ConflictError('NEED_NOT_CLAIMED', 'Nobody has claimed this need yet');
      await manager.query(
        `UPDATE needs SET status = 'FULFILLED', fulfilled_at = clock_timestamp(), updated_at = clock_timestamp()
          WHERE id = $1`,
        [id],
      );
      await this.events.needFulfilled(manager, {
        needId: id,
        communityId: need.communityId,
        postedBy: need.postedBy,
        fulfilledBy: need.claimedBy,
        rewardPoints: need.rewardPoints,
        fulfilledAt: new Date().toISOString(),
      });
    });
  }

  cancel(context: AuthContext, id: string): Promise<NeedEntity> {
    const caller = requireCaller(context);
    return this.transition(caller, id, async (manager, need) => {
      if (need.postedBy !== caller.userId)
        throw new ForbiddenError('NOT_POSTER', 'Only the resident who posted the need can cancel it');
      if (!OPEN_STATUSES.includes(need.status))
        throw new ConflictError('NEED_CLOSED', `A ${need.status.toLowerCase()} need cannot be cancelled`);
      await this.close(manager, need, NeedStatus.CANCELLED, 'POSTER_CANCELLED');
    });
  }

  // ---- the saga --------------------------------------------------------------------------------------------------

  async onDebited(manager: EntityManager, fact: PointsFact, causationId: string, logger: Logger): Promise<void> {
    const need = await this.lockMatching(manager, fact, logger);
    if (!need || need.escrowed) return;
    await manager.query(`UPDATE needs SET escrowed = true, updated_at = clock_timestamp() WHERE id = $1`, [need.id]);
    if (need.status === NeedStatus.PENDING_ESCROW) {
      await manager.query(`UPDATE needs SET status = 'OPEN' WHERE id = $1`, [need.id]);
    } else if (need.status === NeedStatus.CANCELLED || need.status === NeedStatus.EXPIRED) {
      await this.events.needCancelled(
        manager,
        {
          needId: need.id,
          communityId: need.communityId,
          postedBy: need.postedBy,
          reason: 'LATE_ESCROW',
          cancelledAt: new Date().toISOString(),
        },
        causationId,
      );
    }
  }

  async onDebitRejected(manager: EntityManager, fact: PointsFact, causationId: string, logger: Logger): Promise<void> {
    const need = await this.lockMatching(manager, fact, logger);
    if (!need || need.status !== NeedStatus.PENDING_ESCROW) return;
    await this.close(manager, need, NeedStatus.CANCELLED, 'ESCROW_REJECTED', causationId);
  }

  /** Needs past their neededBy that nobody fulfilled: expired, and the escrow refunded. */
  async expireOverdue(limit = 100): Promise<number> {
    return this.db.transaction(async (manager) => {
      const rows = await manager.query<{ id: string }[]>(
        `SELECT id FROM needs WHERE status = ANY($2) AND needed_by <= now()
          ORDER BY needed_by LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, OPEN_STATUSES],
      );
      for (const row of rows)
        await this.close(
          manager,
          await manager.findOneByOrFail(NeedEntity, { id: row.id }),
          NeedStatus.EXPIRED,
          'EXPIRED',
        );
      return rows.length;
    });
  }

  private async close(
    manager: EntityManager,
    need: NeedEntity,
    status: NeedStatus.CANCELLED | NeedStatus.EXPIRED,
    reason: 'POSTER_CANCELLED' | 'EXPIRED' | 'ESCROW_REJECTED',
    causationId?: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE needs SET status = $2, cancel_reason = $3, cancelled_at = clock_timestamp(), updated_at = clock_timestamp()
        WHERE id = $1`,
      [need.id, status, reason],
    );
    await this.events.needCancelled(
      manager,
      {
        needId: need.id,
        communityId: need.communityId,
        postedBy: need.postedBy,
        reason,
        cancelledAt: new Date().toISOString(),
      },
      causationId,
    );
  }

  private transition(
    caller: Caller,
    id: string,
    change: (manager: EntityManager, need: NeedEntity) => Promise<void>,
  ): Promise<NeedEntity> {
    return changeLockedRow(this.db, caller, { entity: NeedEntity, name: 'Need', id }, change);
  }

  private async lockMatching(manager: EntityManager, fact: PointsFact, logger: Logger): Promise<NeedEntity | null> {
    const need = await lockRow(manager, NeedEntity, fact.sourceId);
    if (
      !need ||
      need.postedBy !== fact.userId ||
      need.communityId !== fact.communityId ||
      need.rewardPoints !== fact.points
    ) {
      logger.warn({ needId: fact.sourceId }, 'ignored a points fact that does not match any need');
      return null;
    }
    return need;
  }
}
