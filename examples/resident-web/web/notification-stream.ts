/** A notification as the stream sends it (the `data:` of an `event: notification`), already in the page's language. */
export interface StreamedNotification {
  id: string;
  sequence: number;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  read: boolean;
}

export interface NotificationStreamOptions {
  url: string;
  token: () => string | undefined;
  onNotification: (notification: StreamedNotification) => void;
  onStateChange?: (state: 'open' | 'reconnecting') => void;
  /** The last sequence the page already shows: the stream starts after it. */
  lastEventId?: string;
}

/**
 * The resident's live notifications over Server-Sent Events. EventSource cannot send an Authorization header, so
 * this reads the stream with fetch() and parses the events itself; after a drop it reconnects with Last-Event-ID,
 * and the service replays exactly what was missed.
 */
export function openNotificationStream(options: NotificationStreamOptions): { close(): void } {
  const controller = new AbortController();
  let lastEventId = options.lastEventId;
  let retryMs = 3_000;

  const connect = async (): Promise<void> => {
    const headers: Record<string, string> = { accept: 'text/event-stream', 'accept-language': 'zh-CN' };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const response = await fetch(options.url, { headers, signal: controller.signal, cache: 'no-store' });
    if (!response.ok || !response.body) throw new Error(`notification stream answered ${response.status}`);
    options.onStateChange?.('open');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  };

  const dispatch = (block: string) => {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (id !== undefined) lastEventId = id;
    if (event === 'notification' && data.length > 0)
      options.onNotification(JSON.parse(data.join('\n')) as StreamedNotification);
  };

  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        await connect();
      } catch {
        // Dropped, refused or offline: wait and resume after the last event seen.
      }
      if (controller.signal.aborted) return;
      options.onStateChange?.('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
  void run();
  return { close: () => controller.abort() };
}
