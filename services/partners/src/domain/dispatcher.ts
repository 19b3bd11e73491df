import { randomUUID } from 'node:crypto';
import { WebhookEndpointDisabled, type Outbox } from '@taoyuan/events';
import type { Logger } from '@taoyuan/service-kit';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { AddressPolicy } from './address-policy';
import { signedRequest } from './webhook-signer';
import { sendWebhook, type SendResult } from './webhook-sender';

/** Channel NOTIFYed (on commit) when messages are queued, so the dispatcher need not wait for its poll. */
export const WEBHOOK_CHANNEL = 'webhook_messages';

export interface DispatcherOptions {
  dataSource: DataSource;
  databaseUrl: string;
  logger: Logger;
  policy: AddressPolicy;
  outbox: Outbox;
  /** Pause before retry n (milliseconds); after the last, the message fails and its endpoint is disabled. */
  retryScheduleMs: number[];
  concurrency: number;
  pollMs: number;
  timeoutMs: number;
  /** How long a claimed message stays invisible to other dispatchers while its attempt runs. */
  leaseMs?: number;
}

interface DueMessage {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  event_time: Date;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
  client_id: string;
  user_id: string | null;
}

/**
 * Delivers queued webhook messages, at least once. A message is claimed with a lease (so several processes share
 * the work without sending one attempt twice), sent outside any transaction, then marked. Only the oldest pending
 * message of each endpoint and subject is ever due, so one subject's events arrive in order even across retries.
 */
export class WebhookDispatcher {
  private running = false;
  private inFlight = 0;
  private wake: (() => void) | null = null;
  private listener: Client | null = null;
  private loop: Promise<void> | null = null;
  private readonly leaseMs: number;

  constructor(private readonly options: DispatcherOptions) {
    this.leaseMs = options.leaseMs ?? options.timeoutMs * 3 + 5_000;
  }

