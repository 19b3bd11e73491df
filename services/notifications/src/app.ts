import { eventBackbone } from '@taoyuan/events';
import { createTokenVerifier, startSubgraph, type Logger, type SubgraphDefinition } from '@taoyuan/service-kit';
import type { NotificationsConfig } from './config';
import { NotificationQueries } from './domain/notification-queries';
import { NotificationRetention } from './domain/notification-retention';
import { NotificationService } from './domain/notification.service';
import { notificationsEntities } from './entities';
import { notificationHandlers } from './events/handlers';
import { notificationsMigrations } from './migrations';
import { NotificationMutationResolver, UserNotificationsResolver } from './resolvers/notification.resolver';
import { UserRef } from './schema/notification.type';
import { NotificationFeed } from './stream/notification-feed';
import { mountNotificationStream } from './stream/notification-stream';

export function notificationsSubgraph(): SubgraphDefinition<NotificationsConfig> {
  // Shared by the stream route and the background work that starts and stops it.
  let feed: NotificationFeed | undefined;
  const feedOf = (config: NotificationsConfig, deps: { logger: Logger }) => {
    feed ??= new NotificationFeed({
      databaseUrl: config.DATABASE_URL,
      logger: deps.logger,
      applicationName: 'notifications-feed',
    });
    return feed;
  };
  const backbone = eventBackbone<NotificationsConfig>({
    service: 'notifications',
    handlers: ({ dataSource }) => notificationHandlers(new NotificationService(dataSource)),
  });
  return {
    name: 'notifications',
    entities: notificationsEntities,
    migrations: notificationsMigrations,
    schema: ({ dataSource }) => ({
      resolvers: [
        new UserNotificationsResolver(new NotificationQueries(dataSource)),
        new NotificationMutationResolver(new NotificationService(dataSource)),
      ],
      // Nothing of notifications returns a User; it exists here only to gain the resident's notifications.
      orphanedTypes: [UserRef],
      references: {
        // identity's User: its id is all notifications needs to add the resident's own list.
        User: async (reference) => ({ id: reference.id }),
      },
    }),
    routes: (app, { config, dataSource, logger }) => {
      if (!config.JWKS_URL) throw new Error('JWKS_URL is required to verify access tokens');
      mountNotificationStream(app, {
        feed: feedOf(config, { logger }),
        queries: new NotificationQueries(dataSource),
        verifyToken: createTokenVerifier({
          jwksUrl: config.JWKS_URL,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        heartbeatMs: config.NOTIFICATION_HEARTBEAT_SECONDS * 1000,
        maxStreamsPerResident: config.NOTIFICATION_STREAMS_PER_RESIDENT,
        defaultLocale: config.DEFAULT_LOCALE,
        logger,
      });
    },
    background: async (deps) => {
      const live = feedOf(deps.config, deps);
      await live.start();
      const stopBackbone = await backbone(deps);
      const stopPruning = new NotificationRetention(
        deps.dataSource,
        deps.config.NOTIFICATION_RETENTION_DAYS,
        deps.logger,
      ).start(3_600_000);
      return async () => {
        // Open streams end first: their clients reconnect to another instance with Last-Event-ID.
        await live.stop();
        await stopPruning();
        await stopBackbone();
      };
    },
  };
}

export function startNotifications(config: NotificationsConfig) {
  return startSubgraph(notificationsSubgraph(), config);
}
