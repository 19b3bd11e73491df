import { readFileSync } from 'node:fs';
import { parseTrustedProxies } from './domain/client-address';
import { baseConfigShape, ConfigError, jwksUrlSchema, loadConfig, portSchema, z } from '@taoyuan/service-kit';

/** A whole number from the environment with a default and bounds (counts or seconds). */
const wholeNumber = (fallback: number, min: number, max = 1_000_000_000) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

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
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .describe('IPs or CIDRs of proxies whose X-Forwarded-For is believed (comma-separated); none by default')
    .superRefine((value, context) => {
      try {
        parseTrustedProxies(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  LOGIN_FREE_FAILURES: wholeNumber(5, 1).describe(
    'failed sign-ins in a row, per phone and address, before delays start',
  ),
  LOGIN_PHONE_FREE_FAILURES: wholeNumber(20, 1).describe('the same per phone from all addresses together'),
  LOGIN_DELAY_BASE_SECONDS: wholeNumber(1, 1).describe('first delay; each further failure doubles it'),
  LOGIN_DELAY_MAX_SECONDS: wholeNumber(900, 1).describe('longest delay between two attempts'),
  LOGIN_FAILURE_MEMORY_SECONDS: wholeNumber(86_400, 60).describe('a run of failures is forgotten after this long'),
  LOGIN_KNOWN_ADDRESS_SECONDS: wholeNumber(90 * 86_400, 0).describe(
    'an address where a phone signed in stays exempt from that phone’s all-address delay this long (0: never)',
  ),
  LOGIN_ADDRESS_MAX_FAILURES: wholeNumber(100, 1).describe('failed sign-ins per client address in a window'),
  LOGIN_ADDRESS_WINDOW_SECONDS: wholeNumber(900, 1, 86_400),
  PASSWORD_HASH_CONCURRENCY: wholeNumber(2, 1).describe('argon2 operations at once per process'),
  PASSWORD_HASH_QUEUE: wholeNumber(32, 0).describe('argon2 operations waiting; beyond: TOO_MANY_REQUESTS'),
  SMS_PROVIDER: z.enum(['dev']).default('dev').describe('who sends SMS; dev logs them and serves /dev/sms-outbox'),
  REGISTRATION_CODE_TTL_SECONDS: wholeNumber(600, 60, 3_600),
  REGISTRATION_CODE_MAX_ATTEMPTS: wholeNumber(5, 1, 20),
  REGISTRATION_CODES_PER_PHONE: wholeNumber(5, 1).describe('codes sent to one phone per registration window'),
  REGISTRATION_CODES_PER_ADDRESS: wholeNumber(60, 1).describe('codes requested from one client address per window'),
  REGISTRATION_WINDOW_SECONDS: wholeNumber(3_600, 60, 86_400),
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