  async start(): Promise<void> {
    this.running = true;
    const listener = new Client({ connectionString: this.options.databaseUrl, application_name: 'partners-webhooks' });
    listener.on('error', (error) => this.options.logger.warn({ err: error }, 'webhook listener connection error'));
    listener.on('notification', () => this.wake?.());
    await listener.connect();
    await listener.query(`LISTEN ${WEBHOOK_CHANNEL}`);
    this.listener = listener;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        const free = this.options.concurrency - this.inFlight;
        if (free > 0) {
          const due = await this.claim(free);
          claimed = due.length;
          for (const message of due) {
            this.inFlight += 1;
            void this.attempt(message).finally(() => {
              this.inFlight -= 1;
              this.wake?.();
            });
          }
        }
      } catch (error) {
        this.options.logger.warn({ err: error }, 'webhook dispatcher could not claim messages');
      }
      if (claimed === 0 || this.inFlight >= this.options.concurrency) await this.sleep(this.options.pollMs);
    }
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** Due messages, each the oldest pending one of its endpoint and subject, leased to this process. */
  async claim(limit: number): Promise<DueMessage[]> {
    const [rows] = await this.options.dataSource.query<[DueMessage[], number]>(
      `WITH due AS (
         SELECT m.id FROM webhook_messages m
           JOIN webhook_endpoints e ON e.id = m.endpoint_id AND e.status = 'ACTIVE'
          WHERE m.status = 'PENDING' AND m.next_attempt_at <= now()
            AND NOT EXISTS (SELECT 1 FROM webhook_messages p
                             WHERE p.endpoint_id = m.endpoint_id AND p.subject = m.subject
                               AND p.status = 'PENDING' AND p.seq < m.seq)
          ORDER BY m.seq
          LIMIT $1
          FOR UPDATE OF m SKIP LOCKED)
       UPDATE webhook_messages m SET next_attempt_at = now() + make_interval(secs => $2)
         FROM due, webhook_endpoints e
        WHERE m.id = due.id AND e.id = m.endpoint_id
       RETURNING m.id, m.endpoint_id, m.event_id, m.event_type, m.event_time, m.payload, m.attempts, m.user_id,
                 e.url, e.secret, e.client_id`,
      [limit, this.leaseMs / 1000],
    );
    return rows;
  }

  private async attempt(message: DueMessage): Promise<void> {
    try {
      if (message.user_id && !(await this.consentStands(message))) {
        await this.cancel(message.id);
        return;
      }
      const request = signedRequest(message.secret, {
        id: message.id,
        eventType: message.event_type,
        eventTime: new Date(message.event_time),
        eventId: message.event_id,
        payload: message.payload,
      });
      const result = await sendWebhook(message.url, request.headers, request.body, {
        policy: this.options.policy,
        timeoutMs: this.options.timeoutMs,
      });
      await this.record(message, result);
    } catch (error) {
      // The lease expires and another attempt follows: at least once, never lost.
      this.options.logger.warn({ err: error, messageId: message.id }, 'webhook attempt could not be recorded');
    }
  }

  /** A personal record goes out only while the resident's consent stands: revocation stops it at once. */
  private async consentStands(message: DueMessage): Promise<boolean> {
    const rows = await this.options.dataSource.query<unknown[]>(
      `SELECT 1 FROM consents c JOIN partner_clients p ON p.client_id = c.partner_client_id AND p.revoked_at IS NULL
        WHERE c.user_id = $1 AND c.partner_client_id = $2 AND c.granted`,
      [message.user_id, message.client_id],
    );
    return rows.length > 0;
  }

  private async cancel(messageId: string): Promise<void> {
    await this.options.dataSource.query(
      `UPDATE webhook_messages SET status = 'CANCELLED', payload = NULL, last_error = 'consent withdrawn'
        WHERE id = $1 AND status = 'PENDING'`,
      [messageId],
    );
  }

  private async record(message: DueMessage, result: SendResult): Promise<void> {
    const attempts = message.attempts + 1;
    const delay = this.options.retryScheduleMs[attempts - 1];
    const giveUp = !result.ok && delay === undefined;
    await this.options.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_attempts (message_id, status_code, latency_ms, succeeded, error, response)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [message.id, result.status, result.latencyMs, result.ok, result.error, result.response.slice(0, 1024)],
      );
      await manager.query(
        `UPDATE webhook_messages
            SET attempts = $2, last_status_code = $3, last_latency_ms = $4, last_error = $5, last_response = $6,
                status = $7, delivered_at = CASE WHEN $7 = 'DELIVERED' THEN now() ELSE delivered_at END,
                next_attempt_at = now() + make_interval(secs => $8)
          WHERE id = $1`,
        [
          message.id,
          attempts,
          result.status,
          result.latencyMs,
          result.error,
          result.response.slice(0, 1024),
          result.ok ? 'DELIVERED' : giveUp ? 'FAILED' : 'PENDING',
          (delay ?? 0) / 1000,
        ],
      );
      if (giveUp) await this.disable(manager, message, `deliveries failed for a day (last: ${result.error})`);
    });
  }

  /** Disables an endpoint that keeps failing and tells its partner: a notice beside the endpoint and an event. */
  private async disable(manager: EntityManager, message: DueMessage, reason: string): Promise<void> {
    // An UPDATE … RETURNING answers [rows, affected count] through typeorm's pg driver.
    const [updated] = await manager.query<[{ community_ids: string[] }[], number]>(
      `UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = $2, updated_at = now()
        WHERE id = $1 AND status = 'ACTIVE' RETURNING community_ids`,
      [message.endpoint_id, reason.slice(0, 300)],
    );
    const row = updated[0];
    if (!row) return;
    await manager.query(
      `INSERT INTO partner_notices (id, client_id, endpoint_id, kind, message) VALUES ($1, $2, $3, 'ENDPOINT_DISABLED', $4)`,
      [randomUUID(), message.client_id, message.endpoint_id, reason.slice(0, 300)],
    );
    await this.options.outbox.publish(
      manager,
      WebhookEndpointDisabled,
      {
        endpointId: message.endpoint_id,
        clientId: message.client_id,
        reason: reason.slice(0, 300),
        disabledAt: new Date().toISOString(),
      },
      { communityId: row.community_ids[0] },
    );
    this.options.logger.warn({ endpointId: message.endpoint_id, reason }, 'webhook endpoint disabled');
  }
}
