import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** What makes two subgraph requests the same question: where, what, as whom and in which language. */
function requestKey(url: string, init: FetcherRequestInit | undefined): string | undefined {
  if (!init || (init.method ?? 'GET').toUpperCase() !== 'POST' || typeof init.body !== 'string') return undefined;
  let query: unknown;
  try {
    query = (JSON.parse(init.body) as { query?: unknown }).query;
  } catch {
    return undefined;
  }
  // Only reads: a mutation runs once per client request, however alike two of them look.
  if (typeof query !== 'string' || !/^\s*(query\b|\{)/.test(query)) return undefined;
  const header = (name: string) =>
    Object.entries(init.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1] ?? '';
  return JSON.stringify([url, init.body, header('authorization'), header('accept-language')]);
}

interface SettledResponse {
  body: string;
  status: number;
  statusText: string;
  headers: [string, string][];
}

/**
 * A fetcher for the gateway's subgraph data sources on Node's built-in fetch (undici: a keep-alive connection pool
 * per origin, no per-request Error allocation), which merges identical in-flight queries: while one request for the
 * same subgraph URL, body (query and variables), Authorization and Accept-Language is on its way, another waits for
 * its answer instead of sending its own. Mutations are never merged. See docs/decisions/0013-runtime-build-and-subgraph-transport.md.
 */
export function mergingFetcher(base: Fetcher = fetch): Fetcher & { inFlight(): number } {
  const inFlight = new Map<string, Promise<SettledResponse>>();
  const fetcher = async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
    const key = requestKey(url, init);
    if (key === undefined) return base(url, init);
    let pending = inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        try {
          const response = await base(url, init);
          return {
            body: await response.text(),
            status: response.status,
            statusText: response.statusText,
            headers: [...response.headers],
          };
        } finally {
          inFlight.delete(key);
        }
      })();
      inFlight.set(key, pending);
    }
    const settled = await pending;
    // Each waiter reads its own copy of the body.
    return new Response(settled.body, {
      status: settled.status,
      statusText: settled.statusText,
      headers: settled.headers,
    });
  };
  return Object.assign(fetcher, { inFlight: () => inFlight.size });
}
