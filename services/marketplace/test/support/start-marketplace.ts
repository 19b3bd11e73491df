import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { buildEnvelope, MemberJoined, toKafkaMessage, type EventDefinition } from '@taoyuan/events';
import { startBroker, type RunningBroker } from '@taoyuan/kafka-broker';
import type { RunningSubgraph } from '@taoyuan/service-kit';
import {
  createTestDatabase,
  graphqlData,
  graphqlRequest,
  startTestTokenIssuer,
  TEST_GATEWAY_SECRET,
  waitFor,
  type StatementRecorder,
  type TestDatabase,
  type TestRole,
  type TestTokenIssuer,
} from '@taoyuan/testing';
import {
  loadVolunteeringConfig,
  pointsLedgerFor,
  PointsEntryKind,
  startVolunteering,
  type VolunteeringConfig,
} from '@taoyuan/volunteering';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { startMarketplace } from '../../src/app';
import { loadMarketplaceConfig, type MarketplaceConfig } from '../../src/config';

export interface Person {
  id: string;
  token: string;
}

export interface MarketplaceUnderTest {
  url: string;
  db: DataSource;
  /** Records the SQL statements marketplace sends (statement-count tests). */
  statements: StatementRecorder;
  brokers: string;
  /** volunteering in this process on the same broker (the other half of the points saga), when asked for. */
  volunteering: VolunteeringUnderTest | null;
  person(roles?: TestRole[], communityId?: string): Promise<Person>;
  /** Sends a catalogue event to the broker as `source` would (e.g. '/taoyuan/organizations'), or as a forger. */
  send<Definition extends EventDefinition>(
    definition: Definition,
    source: string,
    payload: unknown,
    id?: string,
  ): Promise<void>;
  /** Makes `userId` a LEADER of `organizationId` through organizations' real event, and waits for the projection. */
  makeLeader(userId: string, organizationId: string): Promise<void>;
  stop(): Promise<void>;
}

export interface VolunteeringUnderTest {
  url: string;
  db: DataSource;
  /** Credits `points` to a resident (a BONUS in the ledger), as if they had earned them. */
  grant(userId: string, points: number, communityId?: string): Promise<void>;
  account(userId: string): Promise<{ balance: number; lifetimeEarned: number; tier: string; ledgerSum: number }>;
  stop(): Promise<void>;
  /** Starts it again on the same database, after stop(): volunteering coming back. */
  restart(): Promise<void>;
}

async function startVolunteeringHalf(
  brokers: string,
  jwksUrl: string,
): Promise<VolunteeringUnderTest & { drop(): Promise<void> }> {
  const database = await createTestDatabase('mk_volunteering');
  const config = loadVolunteeringConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: database.url,
    JWKS_URL: jwksUrl,
    MIGRATIONS_RUN: 'true',
    KAFKA_BROKERS: brokers,
    GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
  });
  let server: RunningSubgraph<VolunteeringConfig> | null = await startVolunteering(config);
  const half = {
    get url() {
      return server?.url ?? '';
    },
    get db() {
      if (!server) throw new Error('volunteering is stopped');
      return server.deps.dataSource;
    },
    grant: async (userId: string, points: number, communityId: string = TAOYUANJU.id) => {
      const db = half.db;
      const { ledger } = pointsLedgerFor(db);
      await db.transaction((manager) =>
        ledger.credit(manager, {
          userId,
          communityId,
          points,
          kind: PointsEntryKind.BONUS,
          sourceType: 'TEST_GRANT',
          sourceId: randomUUID(),
          causedBy: null,
        }),
      );
    },
    account: async (userId: string) => {
      const [row] = await half.db.query<{ balance: number; lifetime_earned: number; tier: string; sum: number }[]>(
        `SELECT a.balance, a.lifetime_earned, a.tier, COALESCE(sum(e.delta), 0)::int AS sum
           FROM points_accounts a LEFT JOIN points_entries e ON e.user_id = a.user_id
          WHERE a.user_id = $1 GROUP BY a.balance, a.lifetime_earned, a.tier`,
        [userId],
      );
      if (!row) throw new Error(`no points account for ${userId}`);
      return { balance: row.balance, lifetimeEarned: row.lifetime_earned, tier: row.tier, ledgerSum: row.sum };
    },
    stop: async () => {
      await server?.stop();
      server = null;
    },
    restart: async () => {
      server = await startVolunteering(config);
    },
    drop: async () => {
      await server?.stop();
      await database.drop();
    },
  };
  return half;
}

/**
 * marketplace in this process on a free port over a fresh database, the project's development broker, tokens from a
 * test issuer; with `{ volunteering: true }` also volunteering (its own database, same broker), so the points saga
 * runs for real. `paymentTimeoutSeconds` and `sweepIntervalMs` make the timeout testable without waiting 15 minutes.
 */
