import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SUBGRAPHS } from '@taoyuan/gateway/src/subgraphs';
import { ensureSigningKeyFile } from '@taoyuan/identity/src/domain/signing-keys';
import { startBroker } from '@taoyuan/kafka-broker';
import { freePort } from '@taoyuan/testing';
import { dropDatabases } from '../../src/databases';
import { startStack } from '../../src/stack';

export interface SystemUnderTest {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  kafkaBrokers: string;
  logDir: string;
  stop(): Promise<void>;
}

/**
 * The whole system as `pnpm start` runs it — every subgraph and the gateway as its own process, the development
 * broker, one database per service — on free ports and throwaway databases of the test PostgreSQL.
 */
export async function startSystem(): Promise<SystemUnderTest> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'taoyuan-e2e-'));
  const serverUrl = process.env.TAOYUAN_TEST_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('No test PostgreSQL: run through Jest (globalSetup) or set DATABASE_URL');
  const broker = await startBroker({ port: 0, dataDir: path.join(workDir, 'kafka') });
  const signingKeyFile = path.join(workDir, 'jwt-signing-key.pem');
  ensureSigningKeyFile(signingKeyFile);
  const databasePrefix = `t_e2e_${randomBytes(3).toString('hex')}`;
  const subgraphPorts: Record<string, number> = {};
  for (const entry of SUBGRAPHS) subgraphPorts[entry.name] = await freePort();
  const logDir = path.join(workDir, 'logs');
  const stack = await startStack({
    databaseServerUrl: serverUrl,
    databasePrefix,
    kafkaBrokers: broker.brokers,
    signingKeyFile,
    logDir,
    gatewayPort: await freePort(),
    subgraphPorts,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', SEED_DEMO_DATA: 'true' },
  });
  return {
    gatewayUrl: stack.gatewayUrl,
    subgraphUrls: stack.subgraphUrls,
    kafkaBrokers: broker.brokers,
    logDir,
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

export { eventually } from '@taoyuan/testing';
