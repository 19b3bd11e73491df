import path from 'node:path';
import { DEMO_PASSWORD, DEMO_USERS } from '@taoyuan/demo-data';
import { defaultSubgraphUrl, SUBGRAPHS } from '@taoyuan/gateway/src/subgraphs';
import { ensureSigningKeyFile } from '@taoyuan/identity/src/domain/signing-keys';
import { startEmbeddedPostgres, type RunningPostgres } from '@taoyuan/testing';
import { ensureDatabases } from './databases';
import { startProcess, stopProcess, waitUntilReady, type ManagedProcess } from './processes';

const root = path.resolve(__dirname, '../../..');
const dataDir = process.env.TAOYUAN_DATA_DIR ?? path.join(root, '.data');
const logDir = path.join(dataDir, 'logs');
const echoLogs = process.env.LOG_ECHO === 'true';
const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? 4000);
const LOCAL_PG_PORT = Number(process.env.LOCAL_PG_PORT ?? 54329);

const stoppers: (() => Promise<void>)[] = [];
const processes: ManagedProcess[] = [];

function baseUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/graphql$/, '');
}

async function startPostgres(): Promise<string> {
  if (process.env.DATABASE_URL) {
    console.log(`PostgreSQL: using DATABASE_URL (${new URL(process.env.DATABASE_URL).host})`);
    return process.env.DATABASE_URL;
  }
  const postgres: RunningPostgres = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: LOCAL_PG_PORT,
    persistent: true,
    exitOnSignals: false,
  });
  stoppers.push(() => postgres.stop());
  console.log(
    `PostgreSQL: embedded, data in ${path.relative(root, path.join(dataDir, 'postgres'))}, port ${LOCAL_PG_PORT}`,
  );
  return postgres.adminUrl;
}

async function main() {
  const started = Date.now();
  const serverUrl = await startPostgres();
  const databaseUrls = await ensureDatabases(
    serverUrl,
    SUBGRAPHS.map((subgraph) => subgraph.name),
  );
  const signingKeyFile = path.join(dataDir, 'keys', 'jwt-signing-key.pem');
  ensureSigningKeyFile(signingKeyFile);

  const identityEntry = SUBGRAPHS.find((subgraph) => subgraph.name === 'identity');
  if (!identityEntry) throw new Error('identity is not in the subgraph list');
  const jwksUrl = `${baseUrl(defaultSubgraphUrl(identityEntry))}/.well-known/jwks.json`;
  // The same variables an operator sets in docker-compose.yml or Kubernetes; nothing here is launcher-only.
  const commonEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    JWKS_URL: jwksUrl,
    MIGRATIONS_RUN: 'true',
    SEED_DEMO_DATA: process.env.SEED_DEMO_DATA ?? 'true',
  };

  const startSubgraph = async (entry: (typeof SUBGRAPHS)[number]) => {
    const env: NodeJS.ProcessEnv = {
      ...commonEnv,
      PORT: String(entry.defaultPort),
      DATABASE_URL: databaseUrls[entry.name],
    };
    if (entry.name === 'identity') env.JWT_PRIVATE_KEY_FILE = signingKeyFile;
    const child = startProcess(
      entry.name,
      path.join(root, 'services', entry.dir),
      'src/main.ts',
      env,
      logDir,
      echoLogs,
    );
    processes.push(child);
    await waitUntilReady(child, `${baseUrl(defaultSubgraphUrl(entry))}/ready`);
    console.log(`  ✓ ${entry.name.padEnd(14)} ${defaultSubgraphUrl(entry)}`);
  };

  // identity first: the others fetch its JWKS to check tokens.
  await startSubgraph(identityEntry);
  await Promise.all(SUBGRAPHS.filter((subgraph) => subgraph !== identityEntry).map(startSubgraph));

  const gatewayEnv: NodeJS.ProcessEnv = { ...commonEnv, PORT: String(GATEWAY_PORT) };
  for (const entry of SUBGRAPHS) gatewayEnv[`${entry.name.toUpperCase()}_URL`] = defaultSubgraphUrl(entry);
  const gateway = startProcess('gateway', path.join(root, 'gateway'), 'src/main.ts', gatewayEnv, logDir, echoLogs);
  processes.push(gateway);
  await waitUntilReady(gateway, `http://127.0.0.1:${GATEWAY_PORT}/ready`);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
Taoyuan is running (started in ${seconds} s).

  GraphQL gateway:  http://127.0.0.1:${GATEWAY_PORT}/graphql
  Logs:             ${path.relative(root, logDir)}/<service>.log   (LOG_ECHO=true to print them here)

Demo accounts (password ${DEMO_PASSWORD}):
${DEMO_USERS.map((user) => `  ${user.phone}  ${user.displayName}  ${user.roles.filter((role) => role !== 'RESIDENT').join(', ') || 'RESIDENT'}`).join('\n')}

Press Ctrl-C to stop.`);

  // Any service dying on its own takes the stack down, rather than leaving a half-working system.
  for (const managed of processes) {
    void managed.exited.then((code) => {
      if (!shuttingDown) {
        console.error(`${managed.name} exited unexpectedly (code ${code}); see ${managed.logFile}`);
        void shutdown(1);
      }
    });
  }
}

let shuttingDown = false;
async function shutdown(exitCode: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log('\nStopping…');
  await Promise.all([...processes].reverse().map((managed) => stopProcess(managed)));
  for (const stop of stoppers.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error('error while stopping:', error);
    }
  }
  console.log('Stopped.');
  process.exit(exitCode);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
