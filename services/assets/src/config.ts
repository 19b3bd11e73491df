import { baseConfigShape, jwksUrlSchema, loadConfig, portSchema, z } from '@taoyuan/service-kit';

export const assetsConfigShape = {
  ...baseConfigShape,
  PORT: portSchema(4005),
  JWKS_URL: jwksUrlSchema,
  EXPENSE_SECOND_APPROVAL_ABOVE_FEN: z.coerce
    .number()
    .int()
    .min(0)
    .default(500_000)
    .describe('an expense above this many fen needs two committee approvals (default 5,000 元)'),
  CAMPAIGN_QUORUM_PERCENT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(30)
    .describe('share of confirmed households that must vote for a campaign vote to count'),
};

export type AssetsConfig = ReturnType<typeof loadAssetsConfig>;

export function loadAssetsConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(assetsConfigShape, env);
}
