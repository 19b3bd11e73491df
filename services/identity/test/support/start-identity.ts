import type { RunningSubgraph } from '@taoyuan/service-kit';
import { createTestDatabase, TEST_GATEWAY_SECRET, type TestDatabase } from '@taoyuan/testing';
import { startIdentity } from '../../src/app';
import { loadIdentityConfig, type IdentityConfig } from '../../src/config';
import type { PasswordHasher } from '../../src/domain/password-hasher';
import { generateSigningKeyPem } from '../../src/domain/signing-keys';

export interface IdentityUnderTest {
  server: RunningSubgraph<IdentityConfig>;
  url: string;
  jwksUrl: string;
  /** The development SMS outbox, where registration codes can be read. */
  smsOutboxUrl: string;
  /** The process's password hasher, whose `verifications` count password checks. */
  hasher: PasswordHasher;
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
    GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
    ...env,
  });
  const server = await startIdentity(config);
  const privateKeyPem = config.JWT_PRIVATE_KEY;
  const base = server.url.replace(/\/graphql$/, '');
  const smsOutboxUrl = `${base}/dev/sms-outbox`;
  // Builders pointed at a gateway in front of this identity find the codes here.
  process.env.TAOYUAN_SMS_OUTBOX_URL = smsOutboxUrl;
  return {
    server,
    url: server.url,
    jwksUrl: `${base}/.well-known/jwks.json`,
    smsOutboxUrl,
    hasher: server.hasher,
    database,
    privateKeyPem,
    stop: async () => {
      await server.stop();
      await database.drop();
    },
  };
}
