import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/**
 * CreateTopics v1–5 (librdkafka asks for v4, kafkajs v3, the Java client v5). Replication factors are accepted leniently (-1 or any positive number, stored as 1) so that code
 * written for a multi-broker cluster (replicationFactor: 3) runs unchanged against this single node.
 */
export const createTopicsApi: ApiDefinition = {
  apiKey: ApiKey.CreateTopics,
  name: 'CreateTopics',
  minVersion: 1,
  maxVersion: 5,
  flexibleFrom: 5,
  handle(request, { broker, session, apiVersion: v, response }) {
    const topics = request.array((reader) => {
      const name = reader.string();
      const numPartitions = reader.int32();
      const replicationFactor = reader.int16();
      const assignments = reader.array((assignmentReader) => {
        assignmentReader.int32();
        const brokers = assignmentReader.array((brokerReader) => brokerReader.int32());
        assignmentReader.tags();
        return brokers;
      });
      reader.array((configReader) => {
        const config = [configReader.string(), configReader.nullableString()];
        configReader.tags();
        return config;
      });
      reader.tags();
      return { name, numPartitions, replicationFactor, assignments };
    });
    request.int32(); // timeout
    const validateOnly = request.int8() !== 0;
    request.tags();

    const results = topics.map(({ name, numPartitions, replicationFactor, assignments }) => {
      if (!session.access.topic('WRITE', name)) {
        return {
          name,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          message: `Not authorized to create '${name}'.`,
        };
      }
      if (replicationFactor === 0 || replicationFactor < -1) {
        return {
          name,
          errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
          message: 'Replication factor must be -1 or positive.',
        };
      }
      const partitions =
        assignments.length > 0
          ? assignments.length
          : numPartitions === -1
            ? broker.config.defaultPartitions
            : numPartitions;
      return { name, ...broker.createTopic(name, partitions, validateOnly), partitions };
    });
    const writer = response();
    if (v >= 2) writer.int32(0);
    return writer
      .array(results, (topicWriter, result) => {
        topicWriter.string(result.name).int16(result.errorCode).nullableString(result.message);
        if (v >= 5) {
          const created = result.errorCode === ErrorCode.NONE && 'partitions' in result;
          topicWriter
            .int32(created ? result.partitions : -1)
            .int16(created ? 1 : -1)
            .nullableArray(null, () => undefined); // configs: none are kept
        }
        topicWriter.tags();
      })
      .tags();
  },
};

/** DeleteTopics v1: removes segment files, committed offsets and producer state; with ACLs, only for writers. */
export const deleteTopicsApi: ApiDefinition = {
  apiKey: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  minVersion: 1,
  maxVersion: 1,
  handle(request, { broker, session }) {
    const names = request.array((reader) => reader.string());
    request.int32();
    return new Writer().int32(0).array(names, (writer, name) => {
      if (!session.access.topic('WRITE', name)) {
        writer.string(name).int16(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        return;
      }
      const deleted = broker.deleteTopic(name);
      writer.string(name).int16(deleted ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    });
  },
};
