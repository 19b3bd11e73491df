import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { readOutboxBacklog } from './health';

/**
 * Prometheus metrics of this process, served at `/metrics` by the HTTP shell every process shares. One registry per
 * process (prom-client's default), so the gateway, a subgraph, its outbox relay and its consumers report together.
 */
export const metricsRegistry: Registry = register;

let defaultsCollected = false;
/** Process metrics (CPU, memory, event-loop lag, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function metric<T>(name: string, create: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? create();
}

export const graphqlRequests = metric(
  'taoyuan_graphql_requests_total',
  () =>
    new Counter({
      name: 'taoyuan_graphql_requests_total',
      help: 'GraphQL requests by operation name and outcome (ok, or the first error code)',
      labelNames: ['service', 'operation', 'outcome'] as const,
      registers: [metricsRegistry],
    }),
);

export const graphqlRequestDuration = metric(
  'taoyuan_graphql_request_duration_seconds',
  () =>
    new Histogram({
      name: 'taoyuan_graphql_request_duration_seconds',
      help: 'GraphQL request duration from parsing to response, by operation name and outcome',
      labelNames: ['service', 'operation', 'outcome'] as const,
      buckets: DURATION_BUCKETS,
      registers: [metricsRegistry],
    }),
);

export const subgraphFetchDuration = metric(
  'taoyuan_gateway_subgraph_fetch_duration_seconds',
  () =>
    new Histogram({
      name: 'taoyuan_gateway_subgraph_fetch_duration_seconds',
      help: 'Duration of the gateway’s fetches to each subgraph, by outcome (ok, error)',
      labelNames: ['subgraph', 'outcome'] as const,
      buckets: DURATION_BUCKETS,
      registers: [metricsRegistry],
    }),
);

export const consumerLag = metric(
  'taoyuan_consumer_lag_events',
  () =>
    new Gauge({
      name: 'taoyuan_consumer_lag_events',
      help: 'Events not yet handled per consumer group, topic and partition (high watermark minus the next offset), as of the last batch',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers: [metricsRegistry],
    }),
);

/** 1 for the state each consumer group of this process is in (starting, running, rebalancing, crashed, stopped). */
export const consumerState = metric(
  'taoyuan_consumer_state',
  () =>
    new Gauge({
      name: 'taoyuan_consumer_state',
      help: 'Consumer group member state in this process: 1 for the current state, 0 for the others',
      labelNames: ['group', 'state'] as const,
      registers: [metricsRegistry],
    }),
);

export const consumerLastMessage = metric(
  'taoyuan_consumer_last_message_timestamp_seconds',
  () =>
    new Gauge({
      name: 'taoyuan_consumer_last_message_timestamp_seconds',
      help: 'When this process last finished handling an event of the group (Unix time)',
      labelNames: ['group'] as const,
      registers: [metricsRegistry],
    }),
);

export const consumerPausedPartitions = metric(
  'taoyuan_consumer_paused_partitions',
  () =>
    new Gauge({
      name: 'taoyuan_consumer_paused_partitions',
      help: 'Partitions paused while a failing event waits for its retry',
      labelNames: ['group'] as const,
      registers: [metricsRegistry],
    }),
);

export const notificationStreamsOpen = metric(
  'taoyuan_notification_streams_open',
  () =>
    new Gauge({
      name: 'taoyuan_notification_streams_open',
      help: 'Notification streams (Server-Sent Events) this process holds open',
      registers: [metricsRegistry],
    }),
);

export const admissionRequests = metric(
  'taoyuan_gateway_admission_requests',
  () =>
    new Gauge({
      name: 'taoyuan_gateway_admission_requests',
      help: 'GraphQL requests at the gateway executing (running) and waiting for a slot (queued)',
      labelNames: ['state'] as const,
      registers: [metricsRegistry],
    }),
);

export const admissionQueueWait = metric(
  'taoyuan_gateway_admission_queue_wait_seconds',
  () =>
    new Histogram({
      name: 'taoyuan_gateway_admission_queue_wait_seconds',
      help: 'How long admitted GraphQL requests waited for a slot at the gateway',
      buckets: DURATION_BUCKETS,
      registers: [metricsRegistry],
    }),
);

