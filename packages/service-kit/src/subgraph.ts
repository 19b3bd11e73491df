import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { createTokenVerifier, type TokenVerifier } from './auth';
import { requireGatewaySecretInProduction, type baseConfigShape } from './config';
import { createDataSource, runMigrations, type DataSourceOptions, type QueryCounter } from './database';
import { buildFederatedSchema, type FederatedSchemaOptions } from './federation';
import { createGatewayCredentialVerifier } from './gateway-access';
import { createLogger, type Logger } from './logger';
import { startSubgraphServer, type RunningHttpServer } from './server';

export type BaseConfig = z.infer<z.ZodObject<typeof baseConfigShape>> & { PORT: number; JWKS_URL?: string };

/** What a service is to the kit: its tables, its schema, its extras. Written once per service in `app.ts`. */
export interface SubgraphDefinition<Config extends BaseConfig> {
  name: string;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  schema: (deps: SubgraphDeps<Config>) => FederatedSchemaOptions;
  routes?: (app: Express, deps: SubgraphDeps<Config>) => void;
  /** Token verification; by default identity's JWKS at JWKS_URL. */
  tokenVerifier?: (deps: SubgraphDeps<Config>) => TokenVerifier;
  /** Idempotent demo data, inserted at start when SEED_DEMO_DATA is on. */
  seedDemoData?: (deps: SubgraphDeps<Config>) => Promise<void>;
  /** Background work that lives as long as the server (outbox relay, consumers); returns its stop function. */
  background?: (deps: SubgraphDeps<Config>) => Promise<() => Promise<void>>;
}

export interface SubgraphDeps<Config extends BaseConfig> {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  queries: QueryCounter;
}

export interface RunningSubgraph<Config extends BaseConfig> extends RunningHttpServer {
  deps: SubgraphDeps<Config>;
}

function createDeps<Config extends BaseConfig>(
  definition: SubgraphDefinition<Config>,
  config: Config,
  logger?: Logger,
): SubgraphDeps<Config> {
  const log = logger ?? createLogger(definition.name, config.LOG_LEVEL);
  const { dataSource, queries } = createDataSource({
    url: config.DATABASE_URL,
    entities: definition.entities,
    migrations: definition.migrations,
    logger: log,
    poolSize: config.DATABASE_POOL_SIZE,
    poolIdleMs: config.DATABASE_POOL_IDLE_MS,
    applicationName: definition.name,
  });
  return { config, logger: log, dataSource, queries };
}

function defaultVerifier(config: BaseConfig): TokenVerifier {
  if (!config.JWKS_URL) throw new Error('JWKS_URL is required to verify access tokens');
  return createTokenVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
}

/** Starts one subgraph in this process: database, migrations (when asked), schema, HTTP, background work. */
export async function startSubgraph<Config extends BaseConfig>(
  definition: SubgraphDefinition<Config>,
  config: Config,
  logger?: Logger,
): Promise<RunningSubgraph<Config>> {
  requireGatewaySecretInProduction(config);
  const deps = createDeps(definition, config, logger);
  if (!config.GATEWAY_SHARED_SECRET)
    deps.logger.warn(
      'GATEWAY_SHARED_SECRET is unset: _entities and _service are refused to everyone, so the gateway cannot join this subgraph’s types',
    );
  await deps.dataSource.initialize();
  try {
    if (config.MIGRATIONS_RUN) await runMigrations(deps.dataSource, deps.logger);
    if (config.SEED_DEMO_DATA) await definition.seedDemoData?.(deps);
    const { schema } = await buildFederatedSchema(definition.schema(deps));
    const server = await startSubgraphServer({
      name: definition.name,
      host: config.HOST,
      port: config.PORT,
      logger: deps.logger,
      bodyLimit: config.BODY_LIMIT,
      schema,
      dataSource: deps.dataSource,
      verifyToken: definition.tokenVerifier?.(deps) ?? defaultVerifier(config),
      introspection: config.NODE_ENV !== 'production',
      limits: config,
      defaultLocale: config.DEFAULT_LOCALE,
      verifyGateway: createGatewayCredentialVerifier(definition.name, [
        config.GATEWAY_SHARED_SECRET,
        config.GATEWAY_SHARED_SECRET_PREVIOUS,
      ]),
      routes: definition.routes ? (app) => definition.routes?.(app, deps) : undefined,
    });
    const stopBackground = (await definition.background?.(deps)) ?? (async () => undefined);
    return {
      ...server,
      deps,
      stop: async () => {
        // Together: requests in flight and the event handler or relay batch under way each finish on the database,
        // which closes only after both.
        await Promise.all([server.stop(), stopBackground()]);
        await deps.dataSource.destroy();
      },
    };
  } catch (error) {
    await deps.dataSource.destroy();
    throw error;
  }
}

/** The subgraph SDL, without a database connection: for `pnpm compose`. */
export async function printSubgraphSdl<Config extends BaseConfig>(
  definition: SubgraphDefinition<Config>,
  config: Config,
): Promise<string> {
  const deps = createDeps(definition, config, createLogger(definition.name, 'silent'));
  const { sdl } = await buildFederatedSchema(definition.schema(deps));
  return sdl;
}

/** `migrate` command: apply pending migrations and exit. */
export async function migrateSubgraph<Config extends BaseConfig>(
  definition: SubgraphDefinition<Config>,
  config: Config,
): Promise<string[]> {
  const deps = createDeps(definition, config);
  await deps.dataSource.initialize();
  try {
    return await runMigrations(deps.dataSource, deps.logger);
  } finally {
    await deps.dataSource.destroy();
  }
}
