import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import { ConfigError, type BaseConfig, type Logger } from '@taoyuan/service-kit';

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** A Kafka principal's login: each service has its own, so the broker's ACLs know who is writing. */
export interface KafkaCredentials {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Without credentials the client connects unauthenticated (a broker without SASL). */
  sasl?: KafkaCredentials;
}

type KafkaSaslConfig = Pick<BaseConfig, 'KAFKA_SASL_MECHANISM' | 'KAFKA_USERNAME' | 'KAFKA_PASSWORD'>;

/**
 * KAFKA_SASL_MECHANISM, KAFKA_USERNAME and KAFKA_PASSWORD go together: all three, or none (no SASL). Half a login
 * is a configuration mistake, reported at start rather than as a connection failure later.
 */
export function kafkaCredentialsFromConfig(config: KafkaSaslConfig): KafkaCredentials | undefined {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_USERNAME: username, KAFKA_PASSWORD: password } = config;
  if (mechanism === undefined && username === undefined && password === undefined) return undefined;
  if (mechanism === undefined || username === undefined || password === undefined) {
    throw new ConfigError([
      'KAFKA_SASL_MECHANISM, KAFKA_USERNAME and KAFKA_PASSWORD must be set together (or none of them)',
    ]);
  }
  return { mechanism, username, password };
}

/** kafkajs's union type wants the mechanism as a literal; the three share one shape. */
function toSaslOptions(credentials: KafkaCredentials): SASLOptions {
  const { username, password } = credentials;
  switch (credentials.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/** kafkajs with its log lines sent to the service's pino logger, authenticated when credentials are given. */
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
    sasl: options.sasl ? toSaslOptions(options.sasl) : undefined,
    logLevel: logLevel.INFO,
    logCreator,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
}
