import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

interface RequestScope {
  requestId: string;
  /** Set while a consumer handles an event: the id of that event, the cause of whatever the handler publishes. */
  causationId?: string;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `work` with a request id that every log line written inside it carries. The request id is also the
 * correlation id of every event published inside (see Outbox.publish), so one GraphQL request and the events it
 * causes, in every service, share one id.
 */
export function runInRequestScope<T>(requestId: string, work: () => T, options: { causationId?: string } = {}): T {
  return requestScope.run({ requestId, causationId: options.causationId }, work);
}

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

export function currentCausationId(): string | undefined {
  return requestScope.getStore()?.causationId;
}

export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const scope = requestScope.getStore();
      if (!scope) return {};
      return scope.causationId
        ? { requestId: scope.requestId, causationId: scope.causationId }
        : { requestId: scope.requestId };
    },
    redact: { paths: ['req.headers.authorization', '*.password', '*.refreshToken', '*.accessToken'], remove: true },
  });
}

export type { Logger };
