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
 * Every API this broker speaks, each at the one version kafkajs 2.2.4 picks against real Kafka (its own maximum);
 * kafkajs uses min(its max, our max) and ignores our minimum, so advertising exactly those versions is both honest
 * and sufficient. ApiVersions itself accepts v0–2, SaslHandshake and SaslAuthenticate v0–1.
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
