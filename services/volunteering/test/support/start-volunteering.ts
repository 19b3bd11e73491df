import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBroker, type RunningBroker } from '@taoyuan/kafka-broker';
import type { RunningSubgraph } from '@taoyuan/service-kit';
import {
  createTestDatabase,
  graphqlData,
  startTestTokenIssuer,
  TEST_GATEWAY_SECRET,
  type TestDatabase,
  type TestRole,
  type TestTokenIssuer,
} from '@taoyuan/testing';
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { startVolunteering } from '../../src/app';
import { loadVolunteeringConfig, type VolunteeringConfig } from '../../src/config';

export interface VolunteeringUnderTest {
  server: RunningSubgraph<VolunteeringConfig>;
  url: string;
  db: DataSource;
  database: TestDatabase;
  tokens: TestTokenIssuer;
  /** Set when started with `{ kafka: true }`: the project's development broker, the relay publishing to it. */
  broker: RunningBroker | null;
  token(userId: string, communityId: string, roles?: TestRole[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Volunteering in this process on a free port, over a fresh database with its migrations; tokens come from a test
 * issuer (signed like identity's, JWKS served locally), so no identity service is needed.
 */
export async function startVolunteeringForTests(
  options: { kafka?: boolean; seed?: boolean; env?: Record<string, string> } = {},
): Promise<VolunteeringUnderTest> {
  const database = await createTestDatabase('volunteering');
  const tokens = await startTestTokenIssuer();
  let brokerDir: string | null = null;
  let broker: RunningBroker | null = null;
  if (options.kafka) {
    brokerDir = mkdtempSync(path.join(tmpdir(), 'taoyuan-volunteering-broker-'));
    broker = await startBroker({ port: 0, dataDir: path.join(brokerDir, 'data') });
  }
  const config = loadVolunteeringConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: database.url,
    JWKS_URL: tokens.jwksUrl,
    MIGRATIONS_RUN: 'true',
    SEED_DEMO_DATA: options.seed ? 'true' : 'false',
    KAFKA_BROKERS: broker?.brokers,
    GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
    ...options.env,
  });
  const server = await startVolunteering(config);
  return {
    server,
    url: server.url,
    db: server.deps.dataSource,
    database,
    tokens,
    broker,
    token: (userId, communityId, roles = ['RESIDENT']) => tokens.sign({ userId, communityId, roles }),
    stop: async () => {
      await server.stop();
      await broker?.stop();
      await tokens.stop();
      await database.drop();
      if (brokerDir) rmSync(brokerDir, { recursive: true, force: true });
    },
  };
}

export function payloadOf<T = Record<string, unknown>>(message: KafkaMessage): T {
  return JSON.parse(message.value?.toString('utf8') ?? 'null') as T;
}

const CREATE = `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id status } }`;
const ADD_SHIFT = `mutation($id: ID!, $input: AddShiftInput!) { addShift(opportunityId: $id, input: $input) { id checkInCode } }`;
const PUBLISH = `mutation($id: ID!) { publishOpportunity(id: $id) { id status } }`;

/** A published opportunity with one shift (starting in `startsInMinutes`, `hours` long), made by an organizer. */
export async function publishedShift(
  url: string,
  organizerToken: string,
  options: {
    capacity?: number;
    startsInMinutes?: number;
    hours?: number;
    category?: string;
    organizationId?: string | null;
    title?: string;
  } = {},
): Promise<{ opportunityId: string; shiftId: string; checkInCode: string }> {
  const { createOpportunity } = await graphqlData<{ createOpportunity: { id: string } }>(
    url,
    CREATE,
    {
      input: {
        title: options.title ?? '周末社区环境整治',
        description: '清理绿化带',
        category: options.category ?? 'ENVIRONMENT',
        location: '中心广场',
        organizationId: options.organizationId ?? null,
      },
    },
    { token: organizerToken },
  );
  const startsAt = new Date(Date.now() + (options.startsInMinutes ?? 24 * 60) * 60_000);
  const endsAt = new Date(startsAt.getTime() + (options.hours ?? 4) * 3600_000);
  const { addShift } = await graphqlData<{ addShift: { id: string; checkInCode: string } }>(
    url,
    ADD_SHIFT,
    { id: createOpportunity.id, input: { startsAt, endsAt, capacity: options.capacity ?? 10 } },
    { token: organizerToken },
  );
  await graphqlData(url, PUBLISH, { id: createOpportunity.id }, { token: organizerToken });
  return { opportunityId: createOpportunity.id, shiftId: addShift.id, checkInCode: addShift.checkInCode };
}

/**
 * Moves a shift so that it started `startedHoursAgo` hours ago, keeping its length: signing up is only possible
 * before a shift starts and verifying only after, so tests travel in time by moving the shift.
 */
export async function moveShiftToPast(db: DataSource, shiftId: string, startedHoursAgo: number): Promise<void> {
  await db.query(
    `UPDATE shifts SET starts_at = now() - $2::float8 * interval '1 hour',
                       ends_at = now() - $2::float8 * interval '1 hour' + (ends_at - starts_at)
      WHERE id = $1`,
    [shiftId, startedHoursAgo],
  );
}

/** Moves a shift to start yesterday (China Standard Time) at `hour`, keeping its length. */
export async function moveShiftToYesterday(db: DataSource, shiftId: string, hour: number): Promise<void> {
  await db.query(
    `UPDATE shifts
        SET starts_at = ((date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') - interval '1 day'
                          + make_interval(hours => $2)) AT TIME ZONE 'Asia/Shanghai'),
            ends_at = ((date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') - interval '1 day'
                        + make_interval(hours => $2)) AT TIME ZONE 'Asia/Shanghai') + (ends_at - starts_at)
      WHERE id = $1`,
    [shiftId, hour],
  );
}

export { collectMessages as collectEvents, waitFor } from '@taoyuan/testing';

/**
 * The volunteer checked in with the shift's code and out again while the shift ran (tests move shifts into the past
 * afterwards, when the code can no longer be entered): verification needs a check-in (decision 0007).
 */
export async function markAttended(db: DataSource, signUpId: string): Promise<void> {
  await db.query(
    `UPDATE sign_ups s SET status = 'CHECKED_OUT', checked_in_at = sh.starts_at, checked_out_at = sh.ends_at
       FROM shifts sh WHERE s.id = $1 AND sh.id = s.shift_id`,
    [signUpId],
  );
}

/** What identity.residence.changed CONFIRMED leaves in the projection: the resident's points count toward tiers. */
export async function confirmResidence(db: DataSource, userId: string, communityId: string): Promise<void> {
  await db.query(
    `INSERT INTO residences (user_id, community_id, household_id, status, residence_version, changed_by, changed_at)
     VALUES ($1, $2, NULL, 'CONFIRMED', 0, NULL, now()) ON CONFLICT (user_id) DO NOTHING`,
    [userId, communityId],
  );
}

/** What organization.approved leaves in the projection: opportunities may name the organization as host. */
export async function approvedOrganization(db: DataSource, organizationId: string, communityId: string) {
  await db.query(
    `INSERT INTO organizer_organizations (organization_id, community_id, status, status_version)
     VALUES ($1, $2, 'ACTIVE', 2) ON CONFLICT (organization_id) DO NOTHING`,
    [organizationId, communityId],
  );
}
