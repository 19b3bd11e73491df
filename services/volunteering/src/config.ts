import { baseConfigShape, jwksUrlSchema, loadConfig, portSchema } from '@taoyuan/service-kit';

export const volunteeringConfigShape = {
  ...baseConfigShape,
  PORT: portSchema(4002),
  JWKS_URL: jwksUrlSchema,
};

export type VolunteeringConfig = ReturnType<typeof loadVolunteeringConfig>;

export function loadVolunteeringConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(volunteeringConfigShape, env);
}
