import {
  consumerLag,
  consumerLastMessage,
  consumerPausedPartitions,
  consumerState,
  deadLettered,
  registerHealthCheck,
  runInRequestScope,
  type ComponentHealth,
  type Logger,
} from '@taoyuan/service-kit';
import {
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { DLQ_HEADERS, type DeadLetterReason } from './dead-letter-headers';
import type { EventEnvelope } from './envelope';
import { acceptEvent, checkedEventTime, DEFAULT_MAX_CLOCK_SKEW_MS, RejectedEventError } from './event-acceptance';
import { dlqTopic, type EventDefinition, type PayloadOf } from './event-definition';
import { classifyFailure, type FailureKind } from './failure-classification';
import { inHandlingSpan } from './tracing';

export interface ReceivedEvent<Payload> {
  envelope: EventEnvelope<Payload>;
  payload: Payload;
  topic: string;
  partition: number;
  offset: string;
  /** `envelope.time` as a Date, already checked against the clock skew; the consumer always sets it. */
  time?: Date;
}

/** What a handler written with `on()` receives: the event time is always there. */
export interface HandledEvent<Payload> extends ReceivedEvent<Payload> {
  time: Date;
}

export interface EventHandler<Definition extends EventDefinition = EventDefinition> {
  definition: Definition;
  /** Runs inside the transaction that also records the event id: its effects happen once or not at all. */
  handle(event: ReceivedEvent<PayloadOf<Definition>>, manager: EntityManager): Promise<void>;
}

export function on<Definition extends EventDefinition>(
  definition: Definition,
  handle: (event: HandledEvent<PayloadOf<Definition>>, manager: EntityManager) => Promise<void>,
): EventHandler {
  const handler: EventHandler<Definition> = {
    definition,
    // A caller other than the consumer (a test handing an envelope straight in) may omit the parsed time.
    handle: (event, manager) =>
      handle({ ...event, time: event.time ?? checkedEventTime(event.envelope, { maxClockSkewMs: Infinity }) }, manager),
  };
  return handler;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  dataSource: DataSource;
  logger: Logger;
  handlers: EventHandler[];
  /** Tries of an event whose handler fails permanently (a refusal, a constraint) before it goes to `<topic>.dlq`. */
  maxAttempts?: number;
  /** First pause after a failure; it doubles with every try up to `retryMaxDelayMs`. */
  retryBaseMs?: number;
  retryMaxDelayMs?: number;
  /** How long a transient failure (database down, deadlock) is retried before the event goes to the DLQ anyway. */
  retryBudgetMs?: number;
  /** How far in the future `ce_time` may lie (clocks differ a little); later events are refused. */
  maxClockSkewMs?: number;
  /**
   * A consumer that died without leaving (killed, crashed) holds its partitions until this passes; its restarted
   * successor waits that long. 6 s is the lowest a real Kafka accepts by default (group.min.session.timeout.ms), and
   * real Kafka, like the development broker, frees a member only on LeaveGroup or this timeout, never on a closed
   * connection. Handlers pause their partition to wait (never block), so heartbeats keep flowing.
   */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxWaitTimeInMs?: number;
}

interface PartitionFailure {
  offset: string;
  attempts: number;
  permanentAttempts: number;
  firstFailedAt: Date;
}

type Outcome = { done: true } | { done: false; retryInMs: number };

/** Where a consumer's group membership stands, as /health/details and `taoyuan_consumer_state` show it. */
export const CONSUMER_STATES = ['starting', 'running', 'rebalancing', 'restarting', 'crashed', 'stopped'] as const;
export type ConsumerState = (typeof CONSUMER_STATES)[number];

/** A correlation id from another service becomes our log lines' request id: only when it looks like one. */
const SAFE_CORRELATION_ID = /^[\w\-.:]{1,128}$/;

/**
 * Runs handlers for catalogue events with exactly-once effects on the service's database: each event is handled in a
 * transaction that inserts its id into the inbox, so a redelivery is a no-op, and the offset is committed only after
 * that transaction. An event is first checked (acceptEvent: producer, time, schema); a refused one goes to
 * `<topic>.dlq` at once. A failing handler is retried with exponential backoff while only its partition is paused
 * (paused, seeked back to the failed offset, resumed after the delay): a transient failure for up to the retry
 * budget, a permanent one for `maxAttempts` tries; then the event goes to the DLQ and the partition moves on.
 */
export class EventConsumer {
  private consumer: Consumer | undefined;
  private dlqProducer: Producer | undefined;
  private readonly handlers: Map<string, EventHandler>;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly retryBudgetMs: number;
  private readonly maxClockSkewMs: number;
  private readonly failures = new Map<string, PartitionFailure>();
  private readonly resumeTimers = new Map<string, NodeJS.Timeout>();
  private state: ConsumerState = 'stopped';
  private assigned: Record<string, number[]> = {};
  private readonly lagByPartition = new Map<string, number>();
  private lastMessageAt: Date | undefined;
  private lastCrash: string | undefined;
  private unregisterHealth: (() => void) | undefined;

  constructor(private readonly options: EventConsumerOptions) {
    this.handlers = new Map(options.handlers.map((handler) => [handler.definition.topic, handler]));
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 30_000;
    this.retryBudgetMs = options.retryBudgetMs ?? 15 * 60_000;
    this.maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  }

  async start(): Promise<void> {
    const { kafka, groupId } = this.options;
    this.dlqProducer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.dlqProducer.connect();
    this.consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: true,
      sessionTimeout: this.options.sessionTimeoutMs ?? 6_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 1_000,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 1_000,
    });
    this.watchMembership(this.consumer);
    await this.consumer.connect();
    // From the beginning on a group's first run: events produced before this service first started still count.
    await this.consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning: true });
    // eachBatch without auto-resolve: an offset is resolved only once its event is handled or dead-lettered, so a
    // paused partition never commits past the event it is waiting on.
    await this.consumer.run({ eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) });
  }

  async stop(): Promise<void> {
    for (const timer of this.resumeTimers.values()) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.consumer?.disconnect();
    await this.dlqProducer?.disconnect();
    this.setState('stopped');
    this.unregisterHealth?.();
  }

  /** The member's state, assignment, lag and last event, for /health/details. */
  health(): ComponentHealth {
    const paused = this.pausedPartitions();
    const partitions = Object.entries(this.assigned).flatMap(([topic, numbers]) =>
      numbers.map((partition) => ({
        topic,
        partition,
        lag: this.lagByPartition.get(`${topic}:${partition}`) ?? null,
        paused: paused.has(`${topic}:${partition}`),
      })),
    );
    const status =
      this.state === 'running' ? (paused.size ? 'degraded' : 'up') : this.state === 'crashed' ? 'down' : 'degraded';
    return {
      status,
      group: this.options.groupId,
      state: this.state,
      partitions,
      lastMessageAt: this.lastMessageAt?.toISOString() ?? null,
      ...(this.lastCrash ? { lastCrash: this.lastCrash } : {}),
    };
  }

  private pausedPartitions(): Set<string> {
    return new Set(
      (this.consumer?.paused() ?? []).flatMap(({ topic, partitions }) => partitions.map((p) => `${topic}:${p}`)),
    );
  }

  private setState(state: ConsumerState): void {
    this.state = state;
    for (const each of CONSUMER_STATES)
      consumerState.set({ group: this.options.groupId, state: each }, each === state ? 1 : 0);
  }

  /** Follows the group membership through kafkajs's instrumentation events; a crash kafkajs gives up on is `down`. */
  private watchMembership(consumer: Consumer): void {
    this.setState('starting');
    this.unregisterHealth?.();
    this.unregisterHealth = registerHealthCheck(`consumer:${this.options.groupId}`, () => this.health());
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.assigned = payload.memberAssignment;
      this.setState('running');
    });
    consumer.on(consumer.events.REBALANCING, () => this.setState('rebalancing'));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.lastCrash = payload.error.message;
      this.setState(payload.restart ? 'restarting' : 'crashed');
    });
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = payload.batch;
    const handler = this.handlers.get(topic);
    let nextOffset = Number(payload.batch.firstOffset() ?? payload.batch.highWatermark);
    const reportLag = () => {
      const lag = Math.max(0, Number(payload.batch.highWatermark) - nextOffset);
      this.lagByPartition.set(`${topic}:${partition}`, lag);
      consumerLag.set({ group: this.options.groupId, topic, partition: String(partition) }, lag);
      consumerPausedPartitions.set({ group: this.options.groupId }, this.pausedPartitions().size);
    };
    for (const message of messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      const outcome = handler ? await this.process(handler, topic, partition, message) : { done: true as const };
      if (!outcome.done) {
        this.retryLater(topic, partition, message.offset, outcome.retryInMs);
        break;
      }
      payload.resolveOffset(message.offset);
      nextOffset = Number(message.offset) + 1;
      this.lastMessageAt = new Date();
      consumerLastMessage.set({ group: this.options.groupId }, this.lastMessageAt.getTime() / 1000);
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
    }
    reportLag();
  }

  /** Handles one message; `done` once it is handled, a duplicate, or in the DLQ. */
  private async process(
    handler: EventHandler,
    topic: string,
    partition: number,
    message: KafkaMessage,
  ): Promise<Outcome> {
    const key = `${topic}:${partition}`;
    let event: ReceivedEvent<unknown>;
    try {
      const accepted = acceptEvent(handler.definition, message, { maxClockSkewMs: this.maxClockSkewMs });
      event = {
        envelope: accepted.envelope,
        payload: accepted.envelope.data,
        time: accepted.time,
        topic,
        partition,
        offset: message.offset,
      };
    } catch (error) {
      const reason = error instanceof RejectedEventError ? error.reason : 'MALFORMED';
      return this.deadLetterOrRetry(topic, partition, message, error, {
        reason,
        kind: 'rejected',
        attempts: 1,
        firstFailedAt: new Date(),
      });
    }

    try {
      const { envelope } = event;
      const correlationId = SAFE_CORRELATION_ID.test(envelope.correlationid) ? envelope.correlationid : envelope.id;
      // What the handler publishes belongs to the same flow (correlation id) and names this event as its cause.
      // Traced as a child of the event's creation (ce_traceparent): the request's trace continues here.
      const traced = { topic, partition, offset: message.offset, eventId: envelope.id, groupId: this.options.groupId };
      await inHandlingSpan(traced, message.headers, () =>
        runInRequestScope(correlationId, () => this.handleInInbox(handler, event, message), {
          causationId: envelope.id,
        }),
      );
      this.failures.delete(key);
      return { done: true };
    } catch (error) {
      return this.afterHandlerFailure(key, topic, partition, message, event, error);
    }
  }

  private async handleInInbox(
    handler: EventHandler,
    event: ReceivedEvent<unknown>,
    message: KafkaMessage,
  ): Promise<void> {
    const { topic, partition, envelope } = event;
    await this.options.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO inbox (event_id, event_type, topic, kafka_partition, kafka_offset, community_id)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [envelope.id, envelope.type, topic, partition, message.offset, envelope.communityid || null],
      );
      if (inserted.length === 0) {
        this.options.logger.debug({ eventId: envelope.id, topic }, 'duplicate event ignored');
        return;
      }
      await handler.handle(event, manager);
    });
  }

  private async afterHandlerFailure(
    key: string,
    topic: string,
    partition: number,
    message: KafkaMessage,
    event: ReceivedEvent<unknown>,
    error: unknown,
  ): Promise<Outcome> {
    const previous = this.failures.get(key);
    const failure: PartitionFailure =
      previous?.offset === message.offset
        ? previous
        : { offset: message.offset, attempts: 0, permanentAttempts: 0, firstFailedAt: new Date() };
    const kind: FailureKind = classifyFailure(error);
    failure.attempts += 1;
    if (kind === 'permanent') failure.permanentAttempts += 1;
    this.failures.set(key, failure);

    const spentMs = Date.now() - failure.firstFailedAt.getTime();
    const givingUp =
      kind === 'permanent' ? failure.permanentAttempts >= this.maxAttempts : spentMs >= this.retryBudgetMs;
    if (givingUp) {
      const outcome = await this.deadLetterOrRetry(topic, partition, message, error, {
        reason: kind === 'permanent' ? 'HANDLER_FAILED' : 'RETRY_BUDGET_EXHAUSTED',
        kind,
        attempts: failure.attempts,
        firstFailedAt: failure.firstFailedAt,
      });
      if (outcome.done) this.failures.delete(key);
      return outcome;
    }
    const retryInMs = this.backoff(failure.attempts);
    this.options.logger.warn(
      {
        err: error,
        eventId: event.envelope.id,
        topic,
        partition,
        offset: message.offset,
        kind,
        attempt: failure.attempts,
        retryInMs,
      },
      kind === 'transient'
        ? 'event handler failed transiently; partition paused, will retry'
        : 'event handler failed; partition paused, will retry before dead-lettering',
    );
    return { done: false, retryInMs };
  }

  private backoff(attempt: number): number {
    return Math.min(this.retryMaxDelayMs, this.retryBaseMs * 2 ** Math.min(attempt - 1, 30));
  }

  /** Pauses only this partition and rewinds it to the failed event; the other partitions keep flowing. */
  private retryLater(topic: string, partition: number, offset: string, delayMs: number): void {
    const consumer = this.consumer;
    if (!consumer) return;
    const key = `${topic}:${partition}`;
    consumer.pause([{ topic, partitions: [partition] }]);
    consumer.seek({ topic, partition, offset });
    clearTimeout(this.resumeTimers.get(key));
    this.resumeTimers.set(
      key,
      setTimeout(() => {
        this.resumeTimers.delete(key);
        consumer.resume([{ topic, partitions: [partition] }]);
      }, delayMs),
    );
  }

  /** Publishes the dead letter; if Kafka refuses it, the event is kept (retried later) rather than skipped. */
  private async deadLetterOrRetry(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    failure: { reason: DeadLetterReason; kind: 'rejected' | FailureKind; attempts: number; firstFailedAt: Date },
  ): Promise<Outcome> {
    try {
      await this.deadLetter(topic, partition, message, error, failure);
      return { done: true };
    } catch (dlqError) {
      const retryInMs = this.retryMaxDelayMs;
      this.options.logger.error(
        { err: dlqError, topic, partition, offset: message.offset, retryInMs },
        'could not publish to the dead-letter topic; partition paused, will retry',
      );
      return { done: false, retryInMs };
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    failure: { reason: DeadLetterReason; kind: 'rejected' | FailureKind; attempts: number; firstFailedAt: Date },
  ): Promise<void> {
    const description = error instanceof Error ? error.message : String(error);
    this.options.logger.error(
      {
        topic,
        partition,
        offset: message.offset,
        attempts: failure.attempts,
        reason: failure.reason,
        error: description,
      },
      failure.kind === 'transient'
        ? 'event sent to the dead-letter topic: transient failure outlasted the retry budget'
        : 'event sent to the dead-letter topic',
    );
    const original = Object.fromEntries(
      Object.entries(message.headers ?? {}).filter(([name]) => !name.startsWith('dlq_')),
    );
    const headers: IHeaders = {
      ...original,
      [DLQ_HEADERS.error]: description.slice(0, 2_000),
      [DLQ_HEADERS.reason]: failure.reason,
      [DLQ_HEADERS.failureKind]: failure.kind,
      [DLQ_HEADERS.attempts]: String(failure.attempts),
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalPartition]: String(partition),
      [DLQ_HEADERS.originalOffset]: message.offset,
      [DLQ_HEADERS.consumerGroup]: this.options.groupId,
      [DLQ_HEADERS.firstFailedAt]: failure.firstFailedAt.toISOString(),
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    };
    if (!this.dlqProducer) throw new Error('the consumer is not started');
    await this.dlqProducer.send({
      topic: dlqTopic(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    deadLettered.inc({ topic, reason: failure.reason });
  }
}
