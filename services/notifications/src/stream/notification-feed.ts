import { notificationStreamsOpen, type Logger } from '@taoyuan/service-kit';
import { Client } from 'pg';
import { NOTIFICATION_CHANNEL } from '../domain/notification.service';

/** One open stream, as the feed sees it. */
export interface FeedSubscriber {
  /** Something new may have committed for this recipient: fetch after the last sent number. */
  wake(): void;
  /** The process is stopping: end the response (the client reconnects elsewhere with Last-Event-ID). */
  close(): void;
}

/**
 * The stream processes' ear on the database: one connection LISTENs for the recipient ids that the consumer's
 * transactions NOTIFY at commit, whichever instance consumed the event — so there are no sticky sessions. A
 * notification is only a wake-up; what to send is always read from the table after the stream's last number, so a
 * NOTIFY lost while the connection was down costs nothing: on reconnect every stream catches up.
 */
export class NotificationFeed {
  private client: Client | undefined;
  private running = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly subscribers = new Map<string, Set<FeedSubscriber>>();

  constructor(private readonly options: { databaseUrl: string; logger: Logger; applicationName: string }) {}

  async start(): Promise<void> {
    this.running = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.reconnectTimer);
    // Each stream's close unsubscribes it (and counts it out of the gauge).
    for (const set of [...this.subscribers.values()]) for (const subscriber of [...set]) subscriber.close();
    this.subscribers.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  streamsOf(recipientId: string): number {
    return this.subscribers.get(recipientId)?.size ?? 0;
  }

  subscribe(recipientId: string, subscriber: FeedSubscriber): () => void {
    const set = this.subscribers.get(recipientId) ?? new Set<FeedSubscriber>();
    set.add(subscriber);
    this.subscribers.set(recipientId, set);
    notificationStreamsOpen.inc();
    let subscribed = true;
    // Once only: the gauge counts each stream once however often its end is signalled.
    return () => {
      if (!subscribed) return;
      subscribed = false;
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(recipientId) === set) this.subscribers.delete(recipientId);
      notificationStreamsOpen.dec();
    };
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: this.options.applicationName,
    });
    client.on('notification', (message) => {
      if (message.channel !== NOTIFICATION_CHANNEL || !message.payload) return;
      for (const subscriber of this.subscribers.get(message.payload) ?? []) subscriber.wake();
    });
    client.on('error', (error) => {
      this.options.logger.warn({ err: error }, 'notification feed connection failed; reconnecting');
      this.reconnectSoon(client);
    });
    client.on('end', () => this.reconnectSoon(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFICATION_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      if (!this.running) return;
      this.options.logger.warn({ err: error }, 'notification feed could not listen; retrying');
      this.reconnectTimer = setTimeout(() => void this.connect(), 1_000);
      return;
    }
    if (!this.running) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Whatever committed while nobody listened.
    for (const set of this.subscribers.values()) for (const subscriber of set) subscriber.wake();
  }

  private reconnectSoon(client: Client): void {
    if (this.client !== client || !this.running) return;
    this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(() => void this.connect(), 500);
  }
}
