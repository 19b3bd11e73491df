import { CLUSTER_ID, NODE_ID } from '../../broker';
import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';

/** Kafka's "authorized operations were not requested" marker (Integer.MIN_VALUE). */
const OPERATIONS_NOT_REQUESTED = -2147483648;

/**
 * Metadata v0–9 (librdkafka 2.0 asks for v4, kafkajs v6, the Java client v9): the single broker, which leads every
 * partition. Unknown topics are auto-created if asked to (always before v4, as in Kafka). With ACLs, listing all
 * topics shows only those the principal may read or write, a named topic it may not gets TOPIC_AUTHORIZATION_FAILED
 * (as in Kafka), and it may auto-create only topics it may read or write: a consumer subscribing before the first
 * event must not fail (production creates every topic up front instead).
 */
export const metadataApi: ApiDefinition = {
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 9,
  flexibleFrom: 9,
  handle(request, { broker, session, apiVersion: v, response }) {
    const requestedTopics = request.nullableArray((reader) => {
      const name = reader.string();
      reader.tags();
      return name;
    });
    // In v0 an empty list meant "every topic"; from v1 that is null and an empty list means none.
    const requested = v === 0 && requestedTopics?.length === 0 ? null : requestedTopics;
    const allowAutoCreate = v >= 4 ? request.int8() !== 0 : true;
    if (v >= 8) {
      request.int8(); // include cluster / topic authorized operations: not reported
      request.int8();
    }
    request.tags();
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

    const writer = response();
    if (v >= 3) writer.int32(0);
    writer.array([NODE_ID], (w, nodeId) => {
      w.int32(nodeId).string(broker.advertisedHost).int32(broker.advertisedPort);
      if (v >= 1) w.nullableString(null);
      w.tags();
    });
    if (v >= 2) writer.nullableString(CLUSTER_ID);
    if (v >= 1) writer.int32(NODE_ID);
    writer.array(topics, (w, { name, topic, errorCode }) => {
      w.int16(errorCode).string(name);
      if (v >= 1) w.int8(0);
      w.array(topic?.partitions ?? [], (pw, log) => {
        pw.int16(ErrorCode.NONE).int32(log.partition).int32(NODE_ID);
        if (v >= 7) pw.int32(-1); // leader epoch unknown: clients then skip epoch validation (no OffsetForLeaderEpoch)
        pw.array([NODE_ID], (iw, id) => iw.int32(id)).array([NODE_ID], (iw, id) => iw.int32(id));
        if (v >= 5) pw.array([], (iw, id: number) => iw.int32(id));
        pw.tags();
      });
      if (v >= 8) w.int32(OPERATIONS_NOT_REQUESTED);
      w.tags();
    });
    if (v >= 8) writer.int32(OPERATIONS_NOT_REQUESTED);
    return writer.tags();
  },
};
