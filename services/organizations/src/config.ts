import { baseConfigShape, jwksUrlSchema, loadConfig, portSchema, z } from '@taoyuan/service-kit';

export const organizationsConfigShape = {
  ...baseConfigShape,
  PORT: portSchema(4003),
  JWKS_URL: jwksUrlSchema,
  MAX_LEADERS_PER_ORGANIZATION: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(3)
    .describe('LEADERs per organization in communities whose committee has not set their own limit'),
};

export type OrganizationsConfig = ReturnType<typeof loadOrganizationsConfig>;

export function loadOrganizationsConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(organizationsConfigShape, env);
}
