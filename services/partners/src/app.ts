import { eventBackbone, Outbox } from '@taoyuan/events';
import { startSubgraph, type SubgraphDefinition } from '@taoyuan/service-kit';
import { AddressPolicy } from './domain/address-policy';
import { WebhookDispatcher } from './domain/dispatcher';
import { WebhookEndpointService } from './domain/webhook-endpoint.service';
import { partnersEntities } from './entities';
import { partnersHandlers } from './events/handlers';
import { partnersMigrations } from './migrations';
import { UserDisclosureResolver, WebhookResolver } from './resolvers/webhook.resolver';
import { UserRef } from './schema/webhook.type';
import { retryScheduleMs, type PartnersConfig } from './config';

export const partnersOutbox = new Outbox('/taoyuan/partners');

export function partnersSubgraph(): SubgraphDefinition<PartnersConfig> {
  return {
    name: 'partners',
    entities: partnersEntities,
    migrations: partnersMigrations,
    schema: ({ dataSource, config }) => {
      const policy = new AddressPolicy(config.WEBHOOK_ALLOWED_HOSTS);
      return {
        resolvers: [
          new WebhookResolver(dataSource, new WebhookEndpointService(dataSource, policy)),
          new UserDisclosureResolver(dataSource),
        ],
        // identity's User gains `dataDisclosures` here; nothing of partners returns a User, the gateway joins it.
        orphanedTypes: [UserRef],
        references: {
          // identity owns User; partners only adds the resident's own disclosure log.
          User: async (reference) => ({ id: reference.id }),
        },
      };
    },
    background: async (deps) => {
      const { config, dataSource, logger } = deps;
      const stopEvents = await eventBackbone<PartnersConfig>({
        service: 'partners',
        handlers: () => partnersHandlers(),
      })(deps);
      const dispatcher = new WebhookDispatcher({
        dataSource,
        databaseUrl: config.DATABASE_URL,
        logger,
        policy: new AddressPolicy(config.WEBHOOK_ALLOWED_HOSTS),
        outbox: partnersOutbox,
        retryScheduleMs: retryScheduleMs(config.WEBHOOK_RETRY_SCHEDULE),
        concurrency: config.WEBHOOK_CONCURRENCY,
        pollMs: config.WEBHOOK_POLL_MS,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      });
      await dispatcher.start();
      return async () => {
        await dispatcher.stop();
        await stopEvents();
      };
    },
  };
}

export function startPartners(config: PartnersConfig) {
  return startSubgraph(partnersSubgraph(), config);
}
