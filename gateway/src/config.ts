import {
  baseConfigShape,
  gatewayAccessConfigShape,
  jwksUrlSchema,
  loadConfig,
  portSchema,
  queryLimitsConfigShape,
  requireGatewaySecretInProduction,
  z,
} from '@taoyuan/service-kit';
import { admissionConfigShape } from './admission';
import { frontEndConfigShape } from './front-end-config';

const { NODE_ENV, LOG_LEVEL, HOST, JWT_ISSUER, JWT_AUDIENCE } = baseConfigShape;

export const gatewayConfigShape = {
  NODE_ENV,
  LOG_LEVEL,
  HOST,
  JWT_ISSUER,
  JWT_AUDIENCE,
  PORT: portSchema(4000),
  JWKS_URL: jwksUrlSchema.default('http://127.0.0.1:4001/.well-known/jwks.json'),
  SUPERGRAPH_FILE: z
    .string()
    .optional()
    .describe('composed supergraph SDL; defaults to the committed gateway/supergraph.graphql'),
  BODY_LIMIT: z.string().default('100kb'),
  ...queryLimitsConfigShape,
  GATEWAY_SHARED_SECRET: gatewayAccessConfigShape.GATEWAY_SHARED_SECRET,
  QUERY_PLAN_CACHE_MIB: z.coerce.number().int().min(1).default(30).describe('in-memory LRU of query plans'),
  IDENTITY_URL: z.string().url().optional(),
  VOLUNTEERING_URL: z.string().url().optional(),
  ORGANIZATIONS_URL: z.string().url().optional(),
  MARKETPLACE_URL: z.string().url().optional(),
  ASSETS_URL: z.string().url().optional(),
  PARTNERS_URL: z.string().url().optional(),
  NOTIFICATIONS_URL: z.string().url().optional(),
  ...frontEndConfigShape,
  ...admissionConfigShape,
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(gatewayConfigShape, env);
  requireGatewaySecretInProduction(config);
  return config;
}
