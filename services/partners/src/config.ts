import { baseConfigShape, jwksUrlSchema, loadConfig, portSchema, z } from '@taoyuan/service-kit';

export const partnersConfigShape = {
  ...baseConfigShape,
  PORT: portSchema(4006),
  JWKS_URL: jwksUrlSchema,
  /**
   * Hosts, addresses or CIDRs that webhooks may reach although they are loopback or private (comma-separated), e.g.
   * `127.0.0.1` on a developer's machine. Empty in production: partners' endpoints are on the public internet.
   */
  WEBHOOK_ALLOWED_HOSTS: z.string().default(''),
  /** Seconds to wait before each retry; the default spreads eight retries over about a day. */
  WEBHOOK_RETRY_SCHEDULE: z.string().default('5,30,120,600,1800,3600,7200,14400,28800,28800'),
  /** Deliveries in flight at once in this process. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** How often the dispatcher looks for due deliveries when nothing woke it (milliseconds). */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /** One request's whole time, connect to last byte kept (milliseconds). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
};

export type PartnersConfig = ReturnType<typeof loadPartnersConfig>;

export function loadPartnersConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(partnersConfigShape, env);
}

/** "5,30,120" → [5000, 30000, 120000] milliseconds; bad entries stop the process at start. */
export function retryScheduleMs(schedule: string): number[] {
  const delays = schedule.split(',').map((item) => Number(item.trim()));
  if (delays.length === 0 || delays.some((delay) => !Number.isFinite(delay) || delay < 0))
    throw new Error(`WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds, got "${schedule}"`);
  return delays.map((seconds) => Math.round(seconds * 1000));
}
