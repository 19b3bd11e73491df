import type { Logger } from './logger';
import { silentLogger } from './logger';
import { Authorizer } from './security/authorizer';
import { SaslServer } from './security/sasl-server';
import { storeUsers, validateSecurityConfig, type SecurityConfig } from './security/security-config';
import type { BrokerSecurity } from './security/session';
import { BrokerServer } from './server';

export type { Logger } from './logger';
export {
  loadSecurityConfig,
  scramCredential,
  SASL_MECHANISMS,
  type AclOperation,
  type AclRule,
  type SaslMechanism,
  type ScramCredential,
  type SecurityConfig,
  type UserConfig,
} from './security/security-config';

export interface BrokerOptions {
  /** 0 = any free port. Default 9092. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where topics, committed offsets and producer ids are stored; created if missing. */
  dataDir: string;
  /** Partitions of auto-created topics and of CreateTopics with numPartitions -1. Default 1. */
  defaultPartitions?: number;
  /** Delete segments whose newest record is older than this. Default 7 days; negative = forever. */
  retentionMs?: number;
  /** Per partition, delete the oldest segments while larger than this. Default -1 (unlimited). */
  retentionBytes?: number;
  /** Roll to a new segment file at this size. Default 64 MiB. */
  segmentBytes?: number;
  /** How often age/size retention runs in the background (it also runs at every segment roll). Default 60 s. */
  retentionCheckIntervalMs?: number;
  /**
   * fsync segments, index and offsets before acknowledging. Default false: every acknowledged write has already
   * been handed to the kernel with fs.writeSync, so it survives the broker crashing or being kill -9'd; only a
   * machine crash or power loss could lose the last few seconds. That is the right trade for a development broker
   * (Kafka itself does not fsync by default and relies on replication); an fsync per produce would cost
   * milliseconds on laptops. Turn it on to test behaviour across machine crashes.
   */
  fsync?: boolean;
  /** pino-compatible `{ debug, info, warn, error }(obj, msg)`; default silent. */
  logger?: Logger;
  /**
   * SASL (PLAIN, SCRAM-SHA-256) users and per-principal topic ACLs. With it, a connection must authenticate before
   * anything but ApiVersions, and each request is checked against its principal's rules; without it the broker is
   * open to every client, as before.
   */
  security?: SecurityConfig;
}

export interface RunningBroker {
  port: number;
  host: string;
  /** "host:port", ready for `new Kafka({ brokers: [running.brokers] })`. */
  brokers: string;
  stop(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Starts the single-node development Kafka broker (see README.md). */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1';
  let security: BrokerSecurity | null = null;
  if (options.security) {
    const config = validateSecurityConfig(options.security);
    security = { sasl: new SaslServer(storeUsers(config.users)), authorizer: new Authorizer(config.acls) };
  }
  const server = new BrokerServer({
    dataDir: options.dataDir,
    defaultPartitions: options.defaultPartitions ?? 1,
    retentionMs: options.retentionMs ?? 7 * DAY_MS,
    retentionBytes: options.retentionBytes ?? -1,
    segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
    retentionCheckIntervalMs: options.retentionCheckIntervalMs ?? 60_000,
    fsync: options.fsync ?? false,
    logger: options.logger ?? silentLogger,
    security,
  });
  let port: number;
  try {
    port = await server.listen(options.port ?? 9092, host);
  } catch (error) {
    server.broker.close();
    throw error;
  }
  const advertisedHost = server.broker.advertisedHost;
  let stopping: Promise<void> | undefined;
  return {
    port,
    host: advertisedHost,
    brokers: `${advertisedHost}:${port}`,
    stop: () => (stopping ??= server.stop()),
  };
}
