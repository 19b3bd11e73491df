import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** A subgraph's whole answer, read once; any number of callers may wrap it (a string body is never mutated). */
export interface SettledResponse {
  url: string;
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

/** Sends one request and reads the whole answer. */
export type SubgraphSender = (url: string, init?: FetcherRequestInit) => Promise<SettledResponse>;

/**
 * Apollo serializes a subgraph request as `{"query":"…",…}` holding exactly one operation, so its first word tells a
 * query from a mutation without parsing the body. A body in any other shape is not merged.
 */
const QUERY_BODY = /^\{"query":"(?:query\b|\{)/;

/** What makes two subgraph requests the same question: where, what, as whom and in which language. */
function requestKey(url: string, init: FetcherRequestInit | undefined): string | undefined {
  if (!init || (init.method ?? 'GET').toUpperCase() !== 'POST' || typeof init.body !== 'string') return undefined;
  // Only reads: a mutation runs once per client request, however alike two of them look.
  if (!QUERY_BODY.test(init.body)) return undefined;
  const headers = init.headers ?? {};
  return JSON.stringify([url, init.body, headerOf(headers, 'authorization'), headerOf(headers, 'accept-language')]);
}

function headerOf(headers: Record<string, string>, name: string): string {
  const exact = headers[name];
  if (exact !== undefined) return exact;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return '';
}

/** The part of a fetch Response that RemoteGraphQLDataSource (and the tracing wrapper) reads, over a settled answer. */
class SettledFetcherResponse implements FetcherResponse {
  readonly redirected = false;
  readonly headers: Headers;
  private used = false;

  constructor(private readonly settled: SettledResponse) {
    this.headers = new Headers(settled.headers);
  }

  get url() {
    return this.settled.url;
  }
  get status() {
    return this.settled.status;
  }
  get statusText() {
    return this.settled.statusText;
  }
  get ok() {
    return this.settled.status >= 200 && this.settled.status < 300;
  }
  get bodyUsed() {
    return this.used;
  }

  text(): Promise<string> {
    if (this.used) return Promise.reject(new TypeError('Body has already been read'));
    this.used = true;
    return Promise.resolve(this.settled.body);
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(await this.text(), 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  clone(): SettledFetcherResponse {
    return new SettledFetcherResponse(this.settled);
  }
}

/**
 * An idle pooled connection is closed after this long: a minute, so the pool survives quiet spells (reopening dozens
 * of connections when traffic returns cost a burst's first second 0.5–1 s), and before the subgraph's server closes
 * it (service-kit keeps connections 65 s): a request written just as the server closes the socket would fail for no
 * reason.
 */
const IDLE_SOCKET_MS = 60_000;

/**
 * Subgraph requests on node:http with a keep-alive agent (one pool per subgraph origin). Node's fetch would build a
 * WHATWG Request, an AbortSignal and web streams for every request and response, which cost the gateway more CPU
 * than planning and executing the query (docs/decisions/0013). No Error is allocated unless a request fails.
 */
export function keepAliveSender(): SubgraphSender {
  const agents = {
    http: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    https: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  const targets = new Map<string, http.RequestOptions & { secure: boolean }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      const secure = parsed.protocol === 'https:';
      target = {
        secure,
        hostname: parsed.hostname.replace(/^\[|\]$/g, ''),
        port: parsed.port || (secure ? 443 : 80),
        path: `${parsed.pathname}${parsed.search}`,
        agent: secure ? agents.https : agents.http,
      };
      targets.set(url, target);
    }
    return target;
  };
  const attempt = (url: string, init: FetcherRequestInit, retryStaleSocket: boolean) =>
    new Promise<SettledResponse>((resolve, reject) => {
      const { secure, ...target } = targetOf(url);
      const headers: Record<string, string> = { ...init.headers };
      if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
      const request = (secure ? https : http).request(
        { ...target, method: init.method ?? 'GET', headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const pairs: [string, string][] = [];
            for (let index = 0; index < response.rawHeaders.length; index += 2)
              pairs.push([response.rawHeaders[index], response.rawHeaders[index + 1]]);
            resolve({
              url,
              status: response.statusCode ?? 0,
              statusText: response.statusMessage ?? '',
              headers: pairs,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A pooled connection the subgraph closed as the request went out: nothing was answered, and a query may be
        // sent again on a fresh connection. A mutation is not (it may have arrived); its caller gets the error.
        if (retryStaleSocket && request.reusedSocket && error.code === 'ECONNRESET') resolve(attempt(url, init, false));
        else reject(error);
      });
      request.end(init.body);
    });
  return (url, init = {}) => attempt(url, init, typeof init.body === 'string' && QUERY_BODY.test(init.body));
}

/**
 * The gateway's subgraph fetcher: keep-alive node:http underneath (keepAliveSender), and identical in-flight queries
 * merged: while one request for the same subgraph URL, body (query and variables), Authorization and
 * Accept-Language is on its way, another waits for its answer instead of sending its own. Mutations are never
 * merged. See docs/decisions/0013-runtime-build-and-subgraph-transport.md.
 */
export function mergingFetcher(send: SubgraphSender = keepAliveSender()): Fetcher & { inFlight(): number } {
  const inFlight = new Map<string, Promise<SettledResponse>>();
  const fetcher = async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
    const key = requestKey(url, init);
    if (key === undefined) return new SettledFetcherResponse(await send(url, init));
    let pending = inFlight.get(key);
    if (!pending) {
      pending = send(url, init).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    // Each waiter reads its own response over the one answer.
    return new SettledFetcherResponse(await pending);
  };
  return Object.assign(fetcher, { inFlight: () => inFlight.size });
}
