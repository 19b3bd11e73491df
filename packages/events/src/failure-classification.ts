import { AppError, ErrorCode } from '@taoyuan/service-kit';

/**
 * transient: the same event will succeed once the world recovers (the database restarts, a deadlock clears), so it
 * is retried for as long as the retry budget allows with its partition paused.
 * permanent: retrying cannot change the outcome (a rule refused it, a constraint is violated, a bug); it gets a few
 * tries and then goes to the dead-letter topic.
 */
export type FailureKind = 'transient' | 'permanent';

/**
 * SQLSTATEs that say "try again": serialization_failure, deadlock_detected, lock_not_available (lock_timeout),
 * query_canceled (statement_timeout), admin_shutdown, crash_shutdown, cannot_connect_now (starting up),
 * too_many_connections, out_of_memory, and the whole class 08 (connection exception).
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '53300', '53200']);

/** Node socket and DNS errors of a peer that is down, restarting or unreachable for now. */
const TRANSIENT_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/** node-postgres and TypeORM say "the connection went away" in words, without a code. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /connection (?:is )?closed/i,
  /client has encountered a connection error/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /terminating connection/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
  /Query read timeout/i,
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The error and what it wraps: TypeORM's QueryFailedError keeps pg's error as `driverError`; others use `cause`. */
function chain(error: unknown): unknown[] {
  const errors: unknown[] = [];
  let current: unknown = error;
  while (isObject(current) && errors.length < 8 && !errors.includes(current)) {
    errors.push(current);
    current = current.driverError ?? current.cause ?? current.originalError;
  }
  if (!isObject(error)) errors.push(error);
  return errors;
}

function isTransientOne(error: unknown): boolean {
  if (error instanceof AppError)
    return error.code === ErrorCode.SERVICE_UNAVAILABLE || error.code === ErrorCode.TOO_MANY_REQUESTS;
  if (!isObject(error)) return false;
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && /^[0-9A-Z]{5}$/.test(code) && (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code))) return true;
  if (code && TRANSIENT_ERRNOS.has(code)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return TRANSIENT_MESSAGES.some((pattern) => pattern.test(message));
}

/** Decides whether a handler's failure is worth waiting out; anything unrecognised is permanent. */
export function classifyFailure(error: unknown): FailureKind {
  return chain(error).some(isTransientOne) ? 'transient' : 'permanent';
}
