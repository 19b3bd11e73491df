import 'reflect-metadata';
import { DataSource, type DataSourceOptions as TypeOrmOptions, type Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from './logger';

/** The one table where TypeORM records applied migrations, the same name in every service database. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * Counts the SQL statements a data source sends. Tests use it to prove batching (e.g. `_entities` for many users
 * costs one query); in production it only feeds debug logs.
 */
export class QueryCounter implements TypeOrmLogger {
  count = 0;
  private readonly listeners = new Set<(query: string) => void>();

  constructor(private readonly logger?: Logger) {}

  logQuery(query: string): void {
    this.count += 1;
    for (const listener of this.listeners) listener(query);
    this.logger?.trace({ query }, 'sql');
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger?.debug({ err: error, query }, 'sql error');
  }
  logQuerySlow(time: number, query: string): void {
    // Not `time`: pino's own `time` field is the log line's timestamp.
    this.logger?.warn({ durationMs: time, query }, 'slow sql');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger?.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger?.warn({ message }, 'typeorm');
  }

  /** Records the statements sent while `work` runs (those of concurrent requests too, so use it on a quiet server). */
  async record<T>(work: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
    const queries: string[] = [];
    const listener = (query: string) => queries.push(query);
    this.listeners.add(listener);
    try {
      return { result: await work(), queries };
    } finally {
      this.listeners.delete(listener);
    }
  }
}

export interface DataSourceOptions {
  url: string;
  entities: NonNullable<TypeOrmOptions['entities']>;
  migrations: NonNullable<TypeOrmOptions['migrations']>;
  logger?: Logger;
  poolSize?: number;
  /**
   * pg's default (10 s) closes connections over pauses shorter than a minute; reopening them under the next burst
   * costs a backend start and cold catalog caches for each, when latency matters most.
   */
  poolIdleMs?: number;
  applicationName?: string;
}

export interface ServiceDataSource {
  dataSource: DataSource;
  queries: QueryCounter;
}

/** Migrations only: the schema is never synchronised from entities, so what runs in production is what was reviewed. */
export function createDataSource(options: DataSourceOptions): ServiceDataSource {
  const queries = new QueryCounter(options.logger);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['query', 'error', 'warn', 'migration'],
    logger: queries,
    maxQueryExecutionTime: 500,
    applicationName: options.applicationName,
    extra: { max: options.poolSize ?? 10, idleTimeoutMillis: options.poolIdleMs ?? 60_000 },
  });
  return { dataSource, queries };
}

export async function runMigrations(dataSource: DataSource, logger?: Logger): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length > 0) logger?.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
  return applied.map((migration) => migration.name);
}

/**
 * True when `error` (typeorm's QueryFailedError or a pg error) is PostgreSQL's unique violation, of `constraint` when
 * given: the race a preceding existence check could not see.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const cause = ('driverError' in error ? error.driverError : error) as { code?: unknown; constraint?: unknown } | null;
  return cause?.code === '23505' && (constraint === undefined || cause.constraint === constraint);
}
