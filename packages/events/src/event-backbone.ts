import type { BaseConfig, SubgraphDefinition, SubgraphDeps } from '@taoyuan/service-kit';
import { EventConsumer, type EventHandler } from './event-consumer';
import { createKafka, kafkaCredentialsFromConfig, parseBrokers } from './kafka';
import { OutboxRelay } from './outbox-relay';

export interface EventBackboneOptions<Config extends BaseConfig> {
  service: string;
  /** What this service consumes; omitted when it only publishes. */
  handlers?: (deps: SubgraphDeps<Config>) => EventHandler[];
}

/**
 * A subgraph's background work for events: the outbox relay, and a consumer group `<service>` for its handlers.
 * Without KAFKA_BROKERS nothing runs: events wait in the outbox until a broker is configured.
 */
export function eventBackbone<Config extends BaseConfig>(
  options: EventBackboneOptions<Config>,
): NonNullable<SubgraphDefinition<Config>['background']> {
  return async (deps) => {
    const { config, logger, dataSource } = deps;
    if (!config.KAFKA_BROKERS) {
      logger.warn('KAFKA_BROKERS is not set: events stay in the outbox and nothing is consumed');
      return async () => undefined;
    }
    const kafka = createKafka({
      brokers: parseBrokers(config.KAFKA_BROKERS),
      clientId: options.service,
      logger,
      sasl: kafkaCredentialsFromConfig(config),
    });
    const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, kafka, logger, service: options.service });
    await relay.start();
    const handlers = options.handlers?.(deps) ?? [];
    const consumer = handlers.length
      ? new EventConsumer({
          kafka,
          groupId: options.service,
          dataSource,
          logger,
          handlers,
          maxAttempts: config.EVENT_MAX_ATTEMPTS,
          retryBudgetMs: config.EVENT_RETRY_BUDGET_MS,
          retryMaxDelayMs: config.EVENT_RETRY_MAX_DELAY_MS,
          maxClockSkewMs: config.EVENT_MAX_CLOCK_SKEW_MS,
        })
      : undefined;
    await consumer?.start();
    return async () => {
      await consumer?.stop();
      await relay.stop();
    };
  };
}
