import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { authContextOf, type TokenVerifier } from './auth';
import { LoaderRegistry, type ServiceContext } from './context';
import { createErrorFormatter, ErrorCode } from './errors';
import { GATEWAY_CREDENTIAL_HEADER, gatewayOnlyPlugin, type GatewayCredentialVerifier } from './gateway-access';
import {
  collectHealthDetails,
  databaseCheck,
  healthDetailsAllowed,
  metricsAllowed,
  outboxCheck,
  watchEventLoopDelay,
  type HealthCheck,
} from './health';
import { runInRequestScope, type Logger } from './logger';
import { localizedErrorsPlugin, negotiateLocale, type Locale } from './messages';
import { tracingPlugin } from './graphql-spans';
import { collectProcessMetrics, metricsPlugin, metricsRegistry, observeDataSource } from './metrics';
import { queryLimitsPlugin, queryParseOptions, type QueryLimitsConfig } from './query-limits';
import { stopTracing } from './tracing';

export interface HttpServerOptions {
  name: string;
  host: string;
  port: number;
  logger: Logger;
  bodyLimit: string;
  /** Routes mounted before GraphQL, e.g. identity's JWKS. */
  routes?: (app: Express) => void;
  /** Answers /ready; a throw or false means "not ready". */
  readiness: () => Promise<boolean>;
  /** Parts shown in /health/details beside the process's own (consumers); a critical one down makes the process down. */
  healthChecks?: Record<string, { check: HealthCheck; critical: boolean }>;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * How a process stops (env, milliseconds): SHUTDOWN_DELAY_MS keeps serving after readiness fails, so load balancers and
 * Kubernetes endpoints stop sending first (0 by default; the manifests set 5 s); SHUTDOWN_GRACE_MS bounds the drain of
 * requests, event handlers and the outbox relay's batch, after which the process exits anyway (20 s by default).
 */
export function shutdownTimings(env: Record<string, string | undefined> = process.env): {
  delayMs: number;
  graceMs: number;
} {
  const milliseconds = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: a whole number of milliseconds, got ${raw}`);
    return value;
  };
  return { delayMs: milliseconds('SHUTDOWN_DELAY_MS', 0), graceMs: milliseconds('SHUTDOWN_GRACE_MS', 20_000) };
}

/** Set once a signal asks this process to stop: every /ready of the process fails from then on. */
let processStopping = false;

/** Apollo's drain waits this long for in-flight requests, leaving the rest of the grace period for the cleanup after. */
export function requestDrainMs(graceMs = shutdownTimings().graceMs): number {
  return Math.max(1_000, graceMs - 3_000);
}

/** Request id from the caller (gateway → subgraph) or a new one; every log line inside carries it. */
function requestScope(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w\-.:]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    runInRequestScope(requestId, () => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        logger.debug(
          {
            method: req.method,
            path: req.path,
            status: res.statusCode,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          },
          'request',
        );
      });
      next();
    });
  };
}

/** Body parse failures (too large, not JSON) answered in GraphQL's error shape with a stable code. */
function bodyErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction) {
  const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 0;
  const type = typeof err === 'object' && err !== null && 'type' in err ? String(err.type) : '';
  if (type === 'entity.too.large' || status === 413) {
    res
      .status(413)
      .json({ errors: [{ message: 'Request body is too large', extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE } }] });
    return;
  }
  if (type === 'entity.parse.failed') {
    res
      .status(400)
      .json({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: ErrorCode.BAD_REQUEST } }] });
    return;
  }
  next(err);
}

/**
 * The HTTP shell every process shares (subgraphs and gateway): request ids, /health, /ready, JSON body limit, a
 * GraphQL endpoint, graceful stop. `mountGraphql` attaches Apollo; it receives the http server for the drain plugin.
 */
export async function startHttpServer(
  options: HttpServerOptions,
  mountGraphql: (app: Express, httpServer: Server) => Promise<() => Promise<void>>,
): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  // Connections from the gateway (or a load balancer) stay open across a minute of quiet: opening dozens at once
  // when traffic returns cost the first second of every burst 0.5–1 s (bench:gateways). Longer than the gateway's
  // own idle limit (60 s), so the client side always closes first and never writes to a socket being closed.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  let stopping: Promise<void> | undefined;
  app.use(requestScope(options.logger));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  // Liveness: the event loop answers. Nothing external is consulted, so a database outage never restarts every pod.
  app.get('/live', (_req, res) => {
    res.json({ status: 'live', service: options.name });
  });
  const isReady = async () => {
    if (processStopping || stopping) return false;
    try {
      return await options.readiness();
    } catch (error) {
      options.logger.warn({ err: error }, 'readiness check failed');
      return false;
    }
  };
  app.get('/ready', (_req, res) => {
    if (processStopping || stopping) {
      res.status(503).json({ status: 'stopping', service: options.name });
      return;
    }
    void isReady().then((ready) =>
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service: options.name }),
    );
  });
  watchEventLoopDelay();
  // Topology and backlogs for operators (docs/operations.md); 503 exactly when /ready fails or a critical part is down.
  app.get('/health/details', (req, res) => {
    if (!healthDetailsAllowed(req)) {
      res.status(404).json({ status: 'not found' });
      return;
    }
    void isReady()
      .then((ready) => collectHealthDetails(options.name, ready, options.healthChecks ?? {}))
      .then((details) => res.status(details.status === 'down' ? 503 : 200).json(details))
      .catch((error: unknown) => {
        options.logger.warn({ err: error }, 'health details failed');
        res.status(500).json({ status: 'unknown', service: options.name });
      });
  });
  collectProcessMetrics();
  // Prometheus scrapes every process here (gateway and subgraphs alike); see the README's metrics table.
  app.get('/metrics', (req, res) => {
    if (!metricsAllowed(req)) {
      res.status(401).set('www-authenticate', 'Bearer').send("metrics need the operators' token");
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.type(metricsRegistry.contentType).send(text),
      (error: unknown) => {
        options.logger.warn({ err: error }, 'collecting metrics failed');
        res.status(500).send('metrics unavailable');
      },
    );
  });
  options.routes?.(app);
  app.use(express.json({ limit: options.bodyLimit }));
  app.use(bodyErrorHandler);
  const stopGraphql = await mountGraphql(app, httpServer);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}/graphql`;
  options.logger.info({ url }, `${options.name} listening`);
  return {
    url,
    port,
    stop: () => {
      stopping ??= (async () => {
        await stopGraphql();
        if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        options.logger.info(`${options.name} stopped`);
      })();
      return stopping;
    },
  };
}

export interface SubgraphServerOptions extends Omit<HttpServerOptions, 'readiness'> {
  schema: GraphQLSchema;
  dataSource: DataSource;
  verifyToken: TokenVerifier;
  introspection: boolean;
  /** Depth, aliases, directives, cost and tokens: the same limits as the gateway's. */
  limits: QueryLimitsConfig;
  /** Recognises the gateway's credential; only the gateway may select `_entities` and `_service`. */
  verifyGateway: GatewayCredentialVerifier;
  plugins?: ApolloServerPlugin<ServiceContext>[];
  /** Language of error messages when the request's Accept-Language names none of ours. */
  defaultLocale?: Locale;
}

export async function startSubgraphServer(options: SubgraphServerOptions): Promise<RunningHttpServer> {
  const readiness = async () => {
    if (!options.dataSource.isInitialized) return false;
    await options.dataSource.query('SELECT 1');
    return true;
  };
  observeDataSource(options.name, options.dataSource, { outbox: true });
  const healthChecks = {
    database: { check: databaseCheck(options.dataSource), critical: true },
    outbox: { check: outboxCheck(options.dataSource), critical: false },
  };
  return startHttpServer({ ...options, readiness, healthChecks }, async (app, httpServer) => {
    const apollo = new ApolloServer<ServiceContext>({
      schema: options.schema,
      introspection: options.introspection,
      includeStacktraceInErrorResponses: false,
      csrfPrevention: true,
      parseOptions: queryParseOptions(options.limits),
      formatError: createErrorFormatter(options.logger),
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: requestDrainMs() }),
        ApolloServerPluginInlineTraceDisabled(),
        // No field carries @cacheControl, and its per-field hook made Apollo Server wrap every resolver.
        ApolloServerPluginCacheControlDisabled(),
        gatewayOnlyPlugin<ServiceContext>(),
        metricsPlugin<ServiceContext>(options.name),
        tracingPlugin<ServiceContext>(),
        localizedErrorsPlugin<ServiceContext>(options.defaultLocale ?? 'zh-CN'),
        // The gateway measured the whole operation before planning; its fetches (e.g. `_entities` batches) are parts.
        queryLimitsPlugin<ServiceContext>(options.limits, {
          costMeasuredUpstream: (context) => context.fromGateway === true,
          hideSuggestions: !options.introspection,
        }),
        ...(options.plugins ?? []),
      ],
      logger: options.logger,
    });
    await apollo.start();
    app.use(
      '/graphql',
      expressMiddleware(apollo, {
        // Every subgraph checks the token itself: it never assumes the gateway is the only way in.
        context: async ({ req }) => ({
          ...authContextOf(await options.verifyToken(req.header('authorization'))),
          fromGateway: await options.verifyGateway(req.header(GATEWAY_CREDENTIAL_HEADER)),
          requestId: String(req.res?.getHeader('x-request-id') ?? randomUUID()),
          logger: options.logger,
          loaders: new LoaderRegistry(),
          locale: negotiateLocale(req.header('accept-language'), options.defaultLocale ?? 'zh-CN'),
        }),
      }),
    );
    return () => apollo.stop();
  });
}

/**
 * For main.ts: on SIGTERM / SIGINT, fail readiness at once, keep serving for SHUTDOWN_DELAY_MS while load balancers
 * drop this instance, then stop (in-flight requests, event handlers and the relay's batch finish) and exit; exit
 * non-zero if that takes longer than SHUTDOWN_GRACE_MS. Timings are read at once, so a bad value fails the start.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, timings = shutdownTimings()): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    processStopping = true;
    logger.info({ signal, ...timings }, 'stopping: readiness fails from now on');
    const timer = setTimeout(() => {
      logger.error('graceful stop timed out');
      process.exit(1);
    }, timings.delayMs + timings.graceMs);
    timer.unref();
    const delay = new Promise<void>((resolve) => setTimeout(resolve, timings.delayMs));
    // Spans still buffered are exported before the process exits.
    delay
      .then(stop)
      .then(stopTracing)
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

export { ErrorCode };
