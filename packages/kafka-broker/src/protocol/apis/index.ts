import type { ApiDefinition } from '../api';
import { advertisedApis, apiVersionsApi } from './api-versions';
import { fetchApi } from './fetch';
import {
  deleteGroupsApi,
  describeGroupsApi,
  findCoordinatorApi,
  heartbeatApi,
  joinGroupApi,
  leaveGroupApi,
  listGroupsApi,
  syncGroupApi,
} from './groups';
import { initProducerIdApi } from './init-producer-id';
import { listOffsetsApi } from './list-offsets';
import { metadataApi } from './metadata';
import { offsetCommitApi, offsetFetchApi } from './offsets';
import { produceApi } from './produce';
import { saslAuthenticateApi, saslHandshakeApi } from './sasl';
import { createTopicsApi, deleteTopicsApi } from './topics';

/**
 * Every API this broker speaks, each over a range of versions that every one of them is implemented for. Clients
 * use the highest version both sides know, so the ranges must reach what each client asks for (kafkajs 2.2.4 stays
 * on the versions it always used: none of its maxima is above ours) and also hold the low versions librdkafka
 * checks for when it decides what the broker can do (e.g. Produce 3 and Fetch 4 mean "record batches", OffsetCommit
 * 2 and JoinGroup 0 mean "broker-side consumer groups"): without them it falls back to a 0.9 feature set.
 */
const apis: ApiDefinition[] = [
  apiVersionsApi,
  metadataApi,
  produceApi,
  fetchApi,
  listOffsetsApi,
  findCoordinatorApi,
  joinGroupApi,
  syncGroupApi,
  heartbeatApi,
  leaveGroupApi,
  offsetCommitApi,
  offsetFetchApi,
  createTopicsApi,
  deleteTopicsApi,
  initProducerIdApi,
  describeGroupsApi,
  listGroupsApi,
  deleteGroupsApi,
  saslHandshakeApi,
  saslAuthenticateApi,
];

export const apisByKey: ReadonlyMap<number, ApiDefinition> = new Map(apis.map((api) => [api.apiKey, api]));

advertisedApis.push(
  ...apis
    .map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }))
    .sort((a, b) => a.apiKey - b.apiKey),
);
