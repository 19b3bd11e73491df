import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

const LATEST = -1;
const EARLIEST = -2;

/** ListOffsets v3: -1 = high watermark, -2 = log start, otherwise the first batch at or after the timestamp. */
export const listOffsetsApi: ApiDefinition = {
  apiKey: ApiKey.ListOffsets,
  name: 'ListOffsets',
  minVersion: 3,
  maxVersion: 3,
  handle(request, { broker, session }) {
    request.int32(); // replica id
    request.int8(); // isolation level: without transactions the last stable offset is the high watermark
    const topics = request.array((topicReader) => ({
      topic: topicReader.string(),
      partitions: topicReader.array((partitionReader) => ({
        partition: partitionReader.int32(),
        timestamp: partitionReader.int64(),
      })),
    }));

    return new Writer().int32(0).array(topics, (writer, { topic, partitions }) => {
      writer.string(topic).array(partitions, (partitionWriter, { partition, timestamp }) => {
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
      });
    });
  },
};
