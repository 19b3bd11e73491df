import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';

export type CollectedMessage = KafkaMessage & { topic: string };

/**
 * Reads every message of the topics from the beginning, with a consumer group of its own, into an array a test can
 * wait on. Settings are tuned for tests: short fetch waits and heartbeats.
 */
export async function collectMessages(
  brokers: string,
  topics: string[],
): Promise<{ messages: CollectedMessage[]; consumer: Consumer }> {
  const kafka = new Kafka({
    clientId: 'taoyuan-test-collector',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  const messages: CollectedMessage[] = [];
  const consumer = kafka.consumer({
    groupId: `collector-${Math.random().toString(36).slice(2)}`,
    maxWaitTimeInMs: 100,
    heartbeatInterval: 500,
    allowAutoTopicCreation: true,
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ topic, message }) => void messages.push({ ...message, topic }) });
  return { messages, consumer };
}
