import {
  isUuid,
  loadWindowedPage,
  pageArgs,
  timeAndIdCursor,
  requireCaller,
  toConnection,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { OrderEntity } from '../entities/order.entity';
import { canSeeOrder, isStaffOf, type AccessPolicy } from './access-policy';
import { afterCondition, inOrder } from './keyset';
import type { OrderStatus } from './vocabulary';

export type OrderScope = { buyerId: string } | { providerId: string } | { communityId: string };

/** Orders as the caller may see them: their own, their provider's (managers), their community's (staff). */
export class OrderQueries {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  /** `order(id)` and `_entities` both come here. */
  async visibleOrders(context: ServiceContext, ids: readonly string[]): Promise<(OrderEntity | null)[]> {
    const rows = await context.loaders
      .get<string, OrderEntity | null>('orders', async (keys) => {
        const valid = keys.filter(isUuid);
        const found = valid.length ? await this.db.getRepository(OrderEntity).findBy({ id: In(valid) }) : [];
        const byId = new Map(found.map((row) => [row.id, row]));
        return keys.map((key) => byId.get(key) ?? null);
      })
      .loadMany(ids);
    const managed = await this.policy.managedProviderIds(context);
    return rows.map((row) =>
      row && !(row instanceof Error) && canSeeOrder(context.caller, row, managed) ? row : null,
    );
  }

  /**
   * A page of orders, newest first. Returns null when the caller may not list this scope (someone else's orders,
   * a provider they do not manage, another community), so the field reads as empty rather than as an error.
   * A buyer's or a provider's page is batched with every other buyer or provider of the request (`User.orders`,
   * `Provider.orders`): one windowed statement for all of them.
   */
  async list(
    context: ServiceContext,
    scope: OrderScope,
    status: OrderStatus | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<OrderEntity> | null> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    let parent: { column: string; id: string } | null = null;
    if ('buyerId' in scope) {
      if (scope.buyerId !== caller.userId && !isStaffOf(caller, caller.communityId)) return null;
      parent = { column: 'buyer_id', id: scope.buyerId };
    } else if ('providerId' in scope) {
      const managed = await this.policy.managedProviderIds(context);
      if (!managed.has(scope.providerId) && !isStaffOf(caller, caller.communityId)) return null;
      parent = { column: 'provider_id', id: scope.providerId };
    } else if (scope.communityId !== caller.communityId || !isStaffOf(caller, caller.communityId)) return null;
    const parameters: unknown[] = [caller.communityId];
    let where = `community_id = $1`;
    if (status) {
      parameters.push(status);
      where += ` AND status = $${parameters.length}`;
    }
    if (parent)
      return loadWindowedPage({
        db: this.db,
        loaders: context.loaders,
        name: `orders-by-${parent.column}:${caller.communityId}:${status ?? ''}`,
        parentId: parent.id,
        list: {
          from: 'orders',
          parent: parent.column,
          orderBy: ['placed_at', 'id'],
          direction: 'DESC',
          where,
          params: parameters,
        },
        page: { limit: page.limit, after: page.after && [new Date(page.after[0]), page.after[1]] },
        load: (ids) => this.db.getRepository(OrderEntity).findBy({ id: In(ids) }),
        cursorOf: (row) => [row.placedAt.getTime(), row.id],
      });
    where += afterCondition(page.after, 'placed_at', 'id', parameters);
    parameters.push(page.limit + 1);
    const ids = await this.db.query<{ id: string }[]>(
      `SELECT id FROM orders WHERE ${where} ORDER BY placed_at DESC, id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const rows = ids.length
      ? inOrder(
          ids.map((row) => row.id),
          await this.db.getRepository(OrderEntity).findBy({ id: In(ids.map((row) => row.id)) }),
        )
      : [];
    return toConnection(rows, page.limit, (row) => [row.placedAt.getTime(), row.id]);
  }
}
