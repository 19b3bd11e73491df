import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { AppError, ErrorCode, subgraphFetchDuration } from '@taoyuan/service-kit';

/** How long a client should wait before retrying a request that met a subgraph outage (seconds). */
const RETRY_AFTER_SECONDS = 1;

/** The answer when a subgraph cannot be reached: retryable, so clients tell an outage from a bug. */
export class SubgraphUnavailableError extends AppError {
  constructor(subgraph: string) {
    super(ErrorCode.SERVICE_UNAVAILABLE, `The ${subgraph} service is unavailable for now; retry shortly`, {
      service: subgraph,
      retryable: true,
    });
  }
}

/** Statuses a load balancer or a restarting subgraph answers: the same request may succeed later. */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * A subgraph data source that reports an unreachable or restarting subgraph as SERVICE_UNAVAILABLE (instead of the
 * INTERNAL_SERVER_ERROR Apollo gives every fetch failure). Fields of the other subgraphs still resolve.
 */
export class OutageAwareDataSource<Context extends object> extends RemoteGraphQLDataSource<Context> {
  /** The subgraph's name in the supergraph (set through the constructor options). */
  subgraphName?: string;

  /** Times every fetch (taoyuan_gateway_subgraph_fetch_duration_seconds), outages and errors included. */
  override async process(
    ...args: Parameters<RemoteGraphQLDataSource<Context>['process']>
  ): ReturnType<RemoteGraphQLDataSource<Context>['process']> {
    const stopTimer = subgraphFetchDuration.startTimer({ subgraph: this.subgraphName ?? 'unknown' });
    try {
      const response = await super.process(...args);
      stopTimer({ outcome: response.errors?.length ? 'error' : 'ok' });
      return response;
    } catch (error) {
      stopTimer({ outcome: error instanceof SubgraphUnavailableError ? 'unavailable' : 'error' });
      throw error;
    }
  }

  override didEncounterError(...args: Parameters<RemoteGraphQLDataSource<Context>['didEncounterError']>): void {
    const [error, , response] = args;
    const unreachable = response === undefined || UNAVAILABLE_STATUSES.has(response.status);
    if (unreachable && !(error instanceof AppError)) throw new SubgraphUnavailableError(this.subgraphName ?? 'a');
    super.didEncounterError(...args);
  }
}

/**
 * HTTP 503 (with Retry-After) when a subgraph outage left nothing to answer; a partial answer stays 200 with the
 * SERVICE_UNAVAILABLE error beside the data that did resolve.
 */
export function outagePlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: ({ response }) => {
          if (response.body.kind !== 'single') return Promise.resolve();
          const { data, errors } = response.body.singleResult;
          const outage = errors?.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE);
          const nothingResolved = !data || Object.values(data).every((value) => value === null);
          if (outage && nothingResolved) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
          }
          return Promise.resolve();
        },
      }),
  };
}
