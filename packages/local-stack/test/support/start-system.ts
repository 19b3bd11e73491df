import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SUBGRAPHS } from '@taoyuan/gateway/subgraphs';
import { ensureSigningKeyFile } from '@taoyuan/identity/signing-keys';
import { startBroker } from '@taoyuan/kafka-broker';
import { freePort } from '@taoyuan/testing';
import type { KafkaCredentials } from '@taoyuan/events';
import { dropDatabases } from '../../src/databases';
import {
  brokerSecurityConfig,
  ensureKafkaCredentials,
  type KafkaCredentialsByPrincipal,
} from '../../src/kafka-security';
import type { RoundRobin } from '../../src/round-robin';
import { startStack, type RunningStack } from '../../src/stack';

export interface SystemUnderTest {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  kafkaBrokers: string;
  /**
   * The broker runs with SASL and the catalogue's ACLs, as under `pnpm start`: a test reading or writing Kafka logs
   * in as a principal — `partner` (public topics, groups `partner-…`), `operator` (everything) or a service.
   */
  kafkaCredentials: KafkaCredentialsByPrincipal;
  /** kafkajs `sasl` options for a principal: `new Kafka({ brokers: [system.kafkaBrokers], sasl: system.kafkaSasl('operator') })`. */
  kafkaSasl(principal: string): { mechanism: 'scram-sha-256'; username: string; password: string };
  logDir: string;
  /** Each service's database, by subgraph name, for assertions the API does not show (inbox, outbox). */
  databaseUrls: Record<string, string>;
  /** The round-robin in front of each subgraph started with more than one replica. */
  balancers: Record<string, RoundRobin>;
  crashAndRestart: RunningStack['crashAndRestart'];
  stop(): Promise<void>;
}

/**
 * The whole system as `pnpm start` runs it — every subgraph and the gateway as its own process, the development
 * broker, one database per service — on free ports and throwaway databases of the test PostgreSQL.
 */
export async function startSystem(
  options: {
    env?: NodeJS.ProcessEnv;
    /** Processes per subgraph, e.g. `{ volunteering: 2 }`; 1 by default. */ replicas?: Record<string, number>;
  } = {},
): Promise<SystemUnderTest> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'taoyuan-e2e-'));
  const serverUrl = process.env.TAOYUAN_TEST_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('No test PostgreSQL: run through Jest (globalSetup) or set DATABASE_URL');
  const kafkaCredentials = ensureKafkaCredentials(path.join(workDir, 'kafka-credentials.json'));
  const broker = await startBroker({
    port: 0,
    dataDir: path.join(workDir, 'kafka'),
    security: brokerSecurityConfig(kafkaCredentials),
  });
  const signingKeyFile = path.join(workDir, 'jwt-signing-key.pem');
  ensureSigningKeyFile(signingKeyFile);
  const databasePrefix = `t_e2e_${randomBytes(3).toString('hex')}`;
  const subgraphPorts: Record<string, number> = {};
  for (const entry of SUBGRAPHS) subgraphPorts[entry.name] = await freePort();
  const replicaPorts: Record<string, number[]> = {};
  for (const [name, count] of Object.entries(options.replicas ?? {}))
    replicaPorts[name] = await Promise.all(Array.from({ length: Math.max(0, count - 1) }, () => freePort()));
  const logDir = path.join(workDir, 'logs');
  const stack = await startStack({
    databaseServerUrl: serverUrl,
    databasePrefix,
    kafkaBrokers: broker.brokers,
    kafkaCredentials,
    signingKeyFile,
    logDir,
    gatewayPort: await freePort(),
    subgraphPorts,
    replicaPorts,
    env: {
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      SEED_DEMO_DATA: 'true',
      TAOYUAN_RUN_FROM: runFrom(),
      ...options.env,
    },
  });
  // Registration needs the SMS code: builders read it from identity's development outbox, not from the gateway.
  process.env.TAOYUAN_SMS_OUTBOX_URL = `${new URL(stack.subgraphUrls.identity).origin}/dev/sms-outbox`;
  return {
    gatewayUrl: stack.gatewayUrl,
    subgraphUrls: stack.subgraphUrls,
    kafkaBrokers: broker.brokers,
    kafkaCredentials,
    kafkaSasl: (principal) => scramLogin(kafkaCredentials[principal], principal),
    logDir,
    databaseUrls: stack.databaseUrls,
    balancers: stack.balancers,
    crashAndRestart: (name) => stack.crashAndRestart(name),
    stop: async () => {
      await stack.stop();
      await broker.stop();
      await dropDatabases(
        serverUrl,
        SUBGRAPHS.map((entry) => entry.name),
        databasePrefix,
      );
    },
  };
}

/**
 * CI tests what production runs: the compiled build (`pnpm build` runs before the tests in .ci/run). Locally the
 * sources run through the loader unless TAOYUAN_RUN_FROM=build asks for the build.
 */
function runFrom(): 'build' | 'source' {
  const wanted = process.env.TAOYUAN_RUN_FROM ?? (process.env.CI === 'true' ? 'build' : 'source');
  if (wanted !== 'build') return 'source';
  const gatewayEntry = path.resolve(__dirname, '../../../../gateway/dist/main.js');
  if (!existsSync(gatewayEntry))
    throw new Error(`TAOYUAN_RUN_FROM=build but ${gatewayEntry} is missing: run pnpm build`);
  return 'build';
}

function scramLogin(credentials: KafkaCredentials | undefined, principal: string) {
  if (!credentials) throw new Error(`no Kafka principal ${principal}`);
  return { mechanism: 'scram-sha-256' as const, username: credentials.username, password: credentials.password };
}

export { eventually } from '@taoyuan/testing';
