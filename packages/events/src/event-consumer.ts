import type { Logger } from '@taoyuan/service-kit';
import {
  Partitioners,
  type Consumer,
  type EachMessagePayload,
  type IHeaders,
  type Kafka,
  type Producer,
} from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { fromKafkaMessage, type EventEnvelope } from './envelope';
import { dlqTopic, type EventDefinition, type PayloadOf } from './event-definition';

export interface ReceivedEvent<Payload> {
  envelope: EventEnvelope<Payload>;
  payload: Payload;
  topic: string;
  partition: number;
  offset: string;
}

export interface EventHandler<Definition extends EventDefinition = EventDefinition> {
  definition: Definition;
  /** Runs inside the transaction that also records the event id: its effects happen once or not at all. */
  handle(event: ReceivedEvent<PayloadOf<Definition>>, manager: EntityManager): Promise<void>;
}

export function on<Definition extends EventDefinition>(
  definition: Definition,
  handle: EventHandler<Definition>['handle'],
): EventHandler {
  return { definition, handle };
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  dataSource: DataSource;
  logger: Logger;
  handlers: EventHandler[];
  /** Tries per event before it goes to `<topic>.dlq`. */
  maxAttempts?: number;
  retryBaseMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxWaitTimeInMs?: number;
}

class PoisonEventError extends Error {}

/**
 * Runs handlers for catalogue events with exactly-once effects on the service's database: each event is handled in a
 * transaction that inserts its id into the inbox, so a redelivery is a no-op. The offset is committed only after
 * that transaction. Transient failures are retried with backoff; an event that keeps failing, or that does not
 * match its schema, is published to `<topic>.dlq` with the error and the consumer moves on.
 */
export class EventConsumer {
  private consumer: Consumer | undefined;
  private dlqProducer: Producer | undefined;
  private readonly handlers: Map<string, EventHandler>;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;

  constructor(private readonly options: EventConsumerOptions) {
    this.handlers = new Map(options.handlers.map((handler) => [handler.definition.topic, handler]));
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 200;
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
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 1_000,
    });
    await this.consumer.connect();
    // From the beginning on a group's first run: events produced before this service first started still count.
    await this.consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning: true });
    await this.consumer.run({ eachMessage: (payload) => this.handleMessage(payload) });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.dlqProducer?.disconnect();
  }

  private async handleMessage(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message } = payload;
    const handler = this.handlers.get(topic);
    if (!handler) return;
    let event: ReceivedEvent<unknown>;
    try {
      const envelope = fromKafkaMessage(message);
      const parsed = handler.definition.schema.safeParse(envelope.data);
      if (!parsed.success)
        throw new PoisonEventError(`payload does not match ${handler.definition.topic}: ${parsed.error.message}`);
      event = {
        envelope: { ...envelope, data: parsed.data },
        payload: parsed.data,
        topic,
        partition,
        offset: message.offset,
      };
    } catch (error) {
      await this.deadLetter(topic, partition, message, error, 1);
      return;
    }

    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.dataSource.transaction(async (manager) => {
          const inserted: unknown[] = await manager.query(
            `INSERT INTO inbox (event_id, event_type, topic, kafka_partition, kafka_offset, community_id)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
            [
              event.envelope.id,
              event.envelope.type,
              topic,
              partition,
              message.offset,
              event.envelope.communityid || null,
            ],
          );
          if (inserted.length === 0) {
            this.options.logger.debug({ eventId: event.envelope.id, topic }, 'duplicate event ignored');
            return;
          }
          await handler.handle(event, manager);
        });
        return;
      } catch (error) {
        if (attempt >= this.maxAttempts) {
          await this.deadLetter(topic, partition, message, error, attempt);
          return;
        }
        const delay = this.retryBaseMs * 2 ** (attempt - 1);
        this.options.logger.warn(
          { err: error, eventId: event.envelope.id, topic, attempt, retryInMs: delay },
          'event handler failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        await payload.heartbeat();
      }
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: EachMessagePayload['message'],
    error: unknown,
    attempts: number,
  ): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.error(
      { topic, partition, offset: message.offset, attempts, reason },
      'event sent to the dead-letter topic',
    );
    const headers: IHeaders = {
      ...message.headers,
      dlq_error: reason.slice(0, 2_000),
      dlq_attempts: String(attempts),
      dlq_original_topic: topic,
      dlq_original_partition: String(partition),
      dlq_original_offset: message.offset,
      dlq_consumer_group: this.options.groupId,
      dlq_failed_at: new Date().toISOString(),
    };
    await this.dlqProducer?.send({
      topic: dlqTopic(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
  }
}
