import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { tracingStarted, withoutTracing } from '@taoyuan/service-kit';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

const tracer = trace.getTracer('@taoyuan/gateway');

/**
 * A span per subgraph fetch, and the W3C `traceparent` of that span sent to the subgraph, whose own spans then join the
 * client request's trace, named after the subgraph whatever the transport underneath.
 * Wrapped around the merging fetcher: a query merged into an identical one in flight gets its own span, but the
 * subgraph hears only the first request's traceparent, so the subgraph's side of the work appears in that trace.
 * Without tracing the base fetcher is called as it is.
 */
export function tracedFetcher(subgraph: string, base: Fetcher): Fetcher {
  return async (url, init) => {
    if (!tracingStarted()) return base(url, init);
    const method = init?.method ?? 'GET';
    const span = tracer.startSpan(`subgraph ${subgraph}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': method, 'url.full': url, 'graphql.subgraph.name': subgraph },
    });
    const active = trace.setSpan(context.active(), span);
    const headers: Record<string, string> = { ...init?.headers };
    propagation.inject(active, headers);
    try {
      // The transport's own http client span would only repeat this one and replace its traceparent: left out.
      const response = await context.with(active, () => withoutTracing(() => base(url, { ...init, headers })));
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    } catch (error) {
      if (error instanceof Error) span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  };
}
