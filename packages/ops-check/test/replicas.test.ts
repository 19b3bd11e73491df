import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { startBroker, type RunningBroker } from '@taoyuan/kafka-broker';
import {
  createTestDatabase,
  freePort,
  startTestTokenIssuer,
  type TestDatabase,
  type TestTokenIssuer,
} from '@taoyuan/testing';
import { handledRegistrations, registrationPublisher, until } from './support/registrations';

const repository = resolve(__dirname, '..', '..', '..');

interface Replica {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  log: () => string;
}

jest.setTimeout(300_000);

describe('two volunteering replicas sharing one database and one consumer group', () => {
  let database: TestDatabase;
  let tokens: TestTokenIssuer;
  let broker: RunningBroker;
  let brokerDir: string;
  let db: Client;
  const replicas: Replica[] = [];

  async function startReplica(migrate: boolean): Promise<Replica> {
    const port = await freePort();
    let log = '';
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/volunteering/src/main.ts'], {
      cwd: repository,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: database.url,
        JWKS_URL: tokens.jwksUrl,
        MIGRATIONS_RUN: migrate ? 'true' : 'false',
        KAFKA_BROKERS: broker.brokers,
        SHUTDOWN_DELAY_MS: '500',
        SHUTDOWN_GRACE_MS: '20000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const replica = { child, port, exited, log: () => log };
    replicas.push(replica);
    await until(
      async () => ((await fetch(`http://127.0.0.1:${port}/ready`)).ok ? true : undefined),
      () => `replica ready\n${log}`,
    );
    return replica;
  }

  beforeAll(async () => {
    database = await createTestDatabase('replicas');
    tokens = await startTestTokenIssuer();
    brokerDir = mkdtempSync(join(tmpdir(), 'ops-replicas-'));
    // Three partitions per topic, as in docker-compose and Strimzi: enough for two consumers to share.
    broker = await startBroker({ port: 0, dataDir: brokerDir, defaultPartitions: 3 });
  });

  afterAll(async () => {
    for (const replica of replicas)
      if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill('SIGKILL');
    await db?.end();
    await broker.stop();
    rmSync(brokerDir, { recursive: true, force: true });
    await tokens.stop();
    await database.drop();
  });

  it('handles every event exactly once while one replica is stopped mid-stream', async () => {
    const first = await startReplica(true);
    const second = await startReplica(false);
    db = new Client({ connectionString: database.url });
    await db.connect();

    const registrations = await registrationPublisher(broker.brokers);
    const { publish, userIds } = registrations;

    // Both replicas consume (the group splits the partitions); the first is stopped while events still flow.
    for (let batch = 0; batch < 5; batch++) await publish(40);
    await until(
      async () => ((await handledRegistrations(db, userIds)).events >= 60 ? true : undefined),
      () => `events handled before the stop\n${first.log()}`,
    );
    first.child.kill('SIGTERM');
    for (let batch = 0; batch < 5; batch++) await publish(40);
    expect(await first.exited).toBe(0);
    await registrations.disconnect();

    // The survivor takes the stopped replica's partitions and finishes: nothing lost…
    await until(
      async () => ((await handledRegistrations(db, userIds)).events === userIds.length ? true : undefined),
      () => `all ${userIds.length} events handled\n${second.log()}`,
    );
    // …and nothing applied twice: one inbox row and one points account per registration.
    expect(await handledRegistrations(db, userIds)).toEqual({ events: 400, distinctEvents: 400, accounts: 400 });
    expect(first.log()).toContain('stopping: readiness fails from now on');
  });
});
