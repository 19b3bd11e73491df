import type { RunningSubgraph } from '@taoyuan/service-kit';
import { createTestDatabase, type TestDatabase } from '@taoyuan/testing';
import { startIdentity } from '../../src/app';
import { loadIdentityConfig, type IdentityConfig } from '../../src/config';
import { generateSigningKeyPem } from '../../src/domain/signing-keys';

export interface IdentityUnderTest {
  server: RunningSubgraph<IdentityConfig>;
  url: string;
  jwksUrl: string;
  database: TestDatabase;
  /** The signing key, so tests can forge expired or foreign tokens. */
  privateKeyPem: string;
  stop(): Promise<void>;
}

/** Identity in this process, on a free port, over a fresh database with migrations and the demo community. */
export async function startIdentityForTests(env: Record<string, string> = {}): Promise<IdentityUnderTest> {
  const database = await createTestDatabase('identity');
  const config = loadIdentityConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: database.url,
    MIGRATIONS_RUN: 'true',
    SEED_DEMO_DATA: 'true',
    JWT_PRIVATE_KEY: generateSigningKeyPem(),
    ...env,
  });
  const server = await startIdentity(config);
  const privateKeyPem = config.JWT_PRIVATE_KEY;
  const base = server.url.replace(/\/graphql$/, '');
  return {
    server,
    url: server.url,
    jwksUrl: `${base}/.well-known/jwks.json`,
    database,
    privateKeyPem,
    stop: async () => {
      await server.stop();
      await database.drop();
    },
  };
}
