import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { SignUpConfirmed } from '@taoyuan/events';
import { startBroker } from '@taoyuan/kafka-broker';
import {
  collectMessages,
  createTestDatabase,
  freePort,
  startTestTokenIssuer,
  TEST_GATEWAY_SECRET,
  type TestDatabase,
  type TestTokenIssuer,
} from '@taoyuan/testing';
import { handledRegistrations, registrationPublisher, until } from './support/registrations';

const repository = resolve(__dirname, '..', '..', '..');

interface Answer {
  status: number;
  body: string;
}

/*
 * One request per connection (no keep-alive) through node:http, so "refused" and "cut off" are told apart: a refused
 * connection never reached the process; a reset after sending means the process dropped work it had accepted.
 */
function post(port: number, path: string, body: unknown, token?: string): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: body === undefined ? 'GET' : 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, body: text }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

const get = (port: number, path: string) => post(port, path, undefined);

const OPPORTUNITIES = { query: '{ opportunities(first: 5) { edges { node { id title } } } }' };
const SIGN_UP = 'mutation($shiftId: ID!) { signUp(shiftId: $shiftId) { id status } }';

async function graphql<T>(port: number, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const answer = await post(port, '/graphql', { query, variables }, token);
  const body = JSON.parse(answer.body) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`${query}: ${answer.body}`);
  return body.data;
}

/** A published opportunity with one shift tomorrow and the most places a shift may have. */
async function openLargeShift(port: number, worker: string): Promise<string> {
  const { createOpportunity } = await graphql<{ createOpportunity: { id: string } }>(
    port,
    'mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }',
    {
      input: {
        title: '社区垃圾分类宣传',
        description: '在各楼栋门口向居民讲解垃圾分类，发放宣传册。',
        category: 'ENVIRONMENT',
        location: '桃源居中心广场',
        organizationId: null,
      },
    },
    worker,
  );
  const startsAt = new Date(Date.now() + 86_400_000);
  const { addShift } = await graphql<{ addShift: { id: string } }>(
    port,
    'mutation($o: ID!, $input: AddShiftInput!) { addShift(opportunityId: $o, input: $input) { id } }',
    {
      o: createOpportunity.id,
      input: {
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString(),
        capacity: 500,
      },
    },
    worker,
  );
  await graphql(
    port,
    'mutation($o: ID!) { publishOpportunity(id: $o) { status } }',
    { o: createOpportunity.id },
    worker,
  );
  return addShift.id;
}

