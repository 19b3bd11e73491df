import { readFileSync } from 'node:fs';
import { baseConfigShape, ConfigError, jwksUrlSchema, loadConfig, portSchema, z } from '@taoyuan/service-kit';

export const identityConfigShape = {
  ...baseConfigShape,
  PORT: portSchema(4001),
  JWKS_URL: jwksUrlSchema.optional(),
  JWT_PRIVATE_KEY: z.string().optional().describe('Ed25519 private key, PKCS#8 PEM (\\n allowed for newlines)'),
  JWT_PRIVATE_KEY_FILE: z.string().optional().describe('file holding JWT_PRIVATE_KEY instead'),
  JWT_PREVIOUS_PUBLIC_KEYS: z
    .string()
    .optional()
    .describe('previous public keys (PEM, separated by blank lines), still served in the JWKS after a rotation'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 86_400),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
};

export type IdentityConfig = ReturnType<typeof loadIdentityConfig>;

export function loadIdentityConfig(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(identityConfigShape, env);
  const privateKey =
    config.JWT_PRIVATE_KEY ??
    (config.JWT_PRIVATE_KEY_FILE ? readFileSync(config.JWT_PRIVATE_KEY_FILE, 'utf8') : undefined);
  if (!privateKey) throw new ConfigError(['JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE: one is required']);
  return { ...config, JWT_PRIVATE_KEY: privateKey };
}
