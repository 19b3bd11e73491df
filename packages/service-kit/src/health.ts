import { timingSafeEqual, createHash } from 'node:crypto';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';

/**
 * What one part of a process says about itself in `/health/details`. `down` on a critical part (the database) makes the
 * whole process `down` (HTTP 503, as /ready); anything else not `up` makes it `degraded`: it serves, an operator looks.
 */
export interface ComponentHealth {
  status: 'up' | 'degraded' | 'down';
  [detail: string]: unknown;
}

export type HealthCheck = () => ComponentHealth | Promise<ComponentHealth>;

interface RegisteredCheck {
  name: string;
  check: HealthCheck;
  critical: boolean;
}

/**
 * Checks of background parts that live beside the HTTP server (event consumers, the outbox relay): per process, like
 * the metrics registry. Returns the function that removes the check again.
 */
const processChecks = new Set<RegisteredCheck>();
export function registerHealthCheck(
  name: string,
  check: HealthCheck,
  options: { critical?: boolean } = {},
): () => void {
  const entry = { name, check, critical: options.critical ?? false };
  processChecks.add(entry);
  return () => processChecks.delete(entry);
}

/** The database answers `SELECT 1`, and how long it took. */
export function databaseCheck(dataSource: DataSource): HealthCheck {
  return async () => {
    if (!dataSource.isInitialized) return { status: 'down', error: 'not connected' };
    const started = process.hrtime.bigint();
    try {
      await dataSource.query('SELECT 1');
      return { status: 'up', latencyMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10 };
    } catch (error) {
      return { status: 'down', error: error instanceof Error ? error.message : String(error) };
    }
  };
}

/** An outbox whose oldest unsent event is older than this is `degraded`: no relay publishes, or Kafka refuses. */
const OUTBOX_STALE_SECONDS = 60;

/** Events written to `dataSource`'s outbox and not yet published, and the age of the oldest (0 when none waits). */
export async function readOutboxBacklog(
  dataSource: DataSource,
): Promise<{ backlog: number; oldestUnsentAgeSeconds: number }> {
  const [row] = await dataSource.query<{ backlog: number; age: string | number }[]>(
    `SELECT count(*)::int AS backlog, coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) AS age
     FROM outbox WHERE sent_at IS NULL`,
  );
  return { backlog: row?.backlog ?? 0, oldestUnsentAgeSeconds: Math.round(Number(row?.age ?? 0) * 10) / 10 };
}

/** The outbox's backlog; `degraded` once its oldest unsent event is older than a minute. */
export function outboxCheck(dataSource: DataSource): HealthCheck {
  return async () => {
    if (!dataSource.isInitialized) return { status: 'down', error: 'not connected' };
    const outbox = await readOutboxBacklog(dataSource);
    return { status: outbox.oldestUnsentAgeSeconds > OUTBOX_STALE_SECONDS ? 'degraded' : 'up', ...outbox };
  };
}

let loopDelay: IntervalHistogram | undefined;
/** Starts sampling the event-loop delay (once per process), so the first /health/details already has figures. */
export function watchEventLoopDelay(): void {
  if (loopDelay) return;
  loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
}

/** Event-loop delay since the previous look (p50, p99, max in ms): how saturated this process's CPU share is. */
function eventLoopDelay() {
  watchEventLoopDelay();
  const histogram = loopDelay as IntervalHistogram;
  const ms = (ns: number) => (Number.isFinite(ns) ? Math.round(ns / 1e5) / 10 : 0);
  const snapshot = {
    p50Ms: ms(histogram.percentile(50)),
    p99Ms: ms(histogram.percentile(99)),
    maxMs: ms(histogram.max),
  };
  histogram.reset();
  return snapshot;
}

export interface HealthDetails {
  service: string;
  status: 'up' | 'degraded' | 'down';
  /** What /ready answers: whether a load balancer should send traffic here. */
  ready: boolean;
  eventLoopDelay: ReturnType<typeof eventLoopDelay>;
  uptimeSeconds: number;
  components: Record<string, ComponentHealth>;
}

/** Runs every check (this server's and the process's) at once; a check that throws is `down` with its message. */
export async function collectHealthDetails(
  service: string,
  ready: boolean,
  serverChecks: Record<string, { check: HealthCheck; critical: boolean }>,
): Promise<HealthDetails> {
  const all: RegisteredCheck[] = [
    ...Object.entries(serverChecks).map(([name, entry]) => ({ name, ...entry })),
    ...processChecks,
  ];
  const results = await Promise.all(
    all.map(async (entry) => {
      try {
        return await entry.check();
      } catch (error) {
        return { status: 'down' as const, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  const components: Record<string, ComponentHealth> = {};
  let status: HealthDetails['status'] = ready ? 'up' : 'down';
  all.forEach((entry, index) => {
    const result = results[index] ?? { status: 'down' };
    let name = entry.name;
    for (let n = 2; name in components; n += 1) name = `${entry.name}#${n}`;
    components[name] = result;
    if (result.status === 'down' && entry.critical) status = 'down';
    else if (result.status !== 'up' && status === 'up') status = 'degraded';
  });
  return {
    service,
    status,
    ready,
    eventLoopDelay: eventLoopDelay(),
    uptimeSeconds: Math.round(process.uptime()),
    components,
  };
}

/** True when the request carries `Authorization: Bearer <token>`, compared in constant time. */
function presentsBearer(req: Request, token: string): boolean {
  const presented = /^Bearer (.+)$/.exec(req.header('authorization') ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/**
 * Who may read `/health/details`: it names topics, consumer groups, partitions and backlogs, which is topology, not
 * for the public. With HEALTH_DETAILS_TOKEN set, only `Authorization: Bearer <that token>`; without it, anyone outside
 * production (a developer's machine, CI) and no one in production.
 */
export function healthDetailsAllowed(req: Request, env: Record<string, string | undefined> = process.env): boolean {
  const token = env.HEALTH_DETAILS_TOKEN;
  if (!token) return env.NODE_ENV !== 'production';
  return presentsBearer(req, token);
}

/**
 * Who may scrape `/metrics`: with METRICS_TOKEN set, only Prometheus presenting it (`authorization.credentials_file`
 * in its scrape config); without it, whoever the network lets through, as the network policies and the compose
 * network decide. Metrics name operations and consumer groups, so a process reachable from outside should set it.
 */
export function metricsAllowed(req: Request, env: Record<string, string | undefined> = process.env): boolean {
  const token = env.METRICS_TOKEN;
  return !token || presentsBearer(req, token);
}
