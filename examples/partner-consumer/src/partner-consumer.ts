import { fromKafkaMessage, PUBLIC_EVENTS, type EventEnvelope } from '@taoyuan/events';
import { Kafka, logLevel, type Consumer, type SASLOptions } from 'kafkajs';

export interface PartnerConsumerOptions {
  brokers: string[];
  /** Your agency's own consumer group (`partner-…`): Kafka keeps your position, independent of every other reader. */
  groupId: string;
  /**
   * Your agency's login (the `partner` principal of `pnpm start`, or the one the operator gave you). It may read the
   * public topics only, in consumer groups whose id starts with `partner-`.
   */
  sasl?: SASLOptions;
  /** Start from the oldest retained event on the group's first run. */
  fromBeginning?: boolean;
  onEvent: (event: EventEnvelope, where: { topic: string; partition: number; offset: string }) => Promise<void> | void;
}

/**
 * Follows every public Taoyuan event. Delivery is at least once: a partner that must not count twice keeps the ids it
 * has processed (`event.id`) and skips repeats, as `seen` does here in memory.
 */
export async function startPartnerConsumer(options: PartnerConsumerOptions): Promise<Consumer> {
  const kafka = new Kafka({
    clientId: options.groupId,
    brokers: options.brokers,
    sasl: options.sasl,
    logLevel: logLevel.WARN,
  });
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 500, allowAutoTopicCreation: true });
  await consumer.connect();
  await consumer.subscribe({
    topics: PUBLIC_EVENTS.map((definition) => definition.topic),
    fromBeginning: options.fromBeginning ?? true,
  });
  const seen = new Set<string>();
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const event = fromKafkaMessage(message);
      if (seen.has(event.id)) return;
      await options.onEvent(event, { topic, partition, offset: message.offset });
      seen.add(event.id);
    },
  });
  return consumer;
}
