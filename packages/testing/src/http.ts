import { createGatewayCredentialSigner, GATEWAY_CREDENTIAL_HEADER } from '@taoyuan/service-kit';

export interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphqlResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: GraphqlError[];
  headers: Headers;
}

export interface GraphqlRequestOptions {
  token?: string;
  /** Raw Authorization header, for tests of malformed headers. */
  authorization?: string;
  headers?: Record<string, string>;
  /**
   * Call as the gateway would: present its credential for this subgraph (by name), signed with TEST_GATEWAY_SECRET,
   * which the test starters give every subgraph. Needed for `_entities` and `_service`.
   */
  asGatewayTo?: string;
}

/** The GATEWAY_SHARED_SECRET of subgraphs and gateways started by tests. */
export const TEST_GATEWAY_SECRET = 'test-gateway-secret-0123456789-abcdefghijklmnop';
const signTestCredential = createGatewayCredentialSigner(TEST_GATEWAY_SECRET);

/** POSTs one GraphQL operation the way a browser client would (JSON, with Apollo's CSRF-safe content type). */
export async function graphqlRequest<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: GraphqlRequestOptions = {},
): Promise<GraphqlResponse<Data>> {
  // Suites assert the English texts the code raises; a test of the Chinese ones asks for zh-CN itself.
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'accept-language': 'en',
    ...options.headers,
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  if (options.asGatewayTo) headers[GATEWAY_CREDENTIAL_HEADER] = await signTestCredential(options.asGatewayTo);
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Data | null; errors?: GraphqlError[] };
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

/** The data of a request that must succeed; otherwise fails with the errors it got. */
export async function graphqlData<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: GraphqlRequestOptions = {},
): Promise<Data> {
  const response = await graphqlRequest<Data>(url, query, variables, options);
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL request failed (${response.status}): ${JSON.stringify(response.errors ?? response)}`);
  }
  return response.data;
}

/** The first error's code of a request that must fail. */
export async function graphqlErrorCode(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: GraphqlRequestOptions = {},
): Promise<string | undefined> {
  const response = await graphqlRequest(url, query, variables, options);
  return response.errors?.[0]?.extensions?.code;
}

/** One Server-Sent Event as a browser's EventSource would dispatch it. */
export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

export interface EventStreamReader {
  status: number;
  headers: Headers;
  /** Every event received so far, in order; grows while the stream is open. */
  events: ServerSentEvent[];
  /** Comment lines (`: …`) received so far, e.g. heartbeats. */
  comments: string[];
  /** Resolves when the server ends the stream (or `close()` did). */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens a `text/event-stream` with fetch (so it can send Authorization, which EventSource cannot) and parses it as
 * the Server-Sent Events specification does: blocks separated by a blank line, `id:`, `event:`, `data:` and comments.
 */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamReader> {
  const aborter = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: aborter.signal });
  const events: ServerSentEvent[] = [];
  const comments: string[] = [];
  const parseBlock = (block: string) => {
    const event: ServerSentEvent = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') data.push(value);
      }
    }
    if (data.length > 0) events.push({ ...event, data: data.join('\n') });
  };
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) !== -1) {
          parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        }
      }
    } catch {
      // aborted by close(), or the server went away: the events so far stay
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    ended,
    close: () => aborter.abort(),
  };
}
