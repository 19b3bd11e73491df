import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';

/**
 * Stable error codes clients may branch on (`extensions.code`). Add domain codes here, never ad hoc strings in
 * resolvers, so the catalogue of what a client can see stays in one place.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  INSUFFICIENT_POINTS = 'INSUFFICIENT_POINTS',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  BAD_REQUEST = 'BAD_REQUEST',
  /** A dependency (a subgraph, the database) is down for now: the same request may succeed later. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.BAD_USER_INPUT:
      return 400;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.CONFLICT:
    case ErrorCode.INSUFFICIENT_POINTS:
      return 409;
    case ErrorCode.TOO_MANY_REQUESTS:
      return 429;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.BAD_REQUEST:
      return 400;
    case ErrorCode.SERVICE_UNAVAILABLE:
      return 503;
    case ErrorCode.INTERNAL_SERVER_ERROR:
      return 500;
  }
}

export type ErrorDetails = Record<string, string | number | boolean | null | string[]>;

/** An error meant for the client: its message and details are safe to show. */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, { extensions: { code, ...details } });
    this.code = code;
    this.name = 'AppError';
  }

  /** The same error, tagged with the HTTP status a transport should use when it aborts the whole request. */
  withHttpStatus(): this {
    this.extensions.http = { status: httpStatusFor(this.code) };
    return this;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'You must be signed in') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

/**
 * Why a FORBIDDEN or CONFLICT happened, as a stable identifier (`extensions.reason`, e.g. SHIFT_FULL, LAST_LEADER),
 * so front-ends branch on it instead of parsing messages. The README lists every reason.
 */
export type ErrorReason = Uppercase<string>;

export class ForbiddenError extends AppError {
  readonly reason: ErrorReason;

  constructor(reason: ErrorReason, message = 'You are not allowed to do this') {
    super(ErrorCode.FORBIDDEN, message, { reason });
    this.reason = reason;
  }
}

export class BadUserInputError extends AppError {
  constructor(message: string, field?: string) {
    super(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id?: string) {
    super(ErrorCode.NOT_FOUND, id ? `${what} ${id} was not found` : `${what} was not found`);
  }
}

export class ConflictError extends AppError {
  readonly reason: ErrorReason;

  constructor(reason: ErrorReason, message: string) {
    super(ErrorCode.CONFLICT, message, { reason });
    this.reason = reason;
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(ErrorCode.TOO_MANY_REQUESTS, message, { retryAfterSeconds });
  }
}

/**
 * Codes that graphql-js, Apollo Server, the gateway and the query limits produce themselves for a bad request, besides
 * the ErrorCode ones (BAD_USER_INPUT, BAD_REQUEST, …); safe to pass through.
 */
const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * Apollo `formatError`: client errors pass with their code; anything else is logged with its stack and reaches the
 * client as INTERNAL_SERVER_ERROR without internals.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    // Apollo labels every unknown error INTERNAL_SERVER_ERROR, so that code alone does not make an error safe to show.
    const isClientError =
      original instanceof AppError ||
      (typeof code === 'string' &&
        code !== String(ErrorCode.INTERNAL_SERVER_ERROR) &&
        (KNOWN_CODES.has(code) || PASS_THROUGH_CODES.has(code)));
    if (isClientError) {
      const { stacktrace: _stacktrace, http: _http, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while handling a GraphQL request');
    return internal(formatted);
  };
}

function internal(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
