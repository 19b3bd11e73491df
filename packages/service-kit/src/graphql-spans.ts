import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';

/** Operation names come from clients: a span is named after one only when it is a well-formed GraphQL name. */
function operationName(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'other';
}

/** Codes that mean the server failed (not the caller): the span is marked an error. */
const SERVER_FAULTS = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

/**
 * Names the request's HTTP server span after the GraphQL operation (`mutation VerifyAttendance`) and records its
 * error codes, so a trace reads as operations rather than a row of `POST`s. Without tracing there is no active span
 * and the plugin does nothing per request.
 */
export function tracingPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => {
      const span = trace.getActiveSpan();
      if (!span?.isRecording()) return;
      return {
        didResolveOperation: async ({ operation, operationName: requestName }) => {
          const name = operationName(requestName);
          const type = operation?.operation ?? 'query';
          span.updateName(`${type} ${name}`);
          span.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': name });
        },
        willSendResponse: async ({ response }) => {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (!errors?.length) return;
          const codes = [
            ...new Set(
              errors.map(({ extensions }) => (typeof extensions?.code === 'string' ? extensions.code : 'error')),
            ),
          ];
          span.setAttribute('graphql.error.codes', codes);
          if (codes.some((code) => SERVER_FAULTS.has(code))) span.setStatus({ code: SpanStatusCode.ERROR });
        },
      };
    },
  };
}
