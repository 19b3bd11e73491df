import { requireCaller, requireUuid, isUuid, type Connection, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CatalogueQueries } from '../domain/catalogue-queries';
import type { OrderQueries } from '../domain/order-queries';
import type { OrderService } from '../domain/order.service';
import type { ReviewQueries } from '../domain/review-queries';
import type { ReviewService } from '../domain/review.service';
import type { OfferingEntity } from '../entities/offering.entity';
import type { OrderEntity } from '../entities/order.entity';
import type { ProviderEntity } from '../entities/provider.entity';
import type { ReviewEntity } from '../entities/review.entity';
import type { SlotEntity } from '../entities/slot.entity';
import { ProviderType, ServiceOfferingType, TimeSlotType } from '../schema/catalogue.type';
import { OrderStatus } from '../schema/enums';
import { OrderConnection, OrderType, PlaceOrderInput, ReviewType } from '../schema/order.type';
import { UserRef } from '../schema/refs.type';

@Resolver(() => OrderType)
export class OrderResolver {
  constructor(
    private readonly service: OrderService,
    private readonly queries: OrderQueries,
    private readonly catalogue: CatalogueQueries,
    private readonly reviewQueries: ReviewQueries,
  ) {}

  @Query(() => OrderType, { nullable: true, description: 'Your order, your provider’s, or (staff) your community’s' })
  async order(@Arg('id', () => ID) id: string, @Ctx() context: ServiceContext): Promise<OrderEntity | null> {
    if (!isUuid(id)) return null;
    const [order] = await this.queries.visibleOrders(context, [id.toLowerCase()]);
    return order ?? null;
  }

  @Query(() => OrderConnection, {
    nullable: true,
    description: 'Every order of your community, newest first: staff only (null for others)',
  })
  communityOrders(
    @Ctx() context: ServiceContext,
    @Arg('status', () => OrderStatus, { nullable: true }) status: OrderStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<OrderEntity> | null> {
    const caller = requireCaller(context);
    return this.queries.list(context, { communityId: caller.communityId }, status, first, after);
  }

  @Mutation(() => OrderType, {
    description:
      'Order a service. FREE and CASH orders are CONFIRMED at once; POINTS orders wait in PENDING_PAYMENT until volunteering debits the balance (then CONFIRMED) or refuses (CANCELLED, INSUFFICIENT_POINTS). The same clientOrderId returns the same order.',
  })
  placeOrder(
    @Ctx() context: ServiceContext,
    @Arg('input', () => PlaceOrderInput) input: PlaceOrderInput,
  ): Promise<OrderEntity> {
    return this.service.place(context, {
      ...input,
      offeringId: requireUuid(input.offeringId, 'offeringId'),
      slotId: input.slotId ? requireUuid(input.slotId, 'slotId') : null,
    });
  }

  @Mutation(() => OrderType, { description: 'The buyer, before delivery; debited points are refunded' })
  cancelOrder(@Ctx() context: ServiceContext, @Arg('orderId', () => ID) orderId: string): Promise<OrderEntity> {
    return this.service.cancel(context, requireUuid(orderId, 'orderId'));
  }

  @Mutation(() => OrderType, { description: 'The provider, with a reason, before completion' })
  declineOrder(
    @Ctx() context: ServiceContext,
    @Arg('orderId', () => ID) orderId: string,
    @Arg('reason') reason: string,
  ): Promise<OrderEntity> {
    return this.service.decline(context, requireUuid(orderId, 'orderId'), reason);
  }

  @Mutation(() => OrderType, { description: 'The provider delivered the service' })
  deliverOrder(@Ctx() context: ServiceContext, @Arg('orderId', () => ID) orderId: string): Promise<OrderEntity> {
    return this.service.deliver(context, requireUuid(orderId, 'orderId'));
  }

  @Mutation(() => OrderType, { description: 'The buyer confirms delivery → COMPLETED (else automatic after 7 days)' })
  confirmDelivery(@Ctx() context: ServiceContext, @Arg('orderId', () => ID) orderId: string): Promise<OrderEntity> {
    return this.service.confirmDelivery(context, requireUuid(orderId, 'orderId'));
  }

  @Mutation(() => OrderType, { description: 'The provider records the cash it received (no payment integration)' })
  markOrderPaid(
    @Ctx() context: ServiceContext,
    @Arg('orderId', () => ID) orderId: string,
    @Arg('paymentReference', { description: 'e.g. a receipt number, 1–100 characters' }) paymentReference: string,
  ): Promise<OrderEntity> {
    return this.service.markPaid(context, requireUuid(orderId, 'orderId'), paymentReference);
  }

  @FieldResolver(() => ServiceOfferingType, { description: 'What was ordered (even if no longer listed)' })
  async offering(@Root() order: OrderEntity, @Ctx() context: ServiceContext): Promise<OfferingEntity> {
    const [offering] = await this.catalogue.loadOfferings(context, [order.offeringId]);
    if (!offering) throw new Error(`order ${order.id} has no offering`);
    return offering;
  }

  @FieldResolver(() => ProviderType)
  async provider(@Root() order: OrderEntity, @Ctx() context: ServiceContext): Promise<ProviderEntity> {
    const [provider] = await this.catalogue.loadProviders(context, [order.providerId]);
    if (!provider) throw new Error(`order ${order.id} has no provider`);
    return provider;
  }

  @FieldResolver(() => TimeSlotType, { nullable: true })
  slot(@Root() order: OrderEntity, @Ctx() context: ServiceContext): Promise<SlotEntity | null> | null {
    return order.slotId ? this.catalogue.loadSlot(context, order.slotId) : null;
  }

  @FieldResolver(() => UserRef)
  buyer(@Root() order: OrderEntity): UserRef {
    return { id: order.buyerId };
  }

  @FieldResolver(() => String, { nullable: true, description: 'The receipt the provider recorded' })
  paymentReference(@Root() order: OrderEntity): string | null {
    return order.paymentReference;
  }

  @FieldResolver(() => ReviewType, { nullable: true })
  review(@Root() order: OrderEntity, @Ctx() context: ServiceContext): Promise<ReviewEntity | null> {
    return this.reviewQueries.ofOrder(context, order.id);
  }
}

@Resolver(() => ReviewType)
export class ReviewResolver {
  constructor(private readonly service: ReviewService) {}

