import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway, type GraphQLDataSourceProcessOptions, type RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import {
  authContextOf,
  createErrorFormatter,
  createGatewayCredentialSigner,
  createLogger,
  createTokenVerifier,
  currentRequestId,
  GATEWAY_CREDENTIAL_HEADER,
  metricsPlugin,
  queryLimitsPlugin,
  queryParseOptions,
  startHttpServer,
  tracingPlugin,
  type Caller,
  type Logger,
  type PartnerCaller,
  type RunningHttpServer,
} from '@taoyuan/service-kit';
import { AdmissionControl } from './admission';
import { CallerIndependence } from './caller-independence';
import type { GatewayConfig } from './config';
import { frontEndApolloOptions, frontEndPlugins, frontEndRoutes } from './front-end';
import { outagePlugin, OutageAwareDataSource } from './outage';
import { mountNotificationsProxy } from './notifications-proxy';
import { mountReportsProxy } from './reports-proxy';
import { mergingFetcher } from './subgraph-fetcher';
import { tracedFetcher } from './subgraph-tracing';
import { subgraphUrlVariable } from './subgraphs';

export interface GatewayContext {
  caller: Caller | null;
  partner: PartnerCaller | null;
  authorization?: string;
  requestId?: string;
  /** The TCP peer of the client's request, passed on as X-Forwarded-For. */
  clientAddress?: string;
  /** Passed on: notifications render their texts in the reader's language. */
  acceptLanguage?: string;
}

/**
 * Passes the caller's token and request id on (each subgraph verifies the token itself), and presents the gateway's
 * own credential, without which a subgraph answers no `_entities` or `_service`. A fetch that selects only
 * caller-independent fields goes without the token, so that the same fetch for different callers merges into one.
 */
class AuthenticatedDataSource extends OutageAwareDataSource<GatewayContext> {
  constructor(
    options: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0] & { subgraphName: string },
    private readonly gatewayCredential: (() => Promise<string>) | undefined,
    private readonly callerIndependence: CallerIndependence,
  ) {
    super(options);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Apollo's own health checks call this with an empty context.
    const { authorization, requestId, clientAddress, acceptLanguage } = context as Partial<GatewayContext>;
    const tokenNeeded = typeof request.query !== 'string' || !this.callerIndependence.test(request.query);
    if (typeof authorization === 'string' && tokenNeeded) request.http?.headers.set('authorization', authorization);
    if (typeof acceptLanguage === 'string') request.http?.headers.set('accept-language', acceptLanguage);
    // The client's own address, not a header it sent: identity's per-address limits trust this from the gateway only.
    if (typeof clientAddress === 'string') request.http?.headers.set('x-forwarded-for', clientAddress);
    if (typeof requestId === 'string') request.http?.headers.set('x-request-id', requestId);
    if (this.gatewayCredential) request.http?.headers.set(GATEWAY_CREDENTIAL_HEADER, await this.gatewayCredential());
  }
}

export function supergraphFile(config: GatewayConfig): string {
  return config.SUPERGRAPH_FILE ?? path.resolve(__dirname, '../supergraph.graphql');
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger('gateway', config.LOG_LEVEL),
): Promise<RunningHttpServer> {
  const verifyToken = createTokenVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const urlOverrides = config as unknown as Record<string, string | undefined>;
  const signCredential = config.GATEWAY_SHARED_SECRET
    ? createGatewayCredentialSigner(config.GATEWAY_SHARED_SECRET)
    : undefined;
  if (!signCredential)
    logger.warn('GATEWAY_SHARED_SECRET is unset: subgraphs will refuse the _entities fetches that join their types');
  const supergraphSdl = readFileSync(supergraphFile(config), 'utf8');
  const callerIndependence = new CallerIndependence(supergraphSdl);
  const gateway = new ApolloGateway({
    supergraphSdl,
    // Plans are cached by operation, so a repeated query skips planning entirely.
    experimental_approximateQueryPlanStoreMiB: config.QUERY_PLAN_CACHE_MIB,
    buildService: ({ name, url }) =>
      new AuthenticatedDataSource(
        {
          url: urlOverrides[subgraphUrlVariable(name)] ?? url,
          subgraphName: name,
          fetcher: tracedFetcher(name, mergingFetcher()),
        },
        signCredential && (() => signCredential(name)),
        callerIndependence,
      ),
    logger,
  });
  const admission = new AdmissionControl(config);

  return startHttpServer(
    {
      name: 'gateway',
      host: config.HOST,
      port: config.PORT,
      logger,
      bodyLimit: config.BODY_LIMIT,
      readiness: async () => true,
      healthChecks: { admission: { check: () => admission.snapshot(), critical: false } },
      routes: frontEndRoutes(config, logger),
    },
    async (app, httpServer) => {
      const apollo = new ApolloServer<GatewayContext>({
        gateway,
        ...frontEndApolloOptions(config),
        introspection: config.NODE_ENV !== 'production',
        csrfPrevention: true,
        includeStacktraceInErrorResponses: false,
        allowBatchedHttpRequests: false,
        parseOptions: queryParseOptions(config),
        formatError: createErrorFormatter(logger),
        plugins: [
          queryLimitsPlugin<GatewayContext>(config, { hideSuggestions: config.NODE_ENV === 'production' }),
          ApolloServerPluginDrainHttpServer({ httpServer }),
          outagePlugin<GatewayContext>(),
          metricsPlugin<GatewayContext>('gateway'),
          tracingPlugin<GatewayContext>(),
          ...frontEndPlugins(config),
        ],
        logger,
      });
      await apollo.start();
      mountReportsProxy(app, urlOverrides, logger);
      mountNotificationsProxy(app, urlOverrides, logger);
      app.use(
        '/graphql',
        admission.middleware(),
        expressMiddleware(apollo, {
          // A bad token is refused here, before any query planning or subgraph call.
          context: async ({ req }) => {
            const authorization = req.header('authorization');
            return {
              ...authContextOf(await verifyToken(authorization)),
              authorization,
              requestId: currentRequestId(),
              clientAddress: req.socket.remoteAddress,
              acceptLanguage: req.header('accept-language'),
            };
          },
        }),
      );
      return () => apollo.stop();
    },
  );
}
