import { z } from '@taoyuan/service-kit';

const origin = z
  .string()
  .url()
  .refine(
    (value) => URL.canParse(value) && new URL(value).origin === value,
    'an exact origin scheme://host[:port], with no path, slash or wildcard (the gateway takes credentials)',
  );

/** What browsers and front-end builds need from the gateway: CORS, the IDE, trusted documents, the message language. */
export const frontEndConfigShape = {
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin))
    .describe('comma-separated exact origins allowed to call the gateway from a browser; empty = none'),
  CORS_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(600)
    .describe('how long a browser may cache a preflight answer'),
  GRAPHIQL: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1' || value === 'yes'))
    .describe('serve the offline GraphiQL at GET /graphql; default on except in production'),
  DEFAULT_LOCALE: z
    .enum(['zh-CN', 'en'])
    .default('zh-CN')
    .describe('language of error messages when the request names none in Accept-Language'),
  PERSISTED_DOCUMENTS: z
    .enum(['off', 'allowed', 'required'])
    .default('allowed')
    .describe('allowed: manifest ids and APQ work beside any query; required: only documents of the manifest run'),
  PERSISTED_DOCUMENTS_MANIFEST: z
    .string()
    .optional()
    .describe('JSON manifest { "<sha256 hex>": "<document>" } of the trusted documents'),
};
