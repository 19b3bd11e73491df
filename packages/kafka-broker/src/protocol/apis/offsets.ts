import type { CommitOffset } from '../../coordinator/group-coordinator';
import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/**
 * OffsetCommit v5: one verdict for the whole request (it depends only on group, generation and member), except that
 * with ACLs a topic the principal may not read gets TOPIC_AUTHORIZATION_FAILED and is not committed.
 */
export const offsetCommitApi: ApiDefinition = {
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 5,
  maxVersion: 5,
  handle(request, { broker, session }) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    const topics = request.array((topicReader) => ({
      topic: topicReader.string(),
      partitions: topicReader.array((partitionReader) => ({
        partition: partitionReader.int32(),
        offset: partitionReader.int64(),
        metadata: partitionReader.nullableString(),
      })),
    }));
    const { access } = session;
    const groupAllowed = access.group(groupId);
    const offsets: CommitOffset[] = topics
      .filter(({ topic }) => access.topic('READ', topic))
      .flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, ...partition })));
    const errorCode = groupAllowed
      ? broker.coordinator.commitOffsets(groupId, generationId, memberId, offsets)
      : ErrorCode.GROUP_AUTHORIZATION_FAILED;
    return new Writer().int32(0).array(topics, (writer, { topic, partitions }) => {
      const topicError =
        groupAllowed && !access.topic('READ', topic) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : errorCode;
      writer.string(topic).array(partitions, (partitionWriter, { partition }) => {
        partitionWriter.int32(partition).int16(topicError);
      });
    });
  },
};

/**
 * OffsetFetch v4: null topics means every partition the group has committed (admin.fetchOffsets without topics).
 * With ACLs, a group without a rule gets GROUP_AUTHORIZATION_FAILED, topics the principal may not read get
 * TOPIC_AUTHORIZATION_FAILED when named and are left out of "every partition".
 */
export const offsetFetchApi: ApiDefinition = {
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  minVersion: 4,
  maxVersion: 4,
  handle(request, { broker, session }) {
    const groupId = request.string();
    const topics = request.nullableArray((topicReader) => ({
      topic: topicReader.string(),
      partitions: topicReader.array((partitionReader) => partitionReader.int32()),
    }));
    const { access } = session;
    if (!access.group(groupId)) {
      return new Writer()
        .int32(0)
        .array([], () => undefined)
        .int16(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    }
    const results = broker.coordinator
      .fetchOffsets(groupId, topics)
      .filter(({ topic }) => topics !== null || access.topic('READ', topic));
    return new Writer()
      .int32(0)
      .array(results, (writer, { topic, partitions }) => {
        const errorCode = access.topic('READ', topic) ? ErrorCode.NONE : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        writer.string(topic).array(partitions, (partitionWriter, result) => {
          const offset = errorCode === ErrorCode.NONE ? result.offset : -1;
          const metadata = errorCode === ErrorCode.NONE ? result.metadata : '';
          partitionWriter.int32(result.partition).int64(offset).nullableString(metadata).int16(errorCode);
        });
      })
      .int16(ErrorCode.NONE);
  },
};
