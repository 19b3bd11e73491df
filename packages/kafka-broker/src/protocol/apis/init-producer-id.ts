import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';

/**
 * InitProducerId v0–4 (librdkafka needs v0 in the range for idempotence and asks for v4, kafkajs v1): a fresh,
 * never reused producer id with epoch 0. A transactional id is accepted here, but the transaction APIs are not
 * advertised, so a transactional producer fails clearly on its next step. Like Kafka (KIP-679), a principal gets a
 * producer id if it may write to at least one topic.
 */
export const initProducerIdApi: ApiDefinition = {
  apiKey: ApiKey.InitProducerId,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 2,
  handle(request, { broker, session, apiVersion: v, response }) {
    request.nullableString(); // transactional id
    request.int32(); // transaction timeout
    if (v >= 3) {
      // The producer's current id and epoch (KIP-360, bumping the epoch): a fresh id serves it just as well here.
      request.int64();
      request.int16();
    }
    request.tags();
    const writer = response().int32(0);
    if (!session.access.mayWriteSomewhere()) {
      return writer.int16(ErrorCode.CLUSTER_AUTHORIZATION_FAILED).int64(-1).int16(-1).tags();
    }
    return writer.int16(ErrorCode.NONE).int64(broker.producerIds.allocate()).int16(0).tags();
  },
};
