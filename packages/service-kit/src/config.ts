import { z } from 'zod';
import { gatewayAccessConfigShape, type GatewayAccessConfig } from './gateway-access';
import { queryLimitsConfigShape } from './query-limits';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Environment variables every subgraph reads; a service extends this with its own. */
export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().url().describe('PostgreSQL connection string of this service’s own database'),
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .describe('connections this process keeps to its database; replicas × this must stay under the server’s limit'),
  DATABASE_POOL_IDLE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60_000)
    .describe('how long an unused database connection stays open; a new one costs a backend start and cold caches'),
  MIGRATIONS_RUN: booleanFromEnv.default(false).describe('apply pending migrations at start (local runs)'),
  SEED_DEMO_DATA: booleanFromEnv.default(false).describe('insert the demo community at start (idempotent)'),
  JWT_ISSUER: z.string().min(1).default('taoyuan-identity'),
  JWT_AUDIENCE: z.string().min(1).default('taoyuan'),
  BODY_LIMIT: z.string().default('1mb'),
  KAFKA_BROKERS: z
    .string()
    .optional()
    .describe('comma-separated host:port; unset = events stay in the outbox, nothing is consumed'),
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512'])
    .optional()
    .describe('SASL mechanism; with KAFKA_USERNAME and KAFKA_PASSWORD the service authenticates as its principal'),
  KAFKA_USERNAME: z.string().min(1).optional().describe('this service’s Kafka principal'),
  KAFKA_PASSWORD: z.string().min(1).optional().describe('its password'),
  EVENT_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .default(5)
    .describe('tries per consumed event whose handler fails permanently before it goes to <topic>.dlq'),
  EVENT_RETRY_BUDGET_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(15 * 60_000)
    .describe('how long a transient failure (database down, deadlock) is retried, partition paused, before the DLQ'),
  EVENT_RETRY_MAX_DELAY_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(30_000)
    .describe('cap of the exponential backoff between tries of a transiently failing event'),
  EVENT_MAX_CLOCK_SKEW_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60_000)
    .describe('how far in the future an event’s ce_time may lie before the event is refused (DLQ)'),
  DEFAULT_LOCALE: z
    .enum(['zh-CN', 'en'])
    .default('zh-CN')
    .describe('language of error messages when Accept-Language names none of zh-CN and en'),
  ...queryLimitsConfigShape,
  ...gatewayAccessConfigShape,
};

export const portSchema = (defaultPort: number) => z.coerce.number().int().min(0).max(65535).default(defaultPort);
export const jwksUrlSchema = z
  .string()
  .url()
  .describe('identity’s JWKS, e.g. http://127.0.0.1:4001/.well-known/jwks.json');
export { booleanFromEnv, z };

/**
 * Reads and validates the environment once, at start. Every bad variable is named in one error, so an operator fixes
 * them all in one go instead of one per restart.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = z.object(shape).safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return result.data;
}

/**
 * Production refuses to start without the gateway secret. Elsewhere an unset secret fails closed: subgraphs answer
 * `_entities` and `_service` to nobody (so the gateway cannot join types across subgraphs) and say so at start.
 */
export function requireGatewaySecretInProduction(config: GatewayAccessConfig): void {
  if (config.NODE_ENV === 'production' && !config.GATEWAY_SHARED_SECRET)
    throw new ConfigError([
      'GATEWAY_SHARED_SECRET: required in production (the same value on the gateway and every subgraph)',
    ]);
}
