import type { Connection, ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { NeedQueries } from '../domain/need-queries';
import type { OrderQueries } from '../domain/order-queries';
import type { NeedEntity } from '../entities/need.entity';
import type { OrderEntity } from '../entities/order.entity';
import { NeedStatus, OrderStatus } from '../schema/enums';
import { NeedConnection, OrderConnection } from '../schema/order.type';
import { UserRef } from '../schema/refs.type';

@Resolver(() => UserRef)
export class UserResolver {
  constructor(
    private readonly orderQueries: OrderQueries,
    private readonly needQueries: NeedQueries,
  ) {}

  @FieldResolver(() => OrderConnection, {
    nullable: true,
    description: 'Their orders, newest first: for themselves and staff of their community (null for others)',
  })
  orders(
    @Root() user: UserRef,
    @Ctx() context: ServiceContext,
    @Arg('status', () => OrderStatus, { nullable: true }) status: OrderStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<OrderEntity> | null> {
    return this.orderQueries.list(context, { buyerId: user.id }, status, first, after);
  }

  @FieldResolver(() => NeedConnection, { description: 'Needs they posted in your community, newest first' })
  needs(
    @Root() user: UserRef,
    @Ctx() context: ServiceContext,
    @Arg('status', () => NeedStatus, { nullable: true }) status: NeedStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<NeedEntity>> {
    return this.needQueries.postedBy(context, user.id, status, first, after);
  }
}
