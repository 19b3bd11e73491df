import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { buildEnvelope, TierReached, type EventEnvelope, type PayloadOf, type ReceivedEvent } from '@taoyuan/events';
import { startBroker, type RunningBroker } from '@taoyuan/kafka-broker';
import type { RunningSubgraph } from '@taoyuan/service-kit';
import {
  createTestDatabase,
  graphqlData,
  graphqlRequest,
  startTestTokenIssuer,
  TEST_GATEWAY_SECRET,
  type GraphqlResponse,
  type TestDatabase,
  type TestRole,
  type TestTokenIssuer,
} from '@taoyuan/testing';
import { organizationsDomain, startOrganizations, type OrganizationsDomain } from '../../src/app';
import { loadOrganizationsConfig, type OrganizationsConfig } from '../../src/config';

export type TierPayload = PayloadOf<typeof TierReached>;

export interface Person {
  id: string;
  communityId: string;
  token: string;
}

export interface OrganizationsUnderTest {
  server: RunningSubgraph<OrganizationsConfig>;
  url: string;
  database: TestDatabase;
  issuer: TestTokenIssuer;
  /** The service's domain objects over the same database, to drive event handlers directly. */
  domain: OrganizationsDomain;
  /** Present when started with `{ broker: true }`. */
  broker?: RunningBroker;
  query(sql: string, parameters?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A signed-in person of 桃源居 (or of `communityId`) with the given platform roles. */
  person(roles?: TestRole[], communityId?: string, id?: string): Promise<Person>;
  stop(): Promise<void>;
}

/**
 * organizations in this process on a free port, over a fresh migrated database, verifying tokens from a local test
 * issuer (no identity needed). With `broker: true` a development Kafka broker runs too and the service's outbox relay
 * and TierReached consumer are connected to it.
 */
export async function startOrganizationsForTests(
  options: { seed?: boolean; broker?: boolean; env?: Record<string, string> } = {},
): Promise<OrganizationsUnderTest> {
  const database = await createTestDatabase('organizations');
  const issuer = await startTestTokenIssuer();
  const brokerDir = options.broker ? mkdtempSync(path.join(tmpdir(), 'taoyuan-org-broker-')) : undefined;
  const broker = brokerDir ? await startBroker({ port: 0, dataDir: path.join(brokerDir, 'data') }) : undefined;
  const config = loadOrganizationsConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: database.url,
    MIGRATIONS_RUN: 'true',
    SEED_DEMO_DATA: options.seed ? 'true' : 'false',
    JWKS_URL: issuer.jwksUrl,
    KAFKA_BROKERS: broker?.brokers,
    GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
    ...options.env,
  });
  const server = await startOrganizations(config);
  return {
    server,
    url: server.url,
    database,
    issuer,
    broker,
    domain: organizationsDomain(server.deps),
    query: (sql, parameters = []) => server.deps.dataSource.query(sql, parameters),
    person: async (roles = ['RESIDENT'], communityId = TAOYUANJU.id, id = randomUUID()) => ({
      id,
      communityId,
      token: await issuer.sign({ userId: id, communityId, roles }),
    }),
    stop: async () => {
      await server.stop();
      await broker?.stop();
      if (brokerDir) rmSync(brokerDir, { recursive: true, force: true });
      await issuer.stop();
      await database.drop();
    },
  };
}

/** A TierReached event as volunteering would publish it. */
export function tierReachedEvent(
  userId: string,
  tier: TierPayload['tier'],
  lifetimeEarned = 600,
  communityId: string = TAOYUANJU.id,
): EventEnvelope<TierPayload> {
  return buildEnvelope(
    TierReached,
    '/taoyuan/volunteering',
    { userId, communityId, tier, lifetimeEarned, reachedAt: new Date().toISOString() },
    { communityId },
  );
}

/** The envelope as the consumer hands it to a handler. */
export function received(envelope: EventEnvelope<TierPayload>): ReceivedEvent<TierPayload> {
  return { envelope, payload: envelope.data, topic: TierReached.topic, partition: 0, offset: '0' };
}

/** GraphQL helpers bound to the service under test. */
export function api(service: OrganizationsUnderTest) {
  const request = <Data = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who?: Person) =>
    graphqlRequest<Data>(service.url, query, variables, { token: who?.token });
  const data = <Data = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who?: Person) =>
    graphqlData<Data>(service.url, query, variables, { token: who?.token });
  /** `data` as the gateway asks (its credential presented): for `_entities`. */
  const asGateway = <Data = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who?: Person) =>
    graphqlData<Data>(service.url, query, variables, { token: who?.token, asGatewayTo: 'organizations' });
  const errorOf = (response: GraphqlResponse) => response.errors?.[0]?.extensions;

  return {
    request,
    data,
    asGateway,
    errorOf,
    async register(who: Person, input: Record<string, unknown>): Promise<string> {
      const result = await data<{ registerOrganization: { id: string } }>(
        `mutation($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`,
        { input },
        who,
      );
      return result.registerOrganization.id;
    },
    async approve(committee: Person, id: string): Promise<void> {
      await data(`mutation($id: ID!) { approveOrganization(id: $id) { id } }`, { id }, committee);
    },
    /** Registered by `leader`, approved by `committee`: ACTIVE with `leader` as its first LEADER. */
    async activeOrganization(
      leader: Person,
      committee: Person,
      input: { name?: string; joinPolicy?: 'OPEN' | 'APPROVAL' } = {},
    ): Promise<string> {
      const id = await this.register(leader, {
        name: input.name ?? `测试组织${randomUUID().slice(0, 8)}`,
        kind: 'VOLUNTEER_TEAM',
        description: '测试用',
        joinPolicy: input.joinPolicy ?? 'OPEN',
      });
      await this.approve(committee, id);
      return id;
    },
    async join(who: Person, organizationId: string): Promise<{ id: string; status: string; role: string }> {
      const result = await data<{ joinOrganization: { id: string; status: string; role: string } }>(
        `mutation($id: ID!) { joinOrganization(organizationId: $id) { id status role } }`,
        { id: organizationId },
        who,
      );
      return result.joinOrganization;
    },
  };
}

export { waitFor } from '@taoyuan/testing';
