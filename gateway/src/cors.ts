import cors from 'cors';

export interface CorsConfig {
  CORS_ORIGINS: string[];
  CORS_MAX_AGE_SECONDS: number;
}

/**
 * Headers a browser client sends: the bearer token, JSON, the headers Apollo's CSRF prevention accepts in place of a
 * preflight-free request, and the locale of the messages.
 */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'accept-language',
  'last-event-id',
];

/**
 * Only exact configured origins are answered: a wildcard would let any page use a resident's token the browser holds.
 * An origin not listed gets no CORS headers at all, so the browser refuses the response.
 */
export function corsMiddleware(config: CorsConfig): ReturnType<typeof cors> {
  const allowed = new Set(config.CORS_ORIGINS);
  return cors({
    origin: (requestOrigin, callback) => callback(null, requestOrigin !== undefined && allowed.has(requestOrigin)),
    credentials: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: config.CORS_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
}
