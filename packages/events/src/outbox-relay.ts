import { withoutTracing, type Logger } from '@taoyuan/service-kit';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { OUTBOX_CHANNEL } from './outbox';
import { startPublishSpans } from './tracing';

export interface OutboxRelayOptions {
  /** The service's own database (a dedicated connection holds LISTEN and the leader lock). */
  databaseUrl: string;
  kafka: Kafka;
  logger: Logger;
  /** Names the advisory lock: one relay per service database publishes at a time, so per-key order holds. */
  service: string;
  batchSize?: number;
  pollIntervalMs?: number;
  /** Sent rows older than this are deleted. */
  retentionMs?: number;
  /** Test seam: runs after a batch is acknowledged by Kafka and before it is marked sent (a crash there duplicates). */
  afterPublish?: (eventIds: string[]) => Promise<void>;
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  message_key: string;
  headers: Record<string, string>;
  payload: unknown;
  created_at: Date;
}

export interface RelayStats {
  published: number;
  /** Commit → Kafka acknowledgement, per event, in milliseconds (the most recent 10,000). */
  latenciesMs: number[];
}

/**
 * Publishes pending outbox rows in id order with an idempotent producer (acks=all), then marks them sent. Replicas
 * compete for one PostgreSQL advisory lock: the holder relays, the others stand by, so rows of one key are never
 * published out of order by two relays (see docs/decisions/0003-events.md). A crash between publish and mark
 * republishes the batch; consumers deduplicate by event id.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retentionMs: number;
  private client: Client | undefined;
  private producer: Producer | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private isLeader = false;
  private lastPrune = 0;
  readonly stats: RelayStats = { published: 0, latenciesMs: [] };

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3600_000;
  }

  async start(): Promise<void> {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.closeConnections();
  }

  private async run(): Promise<void> {
    let backoffMs = 200;
    while (this.running) {
      try {
        await this.ensureConnected();
        if (!this.isLeader) {
          await this.sleep(this.pollIntervalMs);
          continue;
        }
        const published = await this.publishBatch();
        await this.pruneSent();
        backoffMs = 200;
        if (published < this.batchSize) await this.sleep(this.pollIntervalMs);
      } catch (error) {
        if (!this.running) break;
        this.options.logger.warn({ err: error, retryInMs: backoffMs }, 'outbox relay could not publish; will retry');
        await this.closeConnections();
        await this.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
  }

  private async ensureConnected(): Promise<void> {
    if (!this.client) {
      const client = new Client({
        connectionString: this.options.databaseUrl,
        application_name: `${this.options.service}-outbox-relay`,
      });
      client.on('error', (error) => this.options.logger.warn({ err: error }, 'outbox relay connection error'));
      client.on('notification', () => this.wake?.());
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.client = client;
    }
    if (!this.isLeader) {
      const { rows } = await this.client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [`outbox-relay:${this.options.service}`],
      );
      this.isLeader = rows[0]?.locked === true;
      if (this.isLeader) this.options.logger.info('outbox relay is the active publisher');
    }
    if (this.isLeader && !this.producer) {
      const producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        // Kafka's own (murmur2) partitioner: the same key lands on the same partition as with Java producers.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
    }
  }

  /** One batch: read pending rows in order, publish, mark. Returns how many were published. */
  async publishBatch(): Promise<number> {
    const client = this.client;
    const producer = this.producer;
    if (!client || !producer) return 0;
    const { rows } = await client.query<OutboxRow>(
      `SELECT id, event_id, topic, message_key, headers, payload, created_at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1`,
      [this.batchSize],
    );
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.message_key, value: JSON.stringify(row.payload), headers: row.headers });
      byTopic.set(row.topic, messages);
    }
    const publishing = startPublishSpans(rows);
    try {
      // kafkajs's own producer spans are left out: one sendBatch carries events of many traces, so they would be
      // parentless traces of their own; each row's publish span stands in its event's trace instead.
      await withoutTracing(() =>
        producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        }),
      );
    } catch (error) {
      publishing.end(error);
      throw error;
    }
    publishing.end();
    const acknowledgedAt = Date.now();
    await this.options.afterPublish?.(rows.map((row) => row.event_id));
    await client.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
    this.stats.published += rows.length;
    for (const row of rows) this.stats.latenciesMs.push(acknowledgedAt - row.created_at.getTime());
    if (this.stats.latenciesMs.length > 10_000)
      this.stats.latenciesMs.splice(0, this.stats.latenciesMs.length - 10_000);
    this.options.logger.debug({ count: rows.length }, 'outbox batch published');
    return rows.length;
  }

  private async pruneSent(): Promise<void> {
    if (Date.now() - this.lastPrune < 60_000 || !this.client) return;
    this.lastPrune = Date.now();
    const result = await this.client.query(`DELETE FROM outbox WHERE sent_at < now() - make_interval(secs => $1)`, [
      this.retentionMs / 1000,
    ]);
    if (result.rowCount) this.options.logger.info({ pruned: result.rowCount }, 'pruned sent outbox rows');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async closeConnections(): Promise<void> {
    const producer = this.producer;
    const client = this.client;
    this.producer = undefined;
    this.client = undefined;
    this.isLeader = false;
    await producer?.disconnect().catch(() => undefined);
    // Closing the session also releases the advisory lock for a standby replica.
    await client?.end().catch(() => undefined);
  }
}
