import { randomUUID } from 'node:crypto';
import { Partitioners, type Admin, type IHeaders, type Kafka, type KafkaMessage } from 'kafkajs';
import { DLQ_HEADERS, REPLAY_HEADERS } from './dead-letter-headers';

/** A message in a `<topic>.dlq`, with what the consumer that gave up on it wrote down. */
export interface DeadLetter {
  dlqTopic: string;
  partition: number;
  offset: string;
  /** The original event's key, value and headers (ce_* and the dlq_* description). */
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  eventId: string | undefined;
  eventType: string | undefined;
  originalTopic: string | undefined;
  originalPartition: number | undefined;
  originalOffset: string | undefined;
  consumerGroup: string | undefined;
  reason: string | undefined;
  failureKind: string | undefined;
  error: string | undefined;
  attempts: number | undefined;
  failedAt: Date;
  /** When `pnpm dlq replay` published it again, if it did. */
  replayedAt: Date | undefined;
}

export interface DeadLetterFilter {
  /** An original topic (`taoyuan.points.awarded.v1`) or its DLQ (`taoyuan.points.awarded.v1.dlq`). */
  topic?: string;
  since?: Date;
  until?: Date;
  consumerGroup?: string;
  /** One dead letter: its offset in the DLQ (with `partition`, default 0). Needs `topic`. */
  offset?: string;
  partition?: number;
}

export interface ReplayRecord {
  dlqTopic: string;
  partition: number;
  offset: string;
  eventId: string | undefined;
  originalTopic: string;
  replayedAt: string;
}

export interface ReplayResult {
  replayed: DeadLetter[];
  /** Dead letters already replayed before (recorded in `<dlq>.replayed`); `force` replays them again. */
  alreadyReplayed: DeadLetter[];
  /** Dead letters that cannot be replayed (e.g. the original-topic header disagrees with the DLQ's name). */
  refused: { letter: DeadLetter; why: string }[];
}

const DLQ_SUFFIX = '.dlq';
const REPLAYED_SUFFIX = '.replayed';

export function isDeadLetterTopic(topic: string): boolean {
  return topic.endsWith(DLQ_SUFFIX);
}

/** Where `pnpm dlq replay` records what it replayed from a DLQ: a compacted topic keyed by DLQ partition and offset. */
export function replayRecordTopic(dlqTopic: string): string {
  return `${dlqTopic}${REPLAYED_SUFFIX}`;
}

function originalTopicOf(dlqTopic: string): string {
  return dlqTopic.slice(0, -DLQ_SUFFIX.length);
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) strings[name] = first.toString();
  }
  return strings;
}

const recordKey = (partition: number, offset: string) => `${partition}:${offset}`;

/**
 * Reads DLQs for the `pnpm dlq` command: listing, showing and replaying dead letters. Reads whole topics with a
 * throwaway consumer group that commits nothing; DLQs are small (only what could not be handled), so reading them
 * end to end is cheap and needs no index.
 */
export class DeadLetterOffice {
  constructor(private readonly kafka: Kafka) {}

