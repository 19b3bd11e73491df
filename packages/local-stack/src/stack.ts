import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { SUBGRAPHS, type SubgraphEntry } from '@taoyuan/gateway/subgraphs';
import { ensureDatabases } from './databases';
import { kafkaLoginEnv, type KafkaCredentialsByPrincipal } from './kafka-security';
import { startProcess, stopProcess, waitUntilReady, type ManagedProcess } from './processes';
import { startRoundRobin, type RoundRobin } from './round-robin';

const root = path.resolve(__dirname, '../../..');

export interface StackOptions {
  /** A PostgreSQL server; each service gets its own database `<databasePrefix>_<service>` on it. */
  databaseServerUrl: string;
  databasePrefix: string;
  kafkaBrokers: string;
  /** With SASL on the broker: each service logs in as its own principal (named like the service). */
  kafkaCredentials?: KafkaCredentialsByPrincipal;
  signingKeyFile: string;
  logDir: string;
  gatewayPort: number;
  /** Port per subgraph name; the launcher uses each subgraph's default, tests free ports. */
  subgraphPorts: Record<string, number>;
  /**
   * Ports of further replicas per subgraph (e.g. `{ volunteering: [4102] }`): each runs the same image with the same
   * database and Kafka login, without migrations or seeding, and the gateway reaches them all through a round-robin.
   */
  replicaPorts?: Record<string, number[]>;
  /** Extra environment for every process (LOG_LEVEL, SEED_DEMO_DATA, …). */
  env?: NodeJS.ProcessEnv;
  echoLogs?: boolean;
  /** Called when a process exits while the stack is running. */
  onUnexpectedExit?: (name: string, code: number | null, logFile: string) => void;
}

export interface RunningStack {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  /** Each service's database, by subgraph name. */
  databaseUrls: Record<string, string>;
  /** The round-robin in front of each subgraph that has replicas (`replicaPorts`). */
  balancers: Record<string, RoundRobin>;
  /**
   * Kills a subgraph's process without warning (SIGKILL, as a crash or an OOM kill: its consumer sends no LeaveGroup)
   * and starts it again at once with the same environment; `ready` resolves when its /ready answers.
   */
  crashAndRestart(name: string): Promise<{ startedAt: number; ready: Promise<void> }>;
  stop(): Promise<void>;
}