/** Messages in a topic: the sum of its partitions' high-water marks. */
async function topicSize(brokers: string, topic: string): Promise<number> {
  const admin = new Kafka({ brokers: [brokers], clientId: 'ops-check-test', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

jest.setTimeout(240_000);

describe('graceful shutdown of a real subgraph process', () => {
  let database: TestDatabase;
  let tokens: TestTokenIssuer;
  let child: ChildProcess | undefined;
  let log = '';

  beforeAll(async () => {
    database = await createTestDatabase('graceful_shutdown');
    tokens = await startTestTokenIssuer();
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await tokens.stop();
    await database.drop();
  });

  it('on SIGTERM fails readiness first, finishes the request it had accepted, then refuses new ones and exits 0', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/volunteering/src/main.ts'], {
      cwd: repository,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: database.url,
        JWKS_URL: tokens.jwksUrl,
        MIGRATIONS_RUN: 'true',
        KAFKA_BROKERS: '',
        SHUTDOWN_DELAY_MS: '1500',
        SHUTDOWN_GRACE_MS: '20000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((done) => child!.once('exit', (code) => done(code)));
    await until(
      async () => ((await get(port, '/ready')).status === 200 ? true : undefined),
      () => `ready\n${log}`,
    );
    expect((await get(port, '/live')).status).toBe(200);

    const token = await tokens.sign({ userId: randomUUID(), communityId: randomUUID() });
    // A request held inside the process: a lock keeps its query waiting on the database until the test lets go.
    const locker = new Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE opportunities IN ACCESS EXCLUSIVE MODE');
    const inFlight = post(port, '/graphql', OPPORTUNITIES, token);
    await until(
      async () => {
        const { rows } = await locker.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows[0].waiting > 0 ? true : undefined;
      },
      () => `the request to wait on the lock\n${log}`,
    );

    child.kill('SIGTERM');
    // Readiness fails at once, while the process still serves (load balancers are still dropping it).
    await until(
      async () => ((await get(port, '/ready')).status === 503 ? true : undefined),
      () => `readiness to fail\n${log}`,
    );
    // Then it stops accepting: new connections are refused, never cut off half-way.
    const refusal = await until(
      () =>
        get(port, '/live').then(
          () => undefined,
          (error: NodeJS.ErrnoException) => error.code,
        ),
      () => `new connections to be refused\n${log}`,
    );
    expect(refusal).toBe('ECONNREFUSED');

    // The accepted request is still running; once the database lets it go it completes normally.
    await locker.query('COMMIT');
    await locker.end();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { opportunities: { edges: [] } } });
    expect(await exited).toBe(0);
    expect(log).toContain('stopping: readiness fails from now on');
  });

  it('under steady load through the gateway and a stream of events: answers complete or retryable, no event lost or handled twice', async () => {
    const subgraphPort = await freePort();
    const gatewayPort = await freePort();
    const logs = { subgraph: '', gateway: '', successor: '' };
    // Three partitions, as in production: the stopping consumer holds several when SIGTERM arrives.
    const brokerDir = mkdtempSync(join(tmpdir(), 'ops-shutdown-'));
    const broker = await startBroker({ port: 0, dataDir: brokerDir, defaultPartitions: 3 });
    const db = new Client({ connectionString: database.url });
    await db.connect();
    const start = (name: keyof typeof logs, entry: string, env: Record<string, string>) => {
      const process_ = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
        cwd: repository,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          HOST: '127.0.0.1',
          JWKS_URL: tokens.jwksUrl,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      process_.stdout?.on('data', (chunk: Buffer) => (logs[name] += chunk.toString()));
      process_.stderr?.on('data', (chunk: Buffer) => (logs[name] += chunk.toString()));
      return process_;
    };
    const subgraph = start('subgraph', 'services/volunteering/src/main.ts', {
      PORT: String(subgraphPort),
      DATABASE_URL: database.url,
      MIGRATIONS_RUN: 'true',
      KAFKA_BROKERS: broker.brokers,
      GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
      SHUTDOWN_DELAY_MS: '1000',
    });
    child = subgraph;
    const subgraphExited = new Promise<number | null>((done) => subgraph.once('exit', (code) => done(code)));
    const gateway = start('gateway', 'gateway/src/main.ts', {
      PORT: String(gatewayPort),
      VOLUNTEERING_URL: `http://127.0.0.1:${subgraphPort}/graphql`,
      GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
    });
    const gatewayExited = new Promise<number | null>((done) => gateway.once('exit', (code) => done(code)));
    try {
      await until(
        async () => ((await get(subgraphPort, '/ready')).status === 200 ? true : undefined),
        () => `subgraph ready\n${logs.subgraph}`,
      );
      await until(
        async () => ((await get(gatewayPort, '/ready')).status === 200 ? true : undefined),
        () => `gateway ready\n${logs.gateway}`,
      );
      const communityId = randomUUID();
      const token = await tokens.sign({ userId: randomUUID(), communityId });
      const worker = await tokens.sign({ userId: randomUUID(), communityId, roles: ['COMMUNITY_WORKER'] });
      const shiftId = await openLargeShift(gatewayPort, worker);
      const outcomes: string[] = [];
      const signedUp: string[] = [];
      let loading = true;
      const record = <T>(answer: Answer): T | undefined => {
        const body = JSON.parse(answer.body) as { data?: T; errors?: { extensions?: { code?: string } }[] };
        if (answer.status === 200 && !body.errors) outcomes.push('ok');
        else outcomes.push(`${answer.status} ${body.errors?.map((error) => error.extensions?.code).join(',')}`);
        return body.errors ? undefined : body.data;
      };
      const reader = async () => {
        while (loading) record(await post(gatewayPort, '/graphql', OPPORTUNITIES, token));
      };
      // Writers too: each sign-up commits a row and its `signup.confirmed` outbox event in one transaction, so the
      // outbox relay has a batch under way when the signal comes.
      const writer = async () => {
        while (loading) {
          const resident = await tokens.sign({ userId: randomUUID(), communityId });
          const data = record<{ signUp: { id: string; status: string } }>(
            await post(gatewayPort, '/graphql', { query: SIGN_UP, variables: { shiftId } }, resident),
          );
          // Only a place (not the waitlist) publishes `signup.confirmed`.
          if (data?.signUp.status === 'SIGNED_UP') signedUp.push(data.signUp.id);
        }
      };
      const clients = [reader(), reader(), reader(), writer(), writer()];
      // Events arrive the whole time too, so handlers are under way when the signal comes.
      const registrations = await registrationPublisher(broker.brokers);
      let publishing = true;
      const publisher = (async () => {
        while (publishing) {
          await registrations.publish(10);
          await new Promise((done) => setTimeout(done, 50));
        }
      })();
      await until(
        async () => (outcomes.length >= 20 ? true : undefined),
        () => `load\n${logs.gateway}`,
      );
      await until(
        async () => ((await handledRegistrations(db, registrations.userIds)).events >= 30 ? true : undefined),
        () => `events handled before the stop\n${logs.subgraph}`,
      );
      subgraph.kill('SIGTERM');
      expect(await subgraphExited).toBe(0);
      const atExit = outcomes.length;
      await until(
        async () => (outcomes.length >= atExit + 20 ? true : undefined),
        () => 'load after the exit',
      );
      loading = false;
      publishing = false;
      await Promise.all([...clients, publisher]);
      await registrations.disconnect();

      // The rollout's next pod (same database, same consumer group) takes over: every event published before, during
      // and after the stop is handled, and none twice — an event the stopping process had not committed is redelivered
      // and its inbox row makes the repeat a no-op.
      const successor = start('successor', 'services/volunteering/src/main.ts', {
        PORT: String(await freePort()),
        DATABASE_URL: database.url,
        MIGRATIONS_RUN: 'false',
        KAFKA_BROKERS: broker.brokers,
        GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
      });
      const successorExited = new Promise<number | null>((done) => successor.once('exit', (code) => done(code)));
      const published = registrations.userIds.length;
      try {
        await until(
          async () => ((await handledRegistrations(db, registrations.userIds)).events === published ? true : undefined),
          () => `all ${published} events handled by the successor\n${logs.successor}`,
        );
        expect(await handledRegistrations(db, registrations.userIds)).toEqual({
          events: published,
          distinctEvents: published,
          accounts: published,
        });
        // And every sign-up the gateway confirmed was published once: the relay finished or left its batch unsent
        // for the successor, and never sent an event twice.
        await until(
          async () => {
            const { rows } = await db.query<{ unsent: number }>(
              `SELECT count(*)::int AS unsent FROM outbox WHERE sent_at IS NULL`,
            );
            return rows[0].unsent === 0 ? true : undefined;
          },
          () => `the outbox to drain\n${logs.successor}`,
        );
        const collector = await collectMessages(broker.brokers, [SignUpConfirmed.topic]);
        try {
          const inTopic = await topicSize(broker.brokers, SignUpConfirmed.topic);
          await until(
            async () => (collector.messages.length >= inTopic ? true : undefined),
            () => `${inTopic} messages of ${SignUpConfirmed.topic}`,
          );
          const publishedSignUps = collector.messages.map(
            (message) => (JSON.parse(String(message.value)) as { signUpId: string }).signUpId,
          );
          expect(signedUp.length).toBeGreaterThan(0);
          expect(publishedSignUps.sort()).toEqual([...signedUp].sort());
        } finally {
          await collector.consumer.disconnect();
        }
      } finally {
        successor.kill('SIGTERM');
        await successorExited;
      }
      // Before and during the drain: complete answers. After: the gateway's retryable outage answer. Nothing else.
      expect(new Set(outcomes)).toEqual(new Set(['ok', '503 SERVICE_UNAVAILABLE']));
      expect(outcomes.slice(0, 20).every((outcome) => outcome === 'ok')).toBe(true);
      expect(outcomes.slice(-10).every((outcome) => outcome === '503 SERVICE_UNAVAILABLE')).toBe(true);
    } finally {
      gateway.kill('SIGTERM');
      await gatewayExited;
      await db.end();
      await broker.stop();
      rmSync(brokerDir, { recursive: true, force: true });
    }
  });
});
