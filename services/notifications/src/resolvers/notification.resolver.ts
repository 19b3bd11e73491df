import { type Connection, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { NotificationQueries } from '../domain/notification-queries';
import type { NotificationService } from '../domain/notification.service';
import { notificationView, type NotificationView } from '../domain/notification-view';
import { NotificationConnection, UserRef } from '../schema/notification.type';

/** The resident's own notifications on identity's User; anyone else's is FORBIDDEN (NOT_YOURS), staff included. */
@Resolver(() => UserRef)
export class UserNotificationsResolver {
  constructor(private readonly queries: NotificationQueries) {}

  @FieldResolver(() => NotificationConnection, {
    description: 'Your notifications, newest first; only your own (anyone else’s: FORBIDDEN, reason NOT_YOURS)',
  })
  async notifications(
    @Root() user: UserRef,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('unreadOnly', () => Boolean, { defaultValue: false }) unreadOnly: boolean,
  ): Promise<Connection<NotificationView>> {
    const page = await this.queries.pageOf(context, user.id, first, after, unreadOnly);
    return {
      ...page,
      edges: page.edges.map((edge) => ({ ...edge, node: notificationView(edge.node, context.locale) })),
    };
  }

  @FieldResolver(() => Int, { description: 'How many of your notifications are unread' })
  unreadNotificationCount(@Root() user: UserRef, @Ctx() context: ServiceContext): Promise<number> {
    return this.queries.unreadCount(context, user.id);
  }
}

@Resolver()
export class NotificationMutationResolver {
  constructor(private readonly service: NotificationService) {}

  @Mutation(() => Int, {
    description: 'Marks these of your notifications read; returns how many changed (others’ ids and read ones: none)',
  })
  markNotificationsRead(@Ctx() context: ServiceContext, @Arg('ids', () => [ID]) ids: string[]): Promise<number> {
    return this.service.markRead(context, ids);
  }

  @Mutation(() => Int, { description: 'Marks all your notifications read; returns how many changed' })
  markAllNotificationsRead(@Ctx() context: ServiceContext): Promise<number> {
    return this.service.markAllRead(context);
  }
}
