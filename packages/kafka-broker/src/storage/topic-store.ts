import fs from 'node:fs';
import path from 'node:path';
import { PartitionLog, type LogConfig } from './partition-log';

/** Kafka's rule for topic names, which also makes them safe as directory names. */
const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const TOPIC_MANIFEST = 'topic.json';

export function isLegalTopicName(name: string): boolean {
  return LEGAL_TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

interface TopicManifest {
  name: string;
  partitions: number;
}

export interface Topic {
  name: string;
  partitions: PartitionLog[];
}

/**
 * All topics under `<dataDir>/topics/<topic>/<partition>/`. A topic exists exactly when its topic.json exists: it
 * is written last on create (via rename) and removed first on delete, so a crash mid-way leaves a directory
 * without a manifest, which the next start removes.
 */
export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  private readonly root: string;

  constructor(
    dataDir: string,
    private readonly config: LogConfig,
  ) {
    this.root = path.join(dataDir, 'topics');
    fs.mkdirSync(this.root, { recursive: true });
    for (const name of fs.readdirSync(this.root)) this.load(name);
  }

  private load(name: string): void {
    const directory = path.join(this.root, name);
    let manifest: TopicManifest;
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(directory, TOPIC_MANIFEST), 'utf8')) as TopicManifest;
    } catch {
      this.config.logger.warn({ directory }, 'kafka-broker: removing incompletely created or deleted topic');
      fs.rmSync(directory, { recursive: true, force: true });
      return;
    }
    const partitions = Array.from({ length: manifest.partitions }, (_, partition) =>
      PartitionLog.open(path.join(directory, String(partition)), manifest.name, partition, this.config),
    );
    this.topics.set(manifest.name, { name: manifest.name, partitions });
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  all(): Topic[] {
    return [...this.topics.values()];
  }

  create(name: string, partitionCount: number): Topic {
    const directory = path.join(this.root, name);
    fs.rmSync(directory, { recursive: true, force: true });
    const partitions = Array.from({ length: partitionCount }, (_, partition) =>
      PartitionLog.create(path.join(directory, String(partition)), name, partition, this.config),
    );
    const manifest: TopicManifest = { name, partitions: partitionCount };
    const manifestPath = path.join(directory, TOPIC_MANIFEST);
    fs.writeFileSync(`${manifestPath}.tmp`, JSON.stringify(manifest));
    fs.renameSync(`${manifestPath}.tmp`, manifestPath);
    const topic = { name, partitions };
    this.topics.set(name, topic);
    this.config.logger.debug({ topic: name, partitions: partitionCount }, 'kafka-broker: created topic');
    return topic;
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    const directory = path.join(this.root, name);
    fs.rmSync(path.join(directory, TOPIC_MANIFEST), { force: true });
    for (const partition of topic.partitions) partition.destroy();
    fs.rmSync(directory, { recursive: true, force: true });
    this.config.logger.debug({ topic: name }, 'kafka-broker: deleted topic');
    return true;
  }

  enforceRetention(now: number): void {
    for (const topic of this.topics.values()) for (const partition of topic.partitions) partition.enforceRetention(now);
  }

  close(): void {
    for (const topic of this.topics.values()) for (const partition of topic.partitions) partition.close();
    this.topics.clear();
  }
}
