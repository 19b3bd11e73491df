import type { CommitOffset } from '../../coordinator/group-coordinator';
import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/** OffsetCommit v5: one verdict for the whole request (it depends only on group, generation and member). */
export const offsetCommitApi: ApiDefinition = {
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 5,
  maxVersion: 5,
  handle(request, { broker }) {
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
    const offsets: CommitOffset[] = topics.flatMap(({ topic, partitions }) =>
      partitions.map((partition) => ({ topic, ...partition })),
    );
    const errorCode = broker.coordinator.commitOffsets(groupId, generationId, memberId, offsets);
    return new Writer().int32(0).array(topics, (writer, { topic, partitions }) => {
      writer.string(topic).array(partitions, (partitionWriter, { partition }) => {
        partitionWriter.int32(partition).int16(errorCode);
      });
    });
  },
};

/** OffsetFetch v4: null topics means every partition the group has committed (admin.fetchOffsets without topics). */
export const offsetFetchApi: ApiDefinition = {
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  minVersion: 4,
  maxVersion: 4,
  handle(request, { broker }) {
    const groupId = request.string();
    const topics = request.nullableArray((topicReader) => ({
      topic: topicReader.string(),
      partitions: topicReader.array((partitionReader) => partitionReader.int32()),
    }));
    const results = broker.coordinator.fetchOffsets(groupId, topics);
    return new Writer()
      .int32(0)
      .array(results, (writer, { topic, partitions }) => {
        writer.string(topic).array(partitions, (partitionWriter, result) => {
          partitionWriter.int32(result.partition).int64(result.offset).nullableString(result.metadata).int16(0);
        });
      })
      .int16(ErrorCode.NONE);
  },
};
