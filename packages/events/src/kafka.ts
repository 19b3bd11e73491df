import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@taoyuan/service-kit';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/** kafkajs with its log lines sent to the service's pino logger. */
export function createKafka(options: KafkaOptions): Kafka {
  const logCreator = () => (entry: LogEntry) => {
    const { message, ...extra } = entry.log;
    const fields = { kafka: entry.namespace, ...extra };
    switch (entry.level) {
      case logLevel.ERROR:
        options.logger.error(fields, message);
        break;
      case logLevel.WARN:
        options.logger.warn(fields, message);
        break;
      case logLevel.INFO:
        options.logger.debug(fields, message);
        break;
      case logLevel.DEBUG:
      case logLevel.NOTHING:
        options.logger.trace(fields, message);
        break;
    }
  };
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.INFO,
    logCreator,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
}
