import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { buildEnvelope, toKafkaMessage, type EventDefinition } from '@taoyuan/events';
import { startBroker, type RunningBroker } from '@taoyuan/kafka-broker';
import {
  createTestDatabase,
  startTestTokenIssuer,
  TEST_GATEWAY_SECRET,
  type StatementRecorder,
  type TestDatabase,
  type TestTokenIssuer,
} from '@taoyuan/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { startPartners } from '../../src/app';
import { loadPartnersConfig } from '../../src/config';

export interface PartnersUnderTest {
  url: string;
  database: TestDatabase;
  issuer: TestTokenIssuer;
  broker: RunningBroker;
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  /** Records the SQL statements partners sends (statement-count tests). */
  statements: StatementRecorder;
  /** Publishes an event as its producer would (CloudEvents headers, the catalogue's source). */
  publish<Payload>(
    definition: EventDefinition,
    payload: Payload,
    options?: { communityId?: string; time?: Date },
  ): Promise<string>;
  /** A partner client token (as identity issues them) for a new client id. */
  partner(scopes: string[], communityIds?: string[]): Promise<{ clientId: string; token: string }>;
  stop(): Promise<void>;
}

/**
 * partners in this process on a free port with its own database and the project's broker; partner tokens from a
 * test issuer signed like identity's. Retries are fast (`WEBHOOK_RETRY_SCHEDULE` in tenths of seconds) and loopback
 * is allowed unless the test says otherwise.
 */
export async function startPartnersForTests(env: Record<string, string> = {}): Promise<PartnersUnderTest> {
  const database = await createTestDatabase('partners');
  const issuer = await startTestTokenIssuer();
  const brokerDir = mkdtempSync(path.join(tmpdir(), 'taoyuan-partners-broker-'));
  const broker = await startBroker({ port: 0, dataDir: path.join(brokerDir, 'data') });
  const server = await startPartners(
    loadPartnersConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      PORT: '0',
      DATABASE_URL: database.url,
      MIGRATIONS_RUN: 'true',
      JWKS_URL: issuer.jwksUrl,
      KAFKA_BROKERS: broker.brokers,
      GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.4,0.4,0.8,0.8',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
      ...env,
    }),
  );
  const kafka = new Kafka({
    clientId: 'partners-test',
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
  return {
    url: server.url,
    database,
    issuer,
    broker,
    query: (sql, parameters = []) => server.deps.dataSource.query(sql, parameters),
    statements: server.deps.queries,
    publish: async (definition, payload, options = {}) => {
      const envelope = buildEnvelope(definition, `/taoyuan/${definition.producer}`, payload, {
        communityId: options.communityId ?? TAOYUANJU.id,
        time: options.time,
      });
      await producer.send({ topic: definition.topic, acks: -1, messages: [toKafkaMessage(envelope)] });
      return envelope.id;
    },
    partner: async (scopes, communityIds = [TAOYUANJU.id]) => {
      const clientId = randomUUID();
      return { clientId, token: await issuer.signPartner({ clientId, scopes, communityIds }) };
    },
    stop: async () => {
      await producer.disconnect();
      await server.stop();
      await broker.stop();
      rmSync(brokerDir, { recursive: true, force: true });
      await issuer.stop();
      await database.drop();
    },
  };
}

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
}

export interface TestReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer with this status (e.g. 503 while "down"), or a redirect to `location`. */
  respond(status: number, location?: string): void;
  stop(): Promise<void>;
}

/** A webhook receiver on loopback that records every request and answers as told. */
export async function startReceiver(): Promise<TestReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  let location: string | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status, location ? { location } : {});
      res.end(status >= 300 && status < 400 ? '' : 'x'.repeat(5000));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    respond: (next, nextLocation) => {
      status = next;
      location = nextLocation;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
