import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';

/**
 * Produce v3–9 (record batches, magic 2: librdkafka needs v3 in the range to use them and asks for v7, as kafkajs
 * does; the Java client asks for v9). Data is written to the segment file (fs.writeSync, so it is in the kernel and
 * survives a kill -9 of the broker) before the response is sent; with the fsync option it is also on disk.
 * acks=0 gets no response.
 */
export const produceApi: ApiDefinition = {
  apiKey: ApiKey.Produce,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 9,
  flexibleFrom: 9,
  handle(request, { broker, session, apiVersion: v, response }) {
    request.nullableString(); // transactional id: transactions are not supported, batches are stored as sent
    const acks = request.int16();
    request.int32(); // timeout: with one replica there is nothing to wait for
    const results = request.array((topicReader) => {
      const topic = topicReader.string();
      const mayWrite = session.access.topic('WRITE', topic);
      const partitions = topicReader.array((partitionReader) => {
        const partition = partitionReader.int32();
        const records = partitionReader.bytes();
        partitionReader.tags();
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
      topicReader.tags();
      return { topic, partitions };
    });
    request.tags();
    if (acks === 0) return null;

    return response()
      .array(results, (writer, { topic, partitions }) => {
        writer.string(topic).array(partitions, (partitionWriter, result) => {
          partitionWriter.int32(result.partition).int16(result.errorCode).int64(result.baseOffset).int64(-1);
          if (v >= 5) partitionWriter.int64(result.logStartOffset);
          if (v >= 8) partitionWriter.array([], () => undefined).nullableString(null); // record errors, message
          partitionWriter.tags();
        });
        writer.tags();
      })
      .int32(0)
      .tags();
  },
};
