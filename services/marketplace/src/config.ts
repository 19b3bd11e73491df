import { baseConfigShape, jwksUrlSchema, loadConfig, portSchema, z } from '@taoyuan/service-kit';

export const marketplaceConfigShape = {
  ...baseConfigShape,
  PORT: portSchema(4004),
  JWKS_URL: jwksUrlSchema,
  ORDER_PAYMENT_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(900)
    .describe('an order paid in points still unpaid after this long is cancelled (a later debit is refunded)'),
  MARKETPLACE_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(50)
    .default(15_000)
    .describe('how often unpaid orders, delivered orders and needs past neededBy are swept'),
};

export type MarketplaceConfig = ReturnType<typeof loadMarketplaceConfig>;

export function loadMarketplaceConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(marketplaceConfigShape, env);
}