  @Mutation(() => ReviewType, { description: 'The buyer of a COMPLETED order, once: rating 1–5, comment ≤ 500' })
  reviewOrder(
    @Ctx() context: ServiceContext,
    @Arg('orderId', () => ID) orderId: string,
    @Arg('rating', () => Int) rating: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
  ): Promise<ReviewEntity> {
    return this.service.review(context, requireUuid(orderId, 'orderId'), rating, comment);
  }

  @Mutation(() => ReviewType, { description: 'Its author, within 7 days' })
  editReview(
    @Ctx() context: ServiceContext,
    @Arg('reviewId', () => ID) reviewId: string,
    @Arg('rating', () => Int) rating: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
  ): Promise<ReviewEntity> {
    return this.service.edit(context, requireUuid(reviewId, 'reviewId'), rating, comment);
  }

  @Mutation(() => ReviewType, { description: 'The provider’s managers, once' })
  replyToReview(
    @Ctx() context: ServiceContext,
    @Arg('reviewId', () => ID) reviewId: string,
    @Arg('reply') reply: string,
  ): Promise<ReviewEntity> {
    return this.service.reply(context, requireUuid(reviewId, 'reviewId'), reply);
  }

  @Mutation(() => ReviewType, { description: 'Staff hide an abusive review, with a reason (audited)' })
  hideReview(
    @Ctx() context: ServiceContext,
    @Arg('reviewId', () => ID) reviewId: string,
    @Arg('reason') reason: string,
  ): Promise<ReviewEntity> {
    return this.service.hide(context, requireUuid(reviewId, 'reviewId'), reason);
  }

  @FieldResolver(() => UserRef)
  author(@Root() review: ReviewEntity): UserRef {
    return { id: review.authorId };
  }
}
