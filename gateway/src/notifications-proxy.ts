import { Readable } from 'node:stream';
import type { Logger } from '@taoyuan/service-kit';
import { defaultSubgraphUrl, SUBGRAPHS, subgraphUrlVariable } from './subgraphs';

interface StreamRequest {
  header(name: string): string | undefined;
  on(event: 'close', listener: () => void): unknown;
}

interface StreamResponse {
  status(code: number): StreamResponse;
  setHeader(name: string, value: string): unknown;
  flushHeaders(): void;
  type(contentType: string): StreamResponse;
  send(body: string): unknown;
  end(): unknown;
  readonly headersSent: boolean;
}

/** What of express the proxy uses (the gateway carries no express types of its own). */
interface RouteHost {
  get(
    path: string,
    handler: (req: StreamRequest, res: StreamResponse & NodeJS.WritableStream) => Promise<void>,
  ): unknown;
}

export const NOTIFICATION_STREAM_PATH = '/notifications/stream';
/** The client's token, where to resume, and the language of the texts: all the stream needs. */
const FORWARDED = ['authorization', 'last-event-id', 'accept-language'];
const PASSED_BACK = ['content-type', 'cache-control', 'x-accel-buffering'];

/**
 * `GET /notifications/stream` on the public host, piped from the notifications subgraph chunk by chunk: each event
 * reaches the browser when the subgraph writes it, and the upstream request ends when the browser goes away. The
 * subgraph verifies the token itself, as for GraphQL.
 */
export function mountNotificationsProxy(
  app: RouteHost,
  urls: Record<string, string | undefined>,
  logger: Logger,
): void {
  const notifications = SUBGRAPHS.find((entry) => entry.name === 'notifications');
  if (!notifications) return;
  const origin = new URL(urls[subgraphUrlVariable(notifications.name)] ?? defaultSubgraphUrl(notifications)).origin;
  app.get(NOTIFICATION_STREAM_PATH, async (req, res) => {
    const aborter = new AbortController();
    req.on('close', () => aborter.abort());
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    for (const name of FORWARDED) {
      const value = req.header(name);
      if (value) headers[name] = value;
    }
    try {
      const upstream = await fetch(`${origin}${NOTIFICATION_STREAM_PATH}`, { headers, signal: aborter.signal });
      res.status(upstream.status);
      for (const name of PASSED_BACK) {
        const value = upstream.headers.get(name);
        if (value) res.setHeader(name, value);
      }
      res.setHeader('cache-control', 'no-cache, no-transform');
      res.flushHeaders();
      if (!upstream.body) {
        res.end();
        return;
      }
      const body = Readable.fromWeb(upstream.body);
      body.on('error', () => res.end());
      body.pipe(res);
    } catch (error) {
      if (aborter.signal.aborted) return;
      logger.warn({ err: error }, 'notification stream unavailable');
      if (res.headersSent) res.end();
      else
        res
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('Notifications are unavailable right now; the client reconnects shortly');
    }
  });
}
