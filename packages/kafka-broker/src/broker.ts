import fs from 'node:fs';
import { GroupCoordinator } from './coordinator/group-coordinator';
import type { Logger } from './logger';
import { ErrorCode } from './protocol/error-codes';
import type { BrokerSecurity } from './security/session';
import { OffsetStore } from './storage/offset-store';
import type { LogConfig } from './storage/partition-log';
import { ProducerIdAllocator } from './storage/producer-ids';
import { TopicStore, isLegalTopicName, type Topic } from './storage/topic-store';

/** This broker is the whole cluster: node 0, controller, leader of every partition and coordinator of every group. */
export const NODE_ID = 0;
export const CLUSTER_ID = 'taoyuan-dev-kafka';

export interface BrokerConfig extends LogConfig {
  dataDir: string;
  defaultPartitions: number;
  retentionCheckIntervalMs: number;
  /** SASL users and topic ACLs; null = every connection may do everything (tests that need no security). */
  security: BrokerSecurity | null;
}

/** Broker state shared by all connections: topics and their logs, groups and offsets, producer ids. */
export class Broker {
  readonly topics: TopicStore;
  readonly coordinator: GroupCoordinator;
  readonly producerIds: ProducerIdAllocator;
  private readonly offsets: OffsetStore;
  private readonly retentionTimer: NodeJS.Timeout;
  /** Resolved by stop(): long-polling fetches listen to it so that they end at once. */
  private readonly stopListeners = new Set<() => void>();

  /** Where clients should connect (the listening address, or loopback when listening on all interfaces). */
  advertisedHost = '127.0.0.1';
  advertisedPort = 0;
  isStopping = false;

  constructor(readonly config: BrokerConfig) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    this.topics = new TopicStore(config.dataDir, config);
    this.offsets = new OffsetStore(config.dataDir, config.fsync);
    this.coordinator = new GroupCoordinator(this.offsets, config.logger);
    this.producerIds = new ProducerIdAllocator(config.dataDir);
    this.retentionTimer = setInterval(() => this.topics.enforceRetention(Date.now()), config.retentionCheckIntervalMs);
    this.retentionTimer.unref();
  }

  get logger(): Logger {
    return this.config.logger;
  }

  /** Validates and creates a topic; `validateOnly` checks without creating (CreateTopics' validate_only). */
  createTopic(
    name: string,
    partitions: number,
    validateOnly = false,
  ): { errorCode: ErrorCode; message: string | null } {
    if (!isLegalTopicName(name)) {
      return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: `Illegal topic name '${name}'` };
    }
    if (this.topics.get(name)) {
      return { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, message: `Topic '${name}' already exists.` };
    }
    if (!Number.isInteger(partitions) || partitions < 1) {
      return { errorCode: ErrorCode.INVALID_PARTITIONS, message: 'Number of partitions must be at least 1.' };
    }
    if (!validateOnly) this.topics.create(name, partitions);
    return { errorCode: ErrorCode.NONE, message: null };
  }

  /** Metadata with allow_auto_topic_creation: create unknown, legal topics with the default partition count. */
  autoCreateTopic(name: string): Topic | undefined {
    const existing = this.topics.get(name);
    if (existing || !isLegalTopicName(name)) return existing;
    return this.topics.create(name, this.config.defaultPartitions);
  }

  /** Removes the topic's files, its committed offsets and (with its partitions) its producer state. */
  deleteTopic(name: string): boolean {
    if (!this.topics.delete(name)) return false;
    this.coordinator.deleteTopic(name);
    return true;
  }

  onStop(listener: () => void): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  close(): void {
    this.isStopping = true;
    clearInterval(this.retentionTimer);
    for (const listener of this.stopListeners) listener();
    this.stopListeners.clear();
    this.coordinator.close();
    this.topics.close();
    this.offsets.close();
  }
}
