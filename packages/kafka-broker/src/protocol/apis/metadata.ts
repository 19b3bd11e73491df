import { CLUSTER_ID, NODE_ID } from '../../broker';
import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/** Metadata v6: the single broker, which leads every partition. Unknown topics are auto-created if asked to. */
export const metadataApi: ApiDefinition = {
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  minVersion: 6,
  maxVersion: 6,
  handle(request, { broker }) {
    const requested = request.nullableArray((reader) => reader.string());
    const allowAutoCreate = request.int8() !== 0;
    const topics = (requested ?? broker.topics.all().map((topic) => topic.name)).map((name) => ({
      name,
      topic: allowAutoCreate ? broker.autoCreateTopic(name) : broker.topics.get(name),
    }));

    const response = new Writer()
      .int32(0)
      .array([NODE_ID], (writer, nodeId) =>
        writer.int32(nodeId).string(broker.advertisedHost).int32(broker.advertisedPort).nullableString(null),
      )
      .nullableString(CLUSTER_ID)
      .int32(NODE_ID);
    return response.array(topics, (writer, { name, topic }) => {
      writer
        .int16(topic ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
        .string(name)
        .int8(0)
        .array(topic?.partitions ?? [], (partitionWriter, log) => {
          partitionWriter
            .int16(ErrorCode.NONE)
            .int32(log.partition)
            .int32(NODE_ID)
            .array([NODE_ID], (w, id) => w.int32(id))
            .array([NODE_ID], (w, id) => w.int32(id))
            .array([], (w, id: number) => w.int32(id));
        });
    });
  },
};
