import { AsyncLocalStorage } from 'node:async_hooks';
import { trace, TraceFlags } from '@opentelemetry/api';
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

/** With tracing on, a line written inside a sampled span names its trace: from a log line straight to the trace. */
function traceOfLogLine(): { traceId?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context && context.traceFlags & TraceFlags.SAMPLED ? { traceId: context.traceId } : {};
}

/** `destination` is stdout unless given (tests read the lines back). */
export function createLogger(
  service: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const scope = requestScope.getStore();
      const traced = traceOfLogLine();
      if (!scope) return traced;
      return scope.causationId
        ? { requestId: scope.requestId, causationId: scope.causationId, ...traced }
        : { requestId: scope.requestId, ...traced };
    },
    redact: { paths: ['req.headers.authorization', '*.password', '*.refreshToken', '*.accessToken'], remove: true },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
