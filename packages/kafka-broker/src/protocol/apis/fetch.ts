import type { Broker } from '../../broker';
import type { Access } from '../../security/authorizer';
import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';

interface PartitionRequest {
  partition: number;
  fetchOffset: number;
  maxBytes: number;
}

interface TopicRequest {
  topic: string;
  partitions: PartitionRequest[];
}

interface PartitionResult {
  partition: number;
  errorCode: ErrorCode;
  highWatermark: number;
  logStartOffset: number;
  records: Buffer | null;
}

/** Reads every requested partition from its segment files, staying within the byte limits. */
function readPartitions(broker: Broker, access: Access, topics: TopicRequest[], maxBytes: number) {
  let remaining = maxBytes;
  let totalBytes = 0;
  const results = topics.map(({ topic, partitions }) => ({
    topic,
    partitions: partitions.map(({ partition, fetchOffset, maxBytes: partitionMaxBytes }): PartitionResult => {
      const mayRead = access.topic('READ', topic);
      const log = mayRead ? broker.topics.partition(topic, partition) : undefined;
      if (!log) {
        return {
          partition,
          errorCode: mayRead ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          highWatermark: -1,
          logStartOffset: -1,
          records: null,
        };
      }
      // A partition always gets at least one whole batch (kafkajs drops partial ones and would stall), so the
      // limits can be exceeded by one batch per partition, like Kafka's "first batch" rule.
      const { errorCode, records } = log.fetch(fetchOffset, Math.max(0, Math.min(partitionMaxBytes, remaining)));
      const size = records?.length ?? 0;
      remaining -= size;
      totalBytes += size;
      return { partition, errorCode, highWatermark: log.nextOffset, logStartOffset: log.logStartOffset, records };
    }),
  }));
  const hasError = results.some((topic) => topic.partitions.some((p) => p.errorCode !== ErrorCode.NONE));
  return { results, totalBytes, hasError };
}

/** Resolves on the first append to any of the partitions, after `timeoutMs`, or when the broker stops. */
function waitForData(broker: Broker, topics: TopicRequest[], timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cancels: (() => void)[] = [];
    const done = (): void => {
      clearTimeout(timer);
      for (const cancel of cancels) cancel();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    cancels.push(broker.onStop(done));
    for (const { topic, partitions } of topics) {
      for (const { partition } of partitions) {
        const log = broker.topics.partition(topic, partition);
        if (log) cancels.push(log.onNextAppend(done));
      }
    }
  });
}

/**
 * Fetch v4–12 (librdkafka needs v4 in the range for record batches and asks for v11, as kafkajs does; the Java
 * client asks for v12), served from the segment files. When there is less than min_bytes to return, the request is
 * held until data arrives or max_wait passes (long-polling), which is what keeps idle consumers from spinning.
 */
export const fetchApi: ApiDefinition = {
  apiKey: ApiKey.Fetch,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 12,
  flexibleFrom: 12,
  async handle(request, { broker, session, apiVersion: v, response }) {
    request.int32(); // replica id
    const maxWaitMs = request.int32();
    const minBytes = request.int32();
    const maxBytes = request.int32();
    request.int8(); // isolation level: without transactions everything is committed
    if (v >= 7) {
      request.int32(); // session id: fetch sessions are not supported, every fetch is a full fetch
      request.int32(); // session epoch
    }
    const topics = request.array((topicReader): TopicRequest => {
      const topic = topicReader.string();
      const partitions = topicReader.array((partitionReader) => {
        const partition = partitionReader.int32();
        if (v >= 9) partitionReader.int32(); // current leader epoch
        const fetchOffset = partitionReader.int64();
        if (v >= 12) partitionReader.int32(); // last fetched epoch
        if (v >= 5) partitionReader.int64(); // follower log start offset
        const partitionMaxBytes = partitionReader.int32();
        partitionReader.tags();
        return { partition, fetchOffset, maxBytes: partitionMaxBytes };
      });
      topicReader.tags();
      return { topic, partitions };
    });
    // Forgotten topics (v7+) and the rack id (v11+) only matter to fetch sessions and follower fetching.

    const deadline = Date.now() + maxWaitMs;
    let read = readPartitions(broker, session.access, topics, maxBytes);
    while (!read.hasError && read.totalBytes < Math.max(minBytes, 1) && Date.now() < deadline && minBytes > 0) {
      await waitForData(broker, topics, deadline - Date.now());
      if (broker.isStopping) break;
      read = readPartitions(broker, session.access, topics, maxBytes);
    }

    const writer = response(read.totalBytes + 256).int32(0);
    if (v >= 7) writer.int16(ErrorCode.NONE).int32(0);
    return writer
      .array(read.results, (topicWriter, { topic, partitions }) => {
        topicWriter.string(topic).array(partitions, (partitionWriter, result) => {
          partitionWriter
            .int32(result.partition)
            .int16(result.errorCode)
            .int64(result.highWatermark)
            .int64(result.highWatermark);
          if (v >= 5) partitionWriter.int64(result.logStartOffset);
          partitionWriter.array([], () => undefined); // aborted transactions: none
          if (v >= 11) partitionWriter.int32(-1); // preferred read replica
          partitionWriter.bytes(result.records ?? Buffer.alloc(0)).tags();
        });
        topicWriter.tags();
      })
      .tags();
  },
};
