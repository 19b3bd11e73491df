import { isPartnerCaller, negotiateLocale, type Locale, type Logger, type TokenVerifier } from '@taoyuan/service-kit';
import type { NotificationQueries } from '../domain/notification-queries';
import { notificationView } from '../domain/notification-view';
import type { NotificationFeed } from './notification-feed';

export const STREAM_PATH = '/notifications/stream';

/** Rows fetched per query while catching up; a long absence replays in several. */
const BATCH = 100;

interface StreamRequest {
  header(name: string): string | undefined;
  on(event: 'close', listener: () => void): unknown;
}

interface StreamResponse {
  status(code: number): StreamResponse;
  setHeader(name: string, value: string): unknown;
  flushHeaders(): void;
  write(chunk: string): boolean;
  end(): unknown;
  json(body: unknown): unknown;
  readonly writableEnded: boolean;
}

interface RouteHost {
  get(path: string, handler: (req: StreamRequest, res: StreamResponse) => Promise<void>): unknown;
}

export interface StreamOptions {
  feed: NotificationFeed;
  queries: NotificationQueries;
  verifyToken: TokenVerifier;
  heartbeatMs: number;
  /** Each open stream holds a socket, a timer and a wake-up: a runaway client or a script gets only this many. */
  maxStreamsPerResident: number;
  defaultLocale: Locale;
  logger: Logger;
}

/**
 * The number the client echoes back after a drop (`0`: everything stored). Absent or garbled: undefined, and the
 * stream sends only what arrives from now on — history is what the GraphQL list is for, and a resident with
 * thousands of notifications should not receive them all on every page load.
 */
function lastEventId(header: string | undefined): string | undefined {
  return header && /^\d{1,18}$/.test(header.trim()) ? header.trim() : undefined;
}

function unauthenticated(res: StreamResponse, message: string): void {
  res.status(401).json({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
}

/**
 * `GET /notifications/stream`: the signed-in resident's notifications as Server-Sent Events, `id:` = their
 * per-resident number. First everything after `Last-Event-ID` from the table (without one: nothing stored, only
 * what arrives from now on), then whatever commits later — one sender per stream that always reads "after the last
 * number sent", so replay and live never overlap or leave a gap.
 */
export function mountNotificationStream(app: RouteHost, options: StreamOptions): void {
  app.get(STREAM_PATH, async (req, res) => {
    let principal;
    try {
      principal = await options.verifyToken(req.header('authorization'));
    } catch (error) {
      unauthenticated(res, error instanceof Error ? error.message : 'Invalid access token');
      return;
    }
    if (!principal || isPartnerCaller(principal)) {
      unauthenticated(res, 'The notification stream needs a resident’s bearer token');
      return;
    }
    const recipientId = principal.userId;
    if (options.feed.streamsOf(recipientId) >= options.maxStreamsPerResident) {
      res.status(429).json({
        errors: [
          {
            message: `At most ${options.maxStreamsPerResident} notification streams at once; close one first`,
            extensions: { code: 'TOO_MANY_REQUESTS' },
          },
        ],
      });
      return;
    }
    const locale = negotiateLocale(req.header('accept-language'), options.defaultLocale);
    const resumeAfter = lastEventId(req.header('last-event-id'));
    let last = resumeAfter ?? '0';
    let closed = false;
    let sending = false;
    let again = false;

    const send = async (): Promise<void> => {
      if (sending) {
        again = true;
        return;
      }
      sending = true;
      try {
        do {
          again = false;
          let rows;
          do {
            rows = await options.queries.afterSequence(recipientId, last, BATCH);
            for (const row of rows) {
              if (closed) return;
              const data = JSON.stringify(notificationView(row, locale));
              res.write(`id: ${row.sequence}\nevent: notification\ndata: ${data}\n\n`);
              last = row.sequence;
            }
          } while (rows.length === BATCH && !closed);
        } while (again && !closed);
      } catch (error) {
        // The next wake-up (a notification, the feed's reconnect) tries again from the same number.
        if (!closed) options.logger.warn({ err: error }, 'notification stream could not read');
      } finally {
        sending = false;
      }
    };

    let heartbeat: NodeJS.Timeout | undefined = undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      if (!res.writableEnded) res.end();
    };
    // Wake-ups before the starting number is known would read from 0: they wait for it.
    let started = false;
    const unsubscribe = options.feed.subscribe(recipientId, { wake: () => started && void send(), close });
    req.on('close', close);
    // Subscribed first, so a notification committed after this read wakes the sender; the headers go out only then,
    // so whatever commits after the client has them is delivered.
    if (resumeAfter === undefined) {
      try {
        last = await options.queries.newestSequence(recipientId);
      } catch (error) {
        options.logger.warn({ err: error }, 'notification stream could not read the newest number');
        closed = true;
        unsubscribe();
        res.status(503).json({
          errors: [{ message: 'Notifications are unavailable; retry', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
        });
        return;
      }
    }
    if (closed) return;
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('connection', 'keep-alive');
    // nginx and similar proxies would otherwise hold events back in their buffers.
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n\n');

    heartbeat = setInterval(() => {
      if (!closed) res.write(': heartbeat\n\n');
    }, options.heartbeatMs);
    started = true;
    await send();
  });
}
