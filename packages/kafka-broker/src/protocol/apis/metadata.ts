import { CLUSTER_ID, NODE_ID } from '../../broker';
import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/**
 * Metadata v6: the single broker, which leads every partition. Unknown topics are auto-created if asked to. With
 * ACLs, listing all topics shows only those the principal may read or write, a named topic it may not gets
 * TOPIC_AUTHORIZATION_FAILED (as in Kafka), and it may auto-create only topics it may read or write: a consumer
 * subscribing before the first event must not fail (production creates every topic up front instead).
 */
export const metadataApi: ApiDefinition = {
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  minVersion: 6,
  maxVersion: 6,
  handle(request, { broker, session }) {
    const requested = request.nullableArray((reader) => reader.string());
    const allowAutoCreate = request.int8() !== 0;
    const { access } = session;
    const names =
      requested ??
      broker.topics
        .all()
        .map((topic) => topic.name)
        .filter((name) => access.describeTopic(name));
    const topics = names.map((name) => {
      if (!access.describeTopic(name))
        return { name, topic: undefined, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
      const topic = allowAutoCreate ? broker.autoCreateTopic(name) : broker.topics.get(name);
      return { name, topic, errorCode: topic ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    });

    const response = new Writer()
      .int32(0)
      .array([NODE_ID], (writer, nodeId) =>
        writer.int32(nodeId).string(broker.advertisedHost).int32(broker.advertisedPort).nullableString(null),
      )
      .nullableString(CLUSTER_ID)
      .int32(NODE_ID);
    return response.array(topics, (writer, { name, topic, errorCode }) => {
      writer
        .int16(errorCode)
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
