import type { CommitOffset } from '../../coordinator/group-coordinator';
import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';

/**
 * OffsetCommit v2–8 (librdkafka needs v2 in the range to use broker-side groups and asks for v7, kafkajs v5, the
 * Java client v8): one verdict for the whole request (it depends only on group, generation and member), except that
 * with ACLs a topic the principal may not read gets TOPIC_AUTHORIZATION_FAILED and is not committed. Committed
 * offsets are kept until the topic or group is deleted, whatever retention time (v2–4) a client asks for.
 */
export const offsetCommitApi: ApiDefinition = {
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 8,
  flexibleFrom: 8,
  handle(request, { broker, session, apiVersion: v, response }) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    if (v >= 7) request.nullableString(); // group instance id
    if (v <= 4) request.int64(); // retention time
    const topics = request.array((topicReader) => {
      const topic = topicReader.string();
      const partitions = topicReader.array((partitionReader) => {
        const partition = partitionReader.int32();
        const offset = partitionReader.int64();
        if (v >= 6) partitionReader.int32(); // committed leader epoch
        const metadata = partitionReader.nullableString();
        partitionReader.tags();
        return { partition, offset, metadata };
      });
      topicReader.tags();
      return { topic, partitions };
    });
    request.tags();
    const { access } = session;
    const groupAllowed = access.group(groupId);
    const offsets: CommitOffset[] = topics
      .filter(({ topic }) => access.topic('READ', topic))
      .flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, ...partition })));
    const errorCode = groupAllowed
      ? broker.coordinator.commitOffsets(groupId, generationId, memberId, offsets)
      : ErrorCode.GROUP_AUTHORIZATION_FAILED;
    const writer = response();
    if (v >= 3) writer.int32(0);
    return writer
      .array(topics, (topicWriter, { topic, partitions }) => {
        const topicError =
          groupAllowed && !access.topic('READ', topic) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : errorCode;
        topicWriter.string(topic).array(partitions, (partitionWriter, { partition }) => {
          partitionWriter.int32(partition).int16(topicError).tags();
        });
        topicWriter.tags();
      })
      .tags();
  },
};

/**
 * OffsetFetch v1–7 (librdkafka asks for v7, kafkajs v4): null topics (v2+) means every partition the group has
 * committed (admin.fetchOffsets without topics). With ACLs, a group without a rule gets GROUP_AUTHORIZATION_FAILED
 * (per partition before v2, which has no top-level error), topics the principal may not read get
 * TOPIC_AUTHORIZATION_FAILED when named and are left out of "every partition".
 */
export const offsetFetchApi: ApiDefinition = {
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 7,
  flexibleFrom: 6,
  handle(request, { broker, session, apiVersion: v, response }) {
    const groupId = request.string();
    const topics = request.nullableArray((topicReader) => {
      const topic = topicReader.string();
      const partitions = topicReader.array((partitionReader) => partitionReader.int32());
      topicReader.tags();
      return { topic, partitions };
    });
    if (v >= 7) request.int8(); // require stable: without transactions every offset is stable
    request.tags();
    const { access } = session;
    const groupAllowed = access.group(groupId);
    const results = groupAllowed
      ? broker.coordinator
          .fetchOffsets(groupId, topics)
          .filter(({ topic }) => topics !== null || access.topic('READ', topic))
      : [];
    const writer = response();
    if (v >= 3) writer.int32(0);
    if (!groupAllowed && v >= 2) {
      return writer
        .array([], () => undefined)
        .int16(ErrorCode.GROUP_AUTHORIZATION_FAILED)
        .tags();
    }
    const perPartition = groupAllowed
      ? results
      : (topics ?? []).map(({ topic, partitions }) => ({
          topic,
          partitions: partitions.map((partition) => ({ partition, offset: -1, metadata: '' })),
        }));
    writer.array(perPartition, (topicWriter, { topic, partitions }) => {
      const errorCode = !groupAllowed
        ? ErrorCode.GROUP_AUTHORIZATION_FAILED
        : access.topic('READ', topic)
          ? ErrorCode.NONE
          : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
      topicWriter.string(topic).array(partitions, (partitionWriter, result) => {
        const offset = errorCode === ErrorCode.NONE ? result.offset : -1;
        const metadata = errorCode === ErrorCode.NONE ? result.metadata : '';
        partitionWriter.int32(result.partition).int64(offset);
        if (v >= 5) partitionWriter.int32(-1); // committed leader epoch unknown
        partitionWriter.nullableString(metadata).int16(errorCode).tags();
      });
      topicWriter.tags();
    });
    if (v >= 2) writer.int16(ErrorCode.NONE);
    return writer.tags();
  },
};
