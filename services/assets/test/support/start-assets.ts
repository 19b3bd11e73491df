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
import type { DataSource } from 'typeorm';
import { startAssets } from '../../src/app';
import { loadAssetsConfig, type AssetsConfig } from '../../src/config';

export interface AssetsUnderTest {
  server: RunningSubgraph<AssetsConfig>;
  url: string;
  /** The service's origin, for the report routes. */
  origin: string;
  db: DataSource;
  database: TestDatabase;
  tokens: TestTokenIssuer;
  broker: RunningBroker | null;
  token(userId: string, communityId: string, roles?: TestRole[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Assets in this process on a free port, over a fresh database with its migrations; tokens come from a test issuer
 * (signed like identity's), so no identity service is needed.
 */
export async function startAssetsForTests(
  options: { kafka?: boolean; seed?: boolean; env?: Record<string, string> } = {},
): Promise<AssetsUnderTest> {
  const database = await createTestDatabase('assets');
  const tokens = await startTestTokenIssuer();
  let brokerDir: string | null = null;
  let broker: RunningBroker | null = null;
  if (options.kafka) {
    brokerDir = mkdtempSync(path.join(tmpdir(), 'taoyuan-assets-broker-'));
    broker = await startBroker({ port: 0, dataDir: path.join(brokerDir, 'data') });
  }
  const config = loadAssetsConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: database.url,
    JWKS_URL: tokens.jwksUrl,
    GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
    MIGRATIONS_RUN: 'true',
    SEED_DEMO_DATA: options.seed ? 'true' : 'false',
    KAFKA_BROKERS: broker?.brokers,
    ...options.env,
  });
  const server = await startAssets(config);
  return {
    server,
    url: server.url,
    origin: new URL(server.url).origin,
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

/** Every day 08:00–22:00 local time, 40 people, residents and organizations, 20 元 an hour. */
export const OPEN_EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '22:00' }));

const CREATE_FACILITY = `mutation($input: CreateFacilityInput!) { createFacility(input: $input) { id name } }`;

export async function createFacility(
  url: string,
  staffToken: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const { createFacility } = await graphqlData<{ createFacility: { id: string } }>(
    url,
    CREATE_FACILITY,
    {
      input: {
        name: `会所多功能厅-${Math.random().toString(36).slice(2, 8)}`,
        valueFen: 50_000_000,
        capacity: 40,
        openingHours: OPEN_EVERY_DAY,
        bookableBy: ['RESIDENT', 'ORGANIZATION', 'STAFF'],
        maxBookingMinutes: 240,
        maxDaysAhead: 30,
        feePerHourFen: 2000,
        freeForOrganizations: true,
        approvalAboveAttendees: 30,
        ...overrides,
      },
    },
    { token: staffToken },
  );
  return createFacility.id;
}

/** The instant of `hour`:`minute` local time in Shanghai, `days` days from today. */
export function shanghai(days: number, hour: number, minute = 0): Date {
  const todayInShanghai = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return new Date(Date.parse(`${todayInShanghai}T00:00:00+08:00`) + days * 86_400_000 + (hour * 60 + minute) * 60_000);
}

const OPEN_FUND = `mutation($kind: FundKind!) { openFund(kind: $kind) { id } }`;

/** The community's UNRESTRICTED or PUBLIC_WELFARE fund, opened by staff. */
export async function openFund(
  url: string,
  staffToken: string,
  kind: 'PUBLIC_WELFARE' | 'UNRESTRICTED',
): Promise<string> {
  const { openFund } = await graphqlData<{ openFund: { id: string } }>(url, OPEN_FUND, { kind }, { token: staffToken });
  return openFund.id;
}

export { collectMessages, waitFor, eventually } from '@taoyuan/testing';
