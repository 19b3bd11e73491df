import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { Client } from 'pg';
import {
  createTestDatabase,
  freePort,
  startTestTokenIssuer,
  type TestDatabase,
  type TestTokenIssuer,
} from '@taoyuan/testing';

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

async function until<T>(probe: () => Promise<T | undefined>, what: () => string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

const OPPORTUNITIES = { query: '{ opportunities(first: 5) { edges { node { id title } } } }' };

jest.setTimeout(120_000);

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
});
