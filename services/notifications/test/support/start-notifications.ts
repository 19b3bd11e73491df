import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildEnvelope, toKafkaMessage, type EventDefinition } from '@taoyuan/events';
import { startBroker, type RunningBroker } from '@taoyuan/kafka-broker';
import type { RunningSubgraph } from '@taoyuan/service-kit';
import {
  createTestDatabase,
  graphqlData,
  openEventStream,
  startTestTokenIssuer,
  TEST_GATEWAY_SECRET,
  type EventStreamReader,
  type TestDatabase,
  type TestRole,
  type TestTokenIssuer,
} from '@taoyuan/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { startNotifications } from '../../src/app';
import { loadNotificationsConfig, type NotificationsConfig } from '../../src/config';

export interface Resident {
  id: string;
  token: string;
}

export interface NotificationsUnderTest {
  server: RunningSubgraph<NotificationsConfig>;
  url: string;
  origin: string;
  db: DataSource;
  brokers: string;
  resident(communityId?: string, roles?: TestRole[]): Promise<Resident>;
  /** Publishes an event onto its topic as `source` would (the declared producer unless a test forges it). */
  send(definition: EventDefinition, payload: unknown, options?: { source?: string; id?: string }): Promise<string>;
  /** Many events of one type in one produce request, from their declared producer (benchmarks). */
  sendMany(definition: EventDefinition, payloads: unknown[]): Promise<void>;
  /** The resident's notifications, newest first, in `language`. */
  list(resident: Resident, options?: { unreadOnly?: boolean; language?: string }): Promise<NotificationNode[]>;
  stream(resident: Resident, headers?: Record<string, string>): Promise<EventStreamReader>;
  /** Another instance on the same database that consumes nothing: it serves streams only, as a second pod would. */
  streamOnlyInstance(): Promise<RunningSubgraph<NotificationsConfig>>;
  stop(): Promise<void>;
}

export interface NotificationNode {
  id: string;
  sequence: number;
  kind: string;
  title: string;
  body: string;
  read: boolean;
  points: number | null;
  orderId: string | null;
  opportunityId: string | null;
  organizationId: string | null;
  bookingId: string | null;
}

/** The community every test resident lives in; notifications never looks communities up. */
export const COMMUNITY_ID = '6f1c2d3e-0000-4000-8000-000000000001';

/** The payload of an `OrderConfirmed` for this resident: a new order each time. */
export const orderFor = (resident: Resident) => ({
  orderId: randomUUID(),
  userId: resident.id,
  communityId: COMMUNITY_ID,
  at: new Date().toISOString(),
});

export const NOTIFICATION_FIELDS = `id sequence kind title body read points orderId opportunityId organizationId bookingId`;

const LIST = `query($id: ID!, $unreadOnly: Boolean!) {
  _entities(representations: [{ __typename: "User", id: $id }]) {
    ... on User { notifications(first: 100, unreadOnly: $unreadOnly) { edges { node { ${NOTIFICATION_FIELDS} } } } }
  }
}`;

/**
 * Notifications in this process on a free port, over a fresh database, consuming from a development broker of its
 * own; tokens from a test issuer. `send` is every other service: it writes their events onto the real topics.
 */
export async function startNotificationsForTests(
  options: { env?: Record<string, string> } = {},
): Promise<NotificationsUnderTest> {
  const database: TestDatabase = await createTestDatabase('notifications');
  const tokens: TestTokenIssuer = await startTestTokenIssuer();
  const brokerDir = mkdtempSync(path.join(tmpdir(), 'taoyuan-notifications-broker-'));
  const broker: RunningBroker = await startBroker({ port: 0, dataDir: path.join(brokerDir, 'data') });
  const config = loadNotificationsConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: database.url,
    JWKS_URL: tokens.jwksUrl,
    GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
    MIGRATIONS_RUN: 'true',
    KAFKA_BROKERS: broker.brokers,
    ...options.env,
  });
  const server = await startNotifications(config);
  const kafka = new Kafka({ clientId: 'notifications-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
  const origin = new URL(server.url).origin;
  const others: RunningSubgraph<NotificationsConfig>[] = [];

  return {
    server,
    url: server.url,
    origin,
    db: server.deps.dataSource,
    brokers: broker.brokers,
    resident: async (communityId = COMMUNITY_ID, roles: TestRole[] = ['RESIDENT']) => {
      const id = randomUUID();
      return { id, token: await tokens.sign({ userId: id, communityId, roles }) };
    },
    send: async (definition, payload, sendOptions = {}) => {
      const envelope = buildEnvelope(definition, sendOptions.source ?? `/taoyuan/${definition.producer}`, payload, {
        communityId: COMMUNITY_ID,
        ...(sendOptions.id ? { id: sendOptions.id } : {}),
      });
      await producer.send({ topic: definition.topic, messages: [toKafkaMessage(envelope)] });
      return envelope.id;
    },
    sendMany: async (definition, payloads) => {
      const messages = payloads.map((payload) =>
        toKafkaMessage(
          buildEnvelope(definition, `/taoyuan/${definition.producer}`, payload, { communityId: COMMUNITY_ID }),
        ),
      );
      await producer.send({ topic: definition.topic, messages });
    },
    list: async (resident, listOptions = {}) => {
      // As the gateway asks for a field of identity's User: the `_entities` join, with the gateway's credential.
      const data = await graphqlData<{ _entities: { notifications: { edges: { node: NotificationNode }[] } }[] }>(
        server.url,
        LIST,
        { id: resident.id, unreadOnly: listOptions.unreadOnly ?? false },
        {
          token: resident.token,
          asGatewayTo: 'notifications',
          headers: listOptions.language ? { 'accept-language': listOptions.language } : {},
        },
      );
      return data._entities[0].notifications.edges.map((edge) => edge.node);
    },
    stream: (resident, headers = {}) =>
      openEventStream(`${origin}/notifications/stream`, { authorization: `Bearer ${resident.token}`, ...headers }),
    streamOnlyInstance: async () => {
      const instance = await startNotifications({ ...config, KAFKA_BROKERS: undefined, MIGRATIONS_RUN: false });
      others.push(instance);
      return instance;
    },
    stop: async () => {
      for (const instance of others) await instance.stop();
      await producer.disconnect();
      await server.stop();
      await broker.stop();
      await tokens.stop();
      await database.drop();
      rmSync(brokerDir, { recursive: true, force: true });
    },
  };
}

export { eventually, waitFor } from '@taoyuan/testing';
