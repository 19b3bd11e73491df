import { eventBackbone } from '@taoyuan/events';
import { batchedReference, startSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { AccessPolicy } from './domain/access-policy';
import { CatalogueQueries } from './domain/catalogue-queries';
import { NeedQueries } from './domain/need-queries';
import { NeedService } from './domain/need.service';
import { OfferingService } from './domain/offering.service';
import { OrderQueries } from './domain/order-queries';
import { OrderService } from './domain/order.service';
import { ProviderService } from './domain/provider.service';
import { ReviewQueries } from './domain/review-queries';
import { ReviewService } from './domain/review.service';
import { Sweeper } from './domain/sweeper';
import { marketplaceEntities } from './entities';
import { marketplaceHandlers } from './events/handlers';
import { MarketplaceEvents } from './events/marketplace-events';
import { marketplaceMigrations } from './migrations';
import { OfferingResolver, OrganizationResolver, TimeSlotResolver } from './resolvers/offering.resolver';
import { NeedResolver } from './resolvers/need.resolver';
import { OrderResolver, ReviewResolver } from './resolvers/order.resolver';
import { ProviderResolver } from './resolvers/provider.resolver';
import { UserResolver } from './resolvers/user.resolver';
import { seedMarketplaceDemo } from './seed/demo-seed';
import type { MarketplaceConfig } from './config';

/** The services that change state, shared by the schema, the event handlers, the sweeper and the seed. */
export function marketplaceServices(db: DataSource, config: Pick<MarketplaceConfig, 'ORDER_PAYMENT_TIMEOUT_SECONDS'>) {
  const events = new MarketplaceEvents();
  const policy = new AccessPolicy(db);
  return {
    events,
    policy,
    providers: new ProviderService(db, policy, events),
    offerings: new OfferingService(db, policy, events),
    orders: new OrderService(db, policy, events, config.ORDER_PAYMENT_TIMEOUT_SECONDS),
    needs: new NeedService(db, events),
    reviews: new ReviewService(db, policy),
  };
}

function background(deps: SubgraphDeps<MarketplaceConfig>) {
  const { orders, needs } = marketplaceServices(deps.dataSource, deps.config);
  const events = eventBackbone<MarketplaceConfig>({
    service: 'marketplace',
    handlers: ({ logger }) => marketplaceHandlers(orders, needs, logger),
  });
  return async () => {
    const stopEvents = await events(deps);
    const sweeper = new Sweeper(orders, needs, deps.logger);
    sweeper.start(deps.config.MARKETPLACE_SWEEP_INTERVAL_MS);
    return async () => {
      await sweeper.stop();
      await stopEvents();
    };
  };
}

export function marketplaceSubgraph(): SubgraphDefinition<MarketplaceConfig> {
  return {
    name: 'marketplace',
    entities: marketplaceEntities,
    migrations: marketplaceMigrations,
    schema: ({ dataSource, config }) => {
      const services = marketplaceServices(dataSource, config);
      const catalogue = new CatalogueQueries(dataSource, services.policy);
      const orderQueries = new OrderQueries(dataSource, services.policy);
      const needQueries = new NeedQueries(dataSource);
      const reviewQueries = new ReviewQueries(dataSource);
      return {
        resolvers: [
          new ProviderResolver(services.providers, catalogue, orderQueries, reviewQueries, services.policy),
          new OfferingResolver(services.offerings, catalogue, reviewQueries),
          new TimeSlotResolver(),
          new OrganizationResolver(catalogue),
          new OrderResolver(services.orders, orderQueries, catalogue, reviewQueries),
          new ReviewResolver(services.reviews),
          new NeedResolver(services.needs, needQueries),
          new UserResolver(orderQueries, needQueries),
        ],
        references: {
          // User and Organization belong to other subgraphs: their id is all marketplace needs to add its fields.
          User: async (reference) => ({ id: reference.id }),
          Organization: async (reference) => ({ id: reference.id }),
          // The same visibility functions as provider(id), serviceOffering(id) and order(id).
          Provider: batchedReference('Provider', (ids, context) => catalogue.visibleProviders(context, ids.map(lower))),
          ServiceOffering: batchedReference('ServiceOffering', (ids, context) =>
            catalogue.visibleOfferings(context, ids.map(lower)),
          ),
          Order: batchedReference('Order', (ids, context) => orderQueries.visibleOrders(context, ids.map(lower))),
        },
      };
    },
    seedDemoData: ({ dataSource, logger }) => seedMarketplaceDemo(dataSource, logger),
    background: (deps) => background(deps)(),
  };
}

const lower = (id: string) => id.toLowerCase();

export function startMarketplace(config: MarketplaceConfig) {
  return startSubgraph(marketplaceSubgraph(), config);
}