export async function startMarketplaceForTests(
  options: {
    volunteering?: boolean;
    paymentTimeoutSeconds?: number;
    sweepIntervalMs?: number;
    env?: Record<string, string>;
  } = {},
): Promise<MarketplaceUnderTest> {
  const database: TestDatabase = await createTestDatabase('marketplace');
  const tokens: TestTokenIssuer = await startTestTokenIssuer();
  const brokerDir = mkdtempSync(path.join(tmpdir(), 'taoyuan-marketplace-broker-'));
  const broker: RunningBroker = await startBroker({ port: 0, dataDir: path.join(brokerDir, 'data') });
  const config: MarketplaceConfig = loadMarketplaceConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: database.url,
    JWKS_URL: tokens.jwksUrl,
    MIGRATIONS_RUN: 'true',
    KAFKA_BROKERS: broker.brokers,
    GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
    ORDER_PAYMENT_TIMEOUT_SECONDS: String(options.paymentTimeoutSeconds ?? 900),
    MARKETPLACE_SWEEP_INTERVAL_MS: String(options.sweepIntervalMs ?? 200),
    ...options.env,
  });
  const server = await startMarketplace(config);
  const volunteering = options.volunteering ? await startVolunteeringHalf(broker.brokers, tokens.jwksUrl) : null;
  const kafka = new Kafka({ clientId: 'marketplace-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();

  const send: MarketplaceUnderTest['send'] = async (definition, source, payload, id) => {
    const envelope = buildEnvelope(definition, source, payload, { communityId: TAOYUANJU.id, ...(id ? { id } : {}) });
    await producer.send({ topic: definition.topic, messages: [toKafkaMessage(envelope)] });
  };

  return {
    url: server.url,
    db: server.deps.dataSource,
    statements: server.deps.queries,
    brokers: broker.brokers,
    volunteering,
    person: async (roles = ['RESIDENT'], communityId = TAOYUANJU.id) => {
      const id = randomUUID();
      return { id, token: await tokens.sign({ userId: id, communityId, roles }) };
    },
    send,
    makeLeader: async (userId, organizationId) => {
      const membershipId = randomUUID();
      await send(MemberJoined, '/taoyuan/organizations', {
        membershipId,
        organizationId,
        userId,
        communityId: TAOYUANJU.id,
        role: 'LEADER',
        joinedAt: new Date().toISOString(),
        membershipVersion: 1,
      });
      await waitFor(async () => {
        const rows: unknown[] = await server.deps.dataSource.query(
          `SELECT 1 FROM organization_memberships WHERE membership_id = $1 AND active`,
          [membershipId],
        );
        return rows.length > 0;
      }, 'the leader to reach marketplace’s membership projection');
    },
    stop: async () => {
      await producer.disconnect();
      await volunteering?.drop();
      await server.stop();
      await broker.stop();
      await tokens.stop();
      await database.drop();
      rmSync(brokerDir, { recursive: true, force: true });
    },
  };
}

/** GraphQL against one subgraph, data or failure. */
export function client(url: string) {
  return {
    data: <T>(query: string, variables: Record<string, unknown>, token: string) =>
      graphqlData<T>(url, query, variables, { token }),
    /** As the gateway would call: with its credential, needed for `_entities`. */
    asGateway: <T>(query: string, variables: Record<string, unknown>, token: string) =>
      graphqlData<T>(url, query, variables, { token, asGatewayTo: 'marketplace' }),
    errorOf: async (query: string, variables: Record<string, unknown>, token: string) => {
      const response = await graphqlRequest(url, query, variables, { token });
      const error = response.errors?.[0];
      if (!error) throw new Error(`expected an error, got ${JSON.stringify(response.data)}`);
      return { code: error.extensions?.code, reason: error.extensions?.reason, field: error.extensions?.field };
    },
  };
}

export const REGISTER = `mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { id status } }`;
export const VERIFY = `mutation($id: ID!) { verifyProvider(id: $id) { id status } }`;
export const CREATE_OFFERING = `mutation($input: CreateServiceOfferingInput!) { createServiceOffering(input: $input) { id status } }`;
export const ADD_SLOT = `mutation($id: ID!, $input: AddTimeSlotInput!) { addTimeSlot(offeringId: $id, input: $input) { id placesLeft } }`;
export const PUBLISH = `mutation($id: ID!) { publishServiceOffering(id: $id) { id status } }`;
export const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  id status payWith pricePoints priceFen cancelReason } }`;
export const ORDER = `query($id: ID!) { order(id: $id) { id status cancelReason pricePoints priceFen paidAt } }`;

/**
 * A verified provider (registered by a community worker, verified by a committee member) with one published
 * offering; `slotCapacity` adds a time slot tomorrow.
 */
export async function publishedOffering(
  market: MarketplaceUnderTest,
  price: { free?: boolean; pricePoints?: number; priceFen?: number },
  options: {
    slotCapacity?: number;
    communityOwned?: boolean;
    title?: string;
    description?: string;
    category?: string;
  } = {},
) {
  const api = client(market.url);
  const worker = await market.person(['RESIDENT', 'COMMUNITY_WORKER']);
  const committee = await market.person(['RESIDENT', 'COMMITTEE']);
  const { registerProvider } = await api.data<{ registerProvider: { id: string } }>(
    REGISTER,
    {
      input: {
        kind: 'ENTERPRISE',
        name: '桃源居物业',
        description: '小区物业服务',
        contact: '0755-27880002',
        communityOwned: options.communityOwned ?? false,
      },
    },
    worker.token,
  );
  await api.data(VERIFY, { id: registerProvider.id }, committee.token);
  const { createServiceOffering } = await api.data<{ createServiceOffering: { id: string } }>(
    CREATE_OFFERING,
    {
      input: {
        providerId: registerProvider.id,
        title: options.title ?? '家电维修',
        description: options.description ?? '上门维修洗衣机、空调、热水器',
        category: options.category ?? 'REPAIRS',
        targetGroups: ['EVERYONE'],
        ...price,
      },
    },
    worker.token,
  );
  let slotId: string | null = null;
  if (options.slotCapacity) {
    const startsAt = new Date(Date.now() + 86_400_000);
    const { addTimeSlot } = await api.data<{ addTimeSlot: { id: string } }>(
      ADD_SLOT,
      {
        id: createServiceOffering.id,
        input: { startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), capacity: options.slotCapacity },
      },
      worker.token,
    );
    slotId = addTimeSlot.id;
  }
  await api.data(PUBLISH, { id: createServiceOffering.id }, worker.token);
  return { providerId: registerProvider.id, offeringId: createServiceOffering.id, slotId, worker, committee };
}

export { waitFor };
