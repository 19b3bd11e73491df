import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  requireCaller,
  type AuthContext,
  type Caller,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { OrderEntity } from '../entities/order.entity';
import { ProviderEntity } from '../entities/provider.entity';
import { ReviewEntity } from '../entities/review.entity';
import { isStaffOf, type AccessPolicy } from './access-policy';
import { recordAudit } from './audit';
import { requireIntegerIn, requireLine, requireParagraph } from './input';
import { changeLockedRow, lockRow } from './locked-row';
import { OrderStatus, REVIEW_EDIT_DAYS } from './vocabulary';

export const MAX_COMMENT = 500;

/** Reviews of completed orders: one per order by its buyer, one reply by the provider, hidden by staff (audited). */
export class ReviewService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  async review(context: AuthContext, orderId: string, rating: number, comment: string | null): Promise<ReviewEntity> {
    const caller = requireCaller(context);
    const values = {
      rating: requireIntegerIn(rating, 'rating', 1, 5),
      comment: requireParagraph(comment, 'comment', MAX_COMMENT),
    };
    return this.db.transaction(async (manager) => {
      const order = await lockRow(manager, OrderEntity, orderId);
      if (!order || order.communityId !== caller.communityId) throw new NotFoundError('Order', orderId);
      if (order.buyerId !== caller.userId)
        throw new ForbiddenError('NOT_BUYER', 'Only the resident who placed the order can review it');
      if (order.status !== OrderStatus.COMPLETED)
        throw new ConflictError('ORDER_NOT_COMPLETED', 'An order is reviewed once it is completed');
      if (await manager.findOneBy(ReviewEntity, { orderId }))
        throw new ConflictError('ALREADY_REVIEWED', 'You already reviewed this order; edit your review instead');
      const id = randomUUID();
      await manager.insert(ReviewEntity, {
        id,
        orderId,
        offeringId: order.offeringId,
        providerId: order.providerId,
        communityId: order.communityId,
        authorId: caller.userId,
        ...values,
        hidden: false,
      });
      return manager.findOneByOrFail(ReviewEntity, { id });
    });
  }

  /** The author, within REVIEW_EDIT_DAYS of writing it. */
  edit(context: AuthContext, id: string, rating: number, comment: string | null): Promise<ReviewEntity> {
    const caller = requireCaller(context);
    const values = {
      rating: requireIntegerIn(rating, 'rating', 1, 5),
      comment: requireParagraph(comment, 'comment', MAX_COMMENT),
    };
    return this.change(caller, id, async (manager, review) => {
      if (review.authorId !== caller.userId) throw new ForbiddenError('NOT_AUTHOR', 'Only its author edits a review');
      if (Date.now() - review.createdAt.getTime() > REVIEW_EDIT_DAYS * 86_400_000)
        throw new ConflictError('REVIEW_EDIT_CLOSED', `A review can be edited for ${REVIEW_EDIT_DAYS} days`);
      await manager.update(ReviewEntity, { id }, { ...values, updatedAt: () => 'clock_timestamp()' });
    });
  }

  reply(context: AuthContext, id: string, text: string): Promise<ReviewEntity> {
    const caller = requireCaller(context);
    const reply = requireParagraph(text, 'reply', MAX_COMMENT);
    if (!reply) throw new BadUserInputError('A reply needs some text', 'reply');
    return this.change(caller, id, async (manager, review) => {
      const provider = await manager.findOneByOrFail(ProviderEntity, { id: review.providerId });
      await this.policy.requireManager(manager, caller, provider);
      if (review.reply !== null) throw new ConflictError('ALREADY_REPLIED', 'The provider replies once');
      await manager.query(
        `UPDATE reviews SET reply = $2, replied_by = $3, replied_at = clock_timestamp() WHERE id = $1`,
        [id, reply, caller.userId],
      );
    });
  }

  hide(context: AuthContext, id: string, reason: string): Promise<ReviewEntity> {
    const caller = requireCaller(context);
    const why = requireLine(reason, 'reason', 1, 300);
    return this.change(caller, id, async (manager, review) => {
      if (!isStaffOf(caller, review.communityId))
        throw new ForbiddenError('STAFF_ONLY', 'Only a community worker or committee member hides a review');
      if (review.hidden) return;
      await manager.query(
        `UPDATE reviews SET hidden = true, hidden_reason = $2, hidden_by = $3, updated_at = clock_timestamp()
          WHERE id = $1`,
        [id, why, caller.userId],
      );
      await recordAudit(manager, caller, 'REVIEW_HIDDEN', 'REVIEW', id, why);
    });
  }

  private change(
    caller: Caller,
    id: string,
    work: (manager: EntityManager, review: ReviewEntity) => Promise<void>,
  ): Promise<ReviewEntity> {
    return changeLockedRow(this.db, caller, { entity: ReviewEntity, name: 'Review', id }, work);
  }
}
