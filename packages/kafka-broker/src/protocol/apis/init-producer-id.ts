import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/**
 * InitProducerId v1: a fresh, never reused producer id with epoch 0. A transactional id is accepted here, but the
 * transaction APIs are not advertised, so a transactional producer fails clearly on its next step. Like Kafka
 * (KIP-679), a principal gets a producer id if it may write to at least one topic.
 */
export const initProducerIdApi: ApiDefinition = {
  apiKey: ApiKey.InitProducerId,
  name: 'InitProducerId',
  minVersion: 1,
  maxVersion: 1,
  handle(request, { broker, session }) {
    request.nullableString();
    request.int32();
    if (!session.access.mayWriteSomewhere()) {
      return new Writer().int32(0).int16(ErrorCode.CLUSTER_AUTHORIZATION_FAILED).int64(-1).int16(-1);
    }
    return new Writer().int32(0).int16(ErrorCode.NONE).int64(broker.producerIds.allocate()).int16(0);
  },
};
