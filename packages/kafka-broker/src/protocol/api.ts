import type { Broker } from '../broker';
import type { ConnectionSession } from '../security/session';
import type { Reader } from './reader';
import type { Writer } from './writer';

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  SaslAuthenticate: 36,
  DeleteGroups: 42,
} as const;

export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];

export interface RequestContext {
  broker: Broker;
  apiVersion: number;
  clientId: string;
  clientHost: string;
  /** Who is asking (after SASL) and what they may do; open to everyone when the broker has no security config. */
  session: ConnectionSession;
  /** Whether this request's version uses the flexible encoding; the response must then use it too. */
  flexible: boolean;
  /** A response body writer in this request's encoding. */
  response: (initialCapacity?: number) => Writer;
}

/**
 * Decodes one request body and encodes its response body; null means "send no response" (Produce with acks=0).
 * Handlers that wait (Fetch long-poll, JoinGroup, follower SyncGroup) return a promise.
 */
export type ApiHandler = (request: Reader, context: RequestContext) => Writer | null | Promise<Writer | null>;

export interface ApiDefinition {
  apiKey: ApiKey;
  name: keyof typeof ApiKey;
  minVersion: number;
  maxVersion: number;
  /** The first flexible version (KIP-482: compact types, tagged fields, request header v2, response header v1). */
  flexibleFrom?: number;
  handle: ApiHandler;
}
