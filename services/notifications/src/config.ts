import { baseConfigShape, jwksUrlSchema, loadConfig, portSchema, z } from '@taoyuan/service-kit';

export const notificationsConfigShape = {
  ...baseConfigShape,
  PORT: portSchema(4007),
  JWKS_URL: jwksUrlSchema,
  NOTIFICATION_HEARTBEAT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(300)
    .default(15)
    .describe(
      'a comment line on every open notification stream this often, so proxies keep it open and clients see it alive',
    ),
  NOTIFICATION_STREAMS_PER_RESIDENT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('open streams one resident may hold on one instance (tabs, devices); one more is TOO_MANY_REQUESTS'),
  NOTIFICATION_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(365)
    .describe('notifications older than this are deleted (checked at start and every hour)'),
};

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;

export function loadNotificationsConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(notificationsConfigShape, env);
}