/**
 * Every subgraph and the gateway as separate Node processes, configured only through environment variables, the same
 * ones docker-compose.yml sets. Used by `pnpm start` and by the end-to-end tests.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const processes: ManagedProcess[] = [];
  const balancers: Record<string, RoundRobin> = {};
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all([...processes].reverse().map((managed) => stopProcess(managed)));
    await Promise.all(Object.values(balancers).map((balancer) => balancer.close()));
  };
  const urlOf = (entry: SubgraphEntry) =>
    `http://127.0.0.1:${options.subgraphPorts[entry.name] ?? entry.defaultPort}/graphql`;
  const baseOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');
  const identity = SUBGRAPHS.find((entry) => entry.name === 'identity');
  if (!identity) throw new Error('identity is not in the subgraph list');
  const replicaPortsOf = (entry: SubgraphEntry) => options.replicaPorts?.[entry.name] ?? [];

  const databaseUrls = await ensureDatabases(
    options.databaseServerUrl,
    SUBGRAPHS.map((entry) => entry.name),
    options.databasePrefix,
  );
  const commonEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV === 'test' ? 'development' : (process.env.NODE_ENV ?? 'development'),
    LOG_LEVEL: 'info',
    MIGRATIONS_RUN: 'true',
    SEED_DEMO_DATA: 'true',
    JWKS_URL: `${baseOf(urlOf(identity))}/.well-known/jwks.json`,
    KAFKA_BROKERS: options.kafkaBrokers,
    // The gateway's credential towards the subgraphs (`_entities`, `_service`): new for every local run.
    GATEWAY_SHARED_SECRET: randomBytes(32).toString('base64url'),
    ...options.env,
  };
  delete commonEnv.DATABASE_URL;
  // A login in the developer's shell must not become every service's identity.
  for (const name of ['KAFKA_SASL_MECHANISM', 'KAFKA_USERNAME', 'KAFKA_PASSWORD']) delete commonEnv[name];

  const launched = new Map<string, { cwd: string; env: NodeJS.ProcessEnv }>();
  const crashed = new Set<ManagedProcess>();
  const launch = (name: string, cwd: string, env: NodeJS.ProcessEnv) => {
    const managed = startProcess(name, cwd, 'src/main.ts', env, options.logDir, options.echoLogs ?? false);
    processes.push(managed);
    launched.set(name, { cwd, env });
    void managed.exited.then((code) => {
      if (!stopping && !crashed.has(managed)) options.onUnexpectedExit?.(name, code, managed.logFile);
    });
    return managed;
  };
  const crashAndRestart = async (name: string) => {
    const managed = processes.find((each) => each.name === name);
    const how = launched.get(name);
    const entry = SUBGRAPHS.find((each) => each.name === name);
    if (!managed || !how || !entry) throw new Error(`no subgraph process ${name}`);
    crashed.add(managed);
    managed.child.kill('SIGKILL');
    await managed.exited;
    processes.splice(processes.indexOf(managed), 1);
    const startedAt = Date.now();
    const ready = waitUntilReady(launch(name, how.cwd, how.env), `${baseOf(urlOf(entry))}/ready`);
    return { startedAt, ready };
  };
  const startSubgraph = async (entry: SubgraphEntry) => {
    const env: NodeJS.ProcessEnv = {
      ...commonEnv,
      PORT: String(options.subgraphPorts[entry.name] ?? entry.defaultPort),
      DATABASE_URL: databaseUrls[entry.name],
    };
    if (entry.name === 'identity') {
      env.JWT_PRIVATE_KEY_FILE = options.signingKeyFile;
      // The gateway runs on this machine: its X-Forwarded-For names the real client for the sign-in limits.
      env.TRUSTED_PROXIES ??= '127.0.0.1,::1,::ffff:127.0.0.1';
    }
    // Partners' developers try webhooks with a receiver on this machine; production allows no private address.
    if (entry.name === 'partners') env.WEBHOOK_ALLOWED_HOSTS ??= '127.0.0.1,::1,localhost';
    if (options.kafkaCredentials) {
      const login = options.kafkaCredentials[entry.name];
      if (!login) throw new Error(`no Kafka login for ${entry.name}: it produces no event in the catalogue`);
      Object.assign(env, kafkaLoginEnv(login));
    }
    await waitUntilReady(
      launch(entry.name, path.join(root, 'services', entry.dir), env),
      `${baseOf(urlOf(entry))}/ready`,
    );
    // After the first is ready: its migrations and seed have run, as the migration Job runs before a rollout.
    for (const [index, port] of replicaPortsOf(entry).entries()) {
      const replicaEnv = { ...env, PORT: String(port), MIGRATIONS_RUN: 'false', SEED_DEMO_DATA: 'false' };
      await waitUntilReady(
        launch(`${entry.name}-${index + 2}`, path.join(root, 'services', entry.dir), replicaEnv),
        `http://127.0.0.1:${port}/ready`,
      );
    }
  };
  const startGateway = async () => {
    const gatewayEnv: NodeJS.ProcessEnv = { ...commonEnv, PORT: String(options.gatewayPort) };
    for (const entry of SUBGRAPHS)
      gatewayEnv[`${entry.name.toUpperCase()}_URL`] = balancers[entry.name]?.url ?? urlOf(entry);
    await waitUntilReady(
      launch('gateway', path.join(root, 'gateway'), gatewayEnv),
      `http://127.0.0.1:${options.gatewayPort}/ready`,
    );
  };

  try {
    // A balancer forwards to whichever of its replicas answer, so it can stand before they do.
    for (const entry of SUBGRAPHS) {
      const replicaPorts = replicaPortsOf(entry);
      if (replicaPorts.length > 0)
        balancers[entry.name] = await startRoundRobin([
          urlOf(entry),
          ...replicaPorts.map((port) => `http://127.0.0.1:${port}/graphql`),
        ]);
    }
    // Every process at once: starting is mostly loading code, and the machine's cores load them side by side. None
    // needs another to start: tokens are checked against identity's JWKS at the first request, the gateway reads the
    // committed supergraph, and consumers read their topics from the beginning.
    await Promise.all([...SUBGRAPHS.map(startSubgraph), startGateway()]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    gatewayUrl: `http://127.0.0.1:${options.gatewayPort}/graphql`,
    subgraphUrls: Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, urlOf(entry)])),
    databaseUrls,
    balancers,
    crashAndRestart,
    stop,
  };
}
