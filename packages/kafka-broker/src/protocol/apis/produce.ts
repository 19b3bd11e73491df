import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/**
 * Produce v7. Data is written to the segment file (fs.writeSync, so it is in the kernel and survives a kill -9 of
 * the broker) before the response is sent; with the fsync option it is also on disk. acks=0 gets no response.
 */
export const produceApi: ApiDefinition = {
  apiKey: ApiKey.Produce,
  name: 'Produce',
  minVersion: 7,
  maxVersion: 7,
  handle(request, { broker, session }) {
    request.nullableString(); // transactional id: transactions are not supported, batches are stored as sent
    const acks = request.int16();
    request.int32(); // timeout: with one replica there is nothing to wait for
    const results = request.array((topicReader) => {
      const topic = topicReader.string();
      const mayWrite = session.access.topic('WRITE', topic);
      const partitions = topicReader.array((partitionReader) => {
        const partition = partitionReader.int32();
        const records = partitionReader.bytes();
        if (!mayWrite) {
          return { partition, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, baseOffset: -1, logStartOffset: -1 };
        }
        const log = broker.topics.partition(topic, partition);
        if (!log) {
          return { partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1, logStartOffset: -1 };
        }
        const appended = log.append(records);
        return { partition, ...appended, logStartOffset: log.logStartOffset };
      });
      return { topic, partitions };
    });
    if (acks === 0) return null;

    return new Writer()
      .array(results, (writer, { topic, partitions }) => {
        writer.string(topic).array(partitions, (partitionWriter, result) => {
          partitionWriter
            .int32(result.partition)
            .int16(result.errorCode)
            .int64(result.baseOffset)
            .int64(-1)
            .int64(result.logStartOffset);
        });
      })
      .int32(0);
  },
};