  /** The DLQ topics that exist, optionally only the one for `topic`. */
  async deadLetterTopics(topic?: string): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter(isDeadLetterTopic).sort();
      if (!topic) return topics;
      const wanted = isDeadLetterTopic(topic) ? topic : `${topic}${DLQ_SUFFIX}`;
      return topics.filter((candidate) => candidate === wanted);
    } finally {
      await admin.disconnect();
    }
  }

  /** Every dead letter matching the filter, oldest first per DLQ, with whether it was already replayed. */
  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const topics = await this.deadLetterTopics(filter.topic);
    if (topics.length === 0) return [];
    const [messages, replays] = await Promise.all([
      this.readTopics(topics),
      this.readTopics(topics.map(replayRecordTopic)),
    ]);
    const replayedAt = new Map<string, Date>();
    for (const { topic, message } of replays) {
      const record = JSON.parse(message.value?.toString('utf8') ?? '{}') as Partial<ReplayRecord>;
      const dlqTopic = topic.slice(0, -REPLAYED_SUFFIX.length);
      if (record.replayedAt) replayedAt.set(`${dlqTopic}|${message.key?.toString()}`, new Date(record.replayedAt));
    }
    return messages
      .map(({ topic, partition, message }) => this.toDeadLetter(topic, partition, message, replayedAt))
      .filter((letter) => matches(letter, filter));
  }

  async show(topic: string, offset: string, partition = 0): Promise<DeadLetter | undefined> {
    const [letter] = await this.list({ topic, offset, partition });
    return letter;
  }

  /**
   * Publishes dead letters again to their original topic: the same key, value and ce_* headers (so the same event
   * id, which every inbox deduplicates), without the dlq_* headers, with a replay marker. Each replay is then
   * recorded in `<dlq>.replayed`, so a second run skips it; a crash between the two only republishes an event the
   * inboxes already know.
   */
  async replay(filter: DeadLetterFilter, options: { force?: boolean; dryRun?: boolean } = {}): Promise<ReplayResult> {
    if (!filter.topic && !filter.since && !filter.until)
      throw new Error('replay needs --topic, --since or --until: replaying every DLQ at once is never what you mean');
    const letters = await this.list(filter);
    const result: ReplayResult = { replayed: [], alreadyReplayed: [], refused: [] };
    const toReplay: DeadLetter[] = [];
    for (const letter of letters) {
      const expected = originalTopicOf(letter.dlqTopic);
      if (letter.originalTopic !== expected)
        result.refused.push({
          letter,
          why: `its ${DLQ_HEADERS.originalTopic} header (${letter.originalTopic ?? 'missing'}) is not ${expected}`,
        });
      else if (letter.reason === 'UNTRUSTED_SOURCE')
        result.refused.push({
          letter,
          why: 'it came from a producer other than the declared one: forged events stay dead',
        });
      else if (letter.replayedAt && !options.force) result.alreadyReplayed.push(letter);
      else toReplay.push(letter);
    }
    if (options.dryRun || toReplay.length === 0) return { ...result, replayed: toReplay };

    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      // Kafka's partitioner, as the relay uses: the same key lands on the partition the original went to.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      await this.ensureRecordTopics([...new Set(toReplay.map((letter) => letter.dlqTopic))]);
      for (const letter of toReplay) {
        const replayedAt = new Date().toISOString();
        const headers: Record<string, string> = Object.fromEntries(
          Object.entries(letter.headers).filter(
            ([name]) => !name.startsWith('dlq_') && !name.startsWith('taoyuan_replay'),
          ),
        );
        headers[REPLAY_HEADERS.replayOf] = `${letter.dlqTopic}:${letter.partition}:${letter.offset}`;
        headers[REPLAY_HEADERS.replayedAt] = replayedAt;
        // One at a time and in DLQ order: a resident's dead letters go back in the order they failed.
        await producer.send({
          topic: letter.originalTopic!,
          acks: -1,
          messages: [{ key: letter.key, value: letter.value, headers }],
        });
        const record: ReplayRecord = {
          dlqTopic: letter.dlqTopic,
          partition: letter.partition,
          offset: letter.offset,
          eventId: letter.eventId,
          originalTopic: letter.originalTopic!,
          replayedAt,
        };
        await producer.send({
          topic: replayRecordTopic(letter.dlqTopic),
          acks: -1,
          messages: [{ key: recordKey(letter.partition, letter.offset), value: JSON.stringify(record) }],
        });
        result.replayed.push({ ...letter, replayedAt: new Date(replayedAt) });
      }
    } finally {
      await producer.disconnect();
    }
    return result;
  }

  /**
   * The record is compacted, so it keeps one line per replayed dead letter for as long as the DLQ keeps the letter
   * (the development broker ignores topic configs; its retention is the DLQ's).
   */
  private async ensureRecordTopics(dlqTopics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = dlqTopics.map(replayRecordTopic).filter((topic) => !existing.has(topic));
      if (missing.length === 0) return;
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] })),
      });
    } finally {
      await admin.disconnect();
    }
  }

  private toDeadLetter(
    dlqTopic: string,
    partition: number,
    message: KafkaMessage,
    replayedAt: Map<string, Date>,
  ): DeadLetter {
    const headers = headerStrings(message.headers);
    const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
    const failedAt = headers[DLQ_HEADERS.failedAt];
    return {
      dlqTopic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      value: message.value,
      headers,
      eventId: headers.ce_id,
      eventType: headers.ce_type,
      originalTopic: headers[DLQ_HEADERS.originalTopic],
      originalPartition: number(headers[DLQ_HEADERS.originalPartition]),
      originalOffset: headers[DLQ_HEADERS.originalOffset],
      consumerGroup: headers[DLQ_HEADERS.consumerGroup],
      reason: headers[DLQ_HEADERS.reason],
      failureKind: headers[DLQ_HEADERS.failureKind],
      error: headers[DLQ_HEADERS.error],
      attempts: number(headers[DLQ_HEADERS.attempts]),
      failedAt:
        failedAt && !Number.isNaN(Date.parse(failedAt)) ? new Date(failedAt) : new Date(Number(message.timestamp)),
      replayedAt: replayedAt.get(`${dlqTopic}|${recordKey(partition, message.offset)}`),
    };
  }

  /** Reads topics from their start to their current end. Topics that do not exist read as empty. */
  private async readTopics(topics: string[]): Promise<{ topic: string; partition: number; message: KafkaMessage }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = new Map<string, bigint>();
    try {
      const existing = new Set(await admin.listTopics());
      for (const topic of topics.filter((candidate) => existing.has(candidate))) {
        for (const { partition, high, low } of await admin.fetchTopicOffsets(topic))
          if (BigInt(high) > BigInt(low)) ends.set(`${topic}:${partition}`, BigInt(high));
      }
    } finally {
      await admin.disconnect();
    }
    if (ends.size === 0) return [];
    const subscribed = [...new Set([...ends.keys()].map((key) => key.slice(0, key.lastIndexOf(':'))))];
    const groupId = `taoyuan-dlq-reader-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
    const read: { topic: string; partition: number; message: KafkaMessage }[] = [];
    await consumer.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        const remaining = new Set(ends.keys());
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
        consumer
          .subscribe({ topics: subscribed, fromBeginning: true })
          .then(() =>
            consumer.run({
              autoCommit: false,
              eachMessage: async ({ topic, partition, message }) => {
                const key = `${topic}:${partition}`;
                const end = ends.get(key);
                if (end === undefined || BigInt(message.offset) >= end) return;
                read.push({ topic, partition, message });
                if (BigInt(message.offset) + 1n >= end) {
                  remaining.delete(key);
                  if (remaining.size === 0) resolve();
                }
              },
            }),
          )
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await deleteGroup(this.kafka, groupId);
    }
    return read.sort(
      (a, b) =>
        a.topic.localeCompare(b.topic) ||
        a.partition - b.partition ||
        Number(BigInt(a.message.offset) - BigInt(b.message.offset)),
    );
  }
}

function matches(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.since && letter.failedAt < filter.since) return false;
  if (filter.until && letter.failedAt > filter.until) return false;
  if (filter.consumerGroup && letter.consumerGroup !== filter.consumerGroup) return false;
  if (filter.offset !== undefined && (letter.offset !== filter.offset || letter.partition !== (filter.partition ?? 0)))
    return false;
  return true;
}

/** The reader's group committed nothing; removing it keeps `kafka-consumer-groups --list` clean. */
async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin: Admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch {
    // A broker that already forgot the empty group, or refuses the delete, leaves nothing behind worth failing for.
  } finally {
    await admin.disconnect();
  }
}
