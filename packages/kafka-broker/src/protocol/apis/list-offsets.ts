import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';

const LATEST = -1;
const EARLIEST = -2;

/**
 * ListOffsets v1–6 (librdkafka needs v1 in the range for timestamps and asks for v2, kafkajs v3, the Java client
 * v6): -1 = high watermark, -2 = log start, otherwise the first batch at or after the timestamp.
 */
export const listOffsetsApi: ApiDefinition = {
  apiKey: ApiKey.ListOffsets,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 6,
  flexibleFrom: 6,
  handle(request, { broker, session, apiVersion: v, response }) {
    request.int32(); // replica id
    if (v >= 2) request.int8(); // isolation level: without transactions the last stable offset is the high watermark
    const topics = request.array((topicReader) => {
      const topic = topicReader.string();
      const partitions = topicReader.array((partitionReader) => {
        const partition = partitionReader.int32();
        if (v >= 4) partitionReader.int32(); // current leader epoch
        const timestamp = partitionReader.int64();
        partitionReader.tags();
        return { partition, timestamp };
      });
      topicReader.tags();
      return { topic, partitions };
    });
    request.tags();

    const writer = response();
    if (v >= 2) writer.int32(0);
    return writer
      .array(topics, (topicWriter, { topic, partitions }) => {
        topicWriter.string(topic).array(partitions, (partitionWriter, { partition, timestamp }) => {
          const mayRead = session.access.topic('READ', topic);
          const log = mayRead ? broker.topics.partition(topic, partition) : undefined;
          partitionWriter.int32(partition);
          if (!mayRead) {
            partitionWriter.int16(ErrorCode.TOPIC_AUTHORIZATION_FAILED).int64(-1).int64(-1);
          } else if (!log) {
            partitionWriter.int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).int64(-1).int64(-1);
          } else if (timestamp === LATEST) {
            partitionWriter.int16(ErrorCode.NONE).int64(-1).int64(log.nextOffset);
          } else if (timestamp === EARLIEST) {
            partitionWriter.int16(ErrorCode.NONE).int64(-1).int64(log.logStartOffset);
          } else {
            const found = log.offsetForTimestamp(timestamp);
            partitionWriter
              .int16(ErrorCode.NONE)
              .int64(found?.timestamp ?? -1)
              .int64(found?.offset ?? -1);
          }
          if (v >= 4) partitionWriter.int32(-1); // leader epoch unknown
          partitionWriter.tags();
        });
        topicWriter.tags();
      })
      .tags();
  },
};