export const shedRequests = metric(
  'taoyuan_gateway_shed_requests_total',
  () =>
    new Counter({
      name: 'taoyuan_gateway_shed_requests_total',
      help: 'GraphQL requests the gateway refused with 503 SERVICE_UNAVAILABLE because it was saturated, by cause',
      labelNames: ['cause'] as const,
      registers: [metricsRegistry],
    }),
);

export const deadLettered = metric(
  'taoyuan_events_dead_lettered_total',
  () =>
    new Counter({
      name: 'taoyuan_events_dead_lettered_total',
      help: 'Events this process sent to a dead-letter topic, by original topic and reason',
      labelNames: ['topic', 'reason'] as const,
      registers: [metricsRegistry],
    }),
);

/** Operation names come from clients: only well-formed ones, and a bounded number of them, become label values. */
const MAX_OPERATION_NAMES = 200;
const seenOperations = new Set<string>();
function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATION_NAMES) return 'other';
  seenOperations.add(name);
  return name;
}

/** Counts and times every GraphQL request of `service` by operation name and outcome. */
export function metricsPlugin<Context extends object>(service: string): ApolloServerPlugin<Context> {
  return {
    requestDidStart: () => {
      const started = process.hrtime.bigint();
      return Promise.resolve({
        willSendResponse: (requestContext) => {
          const body = requestContext.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.code;
          const labels = {
            service,
            operation: operationLabel(requestContext.operationName ?? requestContext.request.operationName),
            outcome: errors?.length ? (typeof code === 'string' ? code : 'error') : 'ok',
          };
          graphqlRequests.inc(labels);
          graphqlRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          return Promise.resolve();
        },
      });
    },
  };
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const observedPools = new Map<string, DataSource>();
metric(
  'taoyuan_db_pool_connections',
  () =>
    new Gauge({
      name: 'taoyuan_db_pool_connections',
      help: 'Database pool connections by state: total, idle, and callers waiting for one',
      labelNames: ['service', 'state'] as const,
      registers: [metricsRegistry],
      collect() {
        for (const [service, dataSource] of observedPools) {
          const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
          if (!pool) continue;
          this.set({ service, state: 'total' }, pool.totalCount);
          this.set({ service, state: 'idle' }, pool.idleCount);
          this.set({ service, state: 'waiting' }, pool.waitingCount);
        }
      },
    }),
);

const observedOutboxes = new Map<string, DataSource>();
const outboxBacklog = metric(
  'taoyuan_outbox_backlog_events',
  () =>
    new Gauge({
      name: 'taoyuan_outbox_backlog_events',
      help: 'Events written to the outbox and not yet published to Kafka',
      labelNames: ['service'] as const,
      registers: [metricsRegistry],
      async collect() {
        await collectOutboxes();
      },
    }),
);
const outboxOldestAge = metric(
  'taoyuan_outbox_oldest_unsent_age_seconds',
  () =>
    new Gauge({
      name: 'taoyuan_outbox_oldest_unsent_age_seconds',
      help: 'Age of the oldest event in the outbox not yet published (0 when none waits)',
      labelNames: ['service'] as const,
      registers: [metricsRegistry],
    }),
);

async function collectOutboxes(): Promise<void> {
  for (const [service, dataSource] of observedOutboxes) {
    if (!dataSource.isInitialized) continue;
    try {
      const { backlog, oldestUnsentAgeSeconds } = await readOutboxBacklog(dataSource);
      outboxBacklog.set({ service }, backlog);
      outboxOldestAge.set({ service }, oldestUnsentAgeSeconds);
    } catch {
      // The database is down: the series keep their last values rather than failing the whole scrape.
    }
  }
}

/** Reports `dataSource`'s pool use under `service`; with `outbox`, the backlog of its transactional outbox too. */
export function observeDataSource(service: string, dataSource: DataSource, options: { outbox?: boolean } = {}): void {
  observedPools.set(service, dataSource);
  if (options.outbox) observedOutboxes.set(service, dataSource);
}
