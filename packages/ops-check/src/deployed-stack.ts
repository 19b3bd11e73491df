import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { freePort, waitFor } from '@taoyuan/testing';

const repository = resolve(__dirname, '..', '..', '..');

export interface ComposeService {
  image?: string;
  build?: { dockerfile?: string; args?: Record<string, string | number> };
  command?: string[];
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number>;
  healthcheck?: { test?: string[]; disable?: boolean };
  secrets?: string[];
  ports?: unknown[];
  profiles?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file: string }>;
}

/** docker-compose.yml as `docker compose` reads it (merge keys on: the file shares settings through anchors). */
export function readComposeFile(file = join(repository, 'docker-compose.yml')): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/** What the Dockerfile's `runtime` stage gives every container: its ENV, its CMD and its HEALTHCHECK command. */
export interface RuntimeStage {
  env: Record<string, string>;
  cmd: string[];
  healthcheck: string[];
}

/**
 * Reads the `runtime` stage of infra/Dockerfile with the image's build arguments filled in. Only the instructions
 * the stage uses are understood (ENV with key=value pairs, CMD and HEALTHCHECK … CMD in exec form); anything else
 * that changes what the process sees fails here, so this reading cannot silently fall behind the file.
 */
export function readRuntimeStage(
  buildArgs: Record<string, string>,
  file = join(repository, 'infra/Dockerfile'),
): RuntimeStage {
  const instructions = readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const start = instructions.findIndex((line) => /^FROM\s+\S+\s+AS\s+runtime$/i.test(line));
  if (start < 0) throw new Error('infra/Dockerfile has no `runtime` stage');
  const fill = (text: string) =>
    text.replace(/\$\{(\w+)\}/g, (_match, name: string) => {
      const value = buildArgs[name];
      if (value === undefined) throw new Error(`infra/Dockerfile needs the build argument ${name}`);
      return value;
    });
  const stage: RuntimeStage = { env: {}, cmd: [], healthcheck: [] };
  for (const line of instructions.slice(start + 1)) {
    const [instruction] = line.split(/\s/, 1);
    const rest = line.slice(instruction.length).trim();
    switch (instruction.toUpperCase()) {
      case 'ENV':
        for (const pair of rest.matchAll(/(\w+)=("([^"]*)"|(\S+))/g)) stage.env[pair[1]] = fill(pair[3] ?? pair[4]);
        break;
      case 'CMD':
        stage.cmd = JSON.parse(rest) as string[];
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(rest.slice(rest.indexOf('CMD') + 3).trim()) as string[];
        break;
      case 'FROM':
        throw new Error('infra/Dockerfile: the runtime stage must be the last');
      case 'RUN':
      case 'ARG':
      case 'WORKDIR':
      case 'COPY':
      case 'USER':
      case 'EXPOSE':
      case 'ENTRYPOINT':
        break;
      default:
        throw new Error(`infra/Dockerfile: the rehearsal does not know what ${instruction} changes for the process`);
    }
  }
  return stage;
}

/** Compose's variable substitution: `${NAME}`, `${NAME:-default}`, `${NAME:?error}` and `$$`. */
export function interpolate(value: string, variables: Record<string, string | undefined>): string {
  return value.replace(
    /\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (match, name: string | undefined, operator: string | undefined, argument: string | undefined) => {
      if (match === '$$') return '$';
      const set = variables[name as string];
      if (operator === '-') return set ? set : (argument ?? '');
      if (operator === '?' && !set) throw new Error(`docker-compose.yml: ${name} is required (${argument})`);
      return set ?? '';
    },
  );
}

/** A secret the operator creates before `docker compose up` (see the file's header), created here the same way. */
const SECRET_MAKERS: Record<string, () => string> = {
  // openssl genpkey -algorithm ed25519
  jwt_signing_key: () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};

export interface DeployedStackOptions {
  compose: ComposeFile;
  /** The folder each image holds at /app, by the image's PACKAGE build argument (`deploy()` of image-sizes.ts). */
  deployedDirs: Record<string, string>;
  /** The operator's .env: the variables the compose file interpolates. */
  dotEnv: Record<string, string>;
  /**
   * Stands in for the `postgres` service (whose init script creates each service's database): a new database for the
   * one a compose DATABASE_URL names, and its URL.
   */
  databaseFor: (composeDatabase: string) => Promise<string>;
  /** The broker that stands in for the `kafka` service, with the logins kafka-init creates. */
  kafkaBrokers: string;
  secretsDir: string;
  /** Variables an operator would add to a service's environment, e.g. HEALTH_DETAILS_TOKEN. */
  extraEnv?: Record<string, string>;
  /**
   * The image's user (`USER node`, uid 1000, the manifests' `runAsUser`), when this process may switch to it (root).
   * The deployed folders then stay root's and unwritable, as `/app` is, and `home` (HOME) is a folder the user cannot
   * write either, as on the manifests' read-only root file system: a process that writes anywhere but /tmp fails.
   */
  runAs?: { uid: number; gid: number; home: string };
}

export interface DeployedProcess {
  name: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export interface DeployedStack {
  /** Each long-running service's local port, by compose service name. */
  ports: Record<string, number>;
  processes: DeployedProcess[];
  /** `docker compose stop`: SIGTERM to every service (tini forwards it), SIGKILL after the grace; the exit codes. */
  stop(graceMs?: number): Promise<Record<string, number | null>>;
}

function isOneShot(service: ComposeService): boolean {
  return service.restart === 'no';
}

/** The compose file's services built from infra/Dockerfile (migrations included), outside optional profiles. */
export function imageServices(compose: ComposeFile): [string, ComposeService][] {
  return Object.entries(compose.services).filter(
    ([, service]) => service.build?.dockerfile === 'infra/Dockerfile' && !service.profiles,
  );
}

/** A command of the image run here: its `node` is this machine's Node.js (the base image's major version). */
function onThisMachine(argv: string[]): string[] {
  return argv[0] === 'node' ? [process.execPath, ...argv.slice(1)] : argv;
}

/**
 * `docker compose up` for the services built from infra/Dockerfile, on this machine: each from its deployed folder
 * (the image's /app), one-shot services (migrations) run to completion first, every `depends_on` condition honoured,
 * a service healthy when its healthcheck command (the compose file's, else the image's) succeeds.
 */
export async function startDeployedStack(options: DeployedStackOptions): Promise<DeployedStack> {
  const { compose } = options;
  const ours = imageServices(compose);
  const ports: Record<string, number> = {};
  const composePorts: Record<string, string> = {};
  for (const [name, service] of ours) {
    if (isOneShot(service)) continue;
    ports[name] = await freePort();
    composePorts[name] = String(service.environment?.PORT ?? service.build?.args?.PORT);
  }
  // One per database name: a service and its migration container share the database, as in compose.
  const databases = new Map<string, Promise<string>>();
  const databaseUrl = (composeUrl: string) => {
    const name = new URL(composeUrl).pathname.slice(1);
    let url = databases.get(name);
    if (!url) {
      url = options.databaseFor(name);
      databases.set(name, url);
    }
    return url;
  };
  const secretFiles = new Map<string, string>();
  const secretFile = (secret: string) => {
    if (!secretFiles.has(secret)) {
      const make = SECRET_MAKERS[secret];
      if (!make) throw new Error(`docker-compose.yml uses the secret ${secret}, which the rehearsal cannot make`);
      const file = join(options.secretsDir, secret);
      writeFileSync(file, make(), { mode: 0o400 });
      // Mounted for the container's user, as a Kubernetes secret volume is (the pod's fsGroup) or compose's file.
      if (options.runAs) chownSync(file, options.runAs.uid, options.runAs.gid);
      secretFiles.set(secret, file);
    }
    return secretFiles.get(secret) as string;
  };
  /** Container names become this machine's ports: `http://identity:4001/…` → `http://127.0.0.1:<its port>/…`. */
  const localAddresses = (text: string) => {
    let local = text;
    for (const [name, port] of Object.entries(ports))
      local = local.replace(new RegExp(`//${name}:${composePorts[name]}\\b`, 'g'), `//127.0.0.1:${port}`);
    return local.replace(/^kafka:9092$/, options.kafkaBrokers);
  };

  const environmentOf = async (name: string, service: ComposeService) => {
    const args = Object.fromEntries(
      Object.entries(service.build?.args ?? {}).map(([key, value]) => [key, String(value)]),
    );
    const runtime = readRuntimeStage(args);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...runtime.env };
    if (options.runAs) env.HOME = options.runAs.home;
    for (const [key, raw] of Object.entries(service.environment ?? {})) {
      const value = localAddresses(interpolate(String(raw), options.dotEnv));
      env[key] = /^postgres(ql)?:\/\/[^/]*@postgres[:/]/.test(value) ? await databaseUrl(value) : value;
    }
    for (const secret of service.secrets ?? []) {
      const file = secretFile(secret);
      for (const key of Object.keys(env)) env[key] = env[key].replaceAll(`/run/secrets/${secret}`, file);
    }
    if (ports[name]) env.PORT = String(ports[name]);
    return { env: { ...env, ...options.extraEnv }, runtime };
  };

  const user = options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {};
  const processes: DeployedProcess[] = [];
  const run = (name: string, cwd: string, argv: string[], env: Record<string, string>) => {
    const [command, ...args] = onThisMachine(argv);
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...user });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const managed: DeployedProcess = { name, port: ports[name] ?? 0, child, output: () => output, exited };
    processes.push(managed);
    return managed;
  };

  const healthy = (managed: DeployedProcess, test: string[], env: Record<string, string>, cwd: string) =>
    waitFor(
      () => {
        if (managed.child.exitCode !== null)
          throw new Error(`${managed.name} exited (${managed.child.exitCode}):\n${managed.output().slice(-2000)}`);
        const [form, ...argv] = test;
        if (form !== 'CMD') throw new Error(`${managed.name}: only exec-form healthchecks are rehearsed`);
        const local = argv.map((part) =>
          part.replace(
            new RegExp(`127\\.0\\.0\\.1:${composePorts[managed.name]}\\b`, 'g'),
            `127.0.0.1:${managed.port}`,
          ),
        );
        const [command, ...args] = onThisMachine(local);
        return new Promise<boolean>((done) =>
          execFile(command, args, { cwd, env, timeout: 3000, ...user }, (error) => done(!error)),
        );
      },
      `${managed.name} healthy (its healthcheck command succeeds)`,
      90_000,
      // Each probe starts a Node process: every 50 ms for eight services would take the cores they start on.
      500,
    );

  // One promise per service and condition, so every `depends_on` waits for exactly what it names.
  const conditions = new Map<string, Promise<void>>();
  const conditionOf = (name: string, condition: string) => {
    const promise = conditions.get(`${name}:${condition}`);
    if (!promise) throw new Error(`docker-compose.yml: ${name} has no condition ${condition}`);
    return promise;
  };
  const started = new Map<string, Promise<void>>();
  const startService = (name: string): Promise<void> => {
    const existing = started.get(name);
    if (existing) return existing;
    const service = compose.services[name];
    const startup = (async () => {
      await Promise.all(
        Object.entries(service.depends_on ?? {})
          .filter(([dependency]) => ours.some(([other]) => other === dependency))
          .map(async ([dependency, { condition }]) => {
            await startService(dependency);
            await conditionOf(dependency, condition);
          }),
      );
      const pkg = String(service.build?.args?.PACKAGE);
      const cwd = options.deployedDirs[pkg];
      if (!cwd) throw new Error(`no deployed folder for ${pkg}`);
      const { env, runtime } = await environmentOf(name, service);
      const managed = run(name, cwd, service.command ?? runtime.cmd, env);
      conditions.set(`${name}:service_started`, Promise.resolve());
      const completed = managed.exited.then((code) => {
        if (code !== 0) throw new Error(`${name} exited with ${code}:\n${managed.output().slice(-2000)}`);
      });
      // Awaited only by what depends on it; a long-running service stopped at the end must not be an unhandled error.
      completed.catch(() => undefined);
      conditions.set(`${name}:service_completed_successfully`, completed);
      if (!isOneShot(service)) {
        const test = service.healthcheck?.disable ? [] : (service.healthcheck?.test ?? ['CMD', ...runtime.healthcheck]);
        conditions.set(`${name}:service_healthy`, healthy(managed, test, env, cwd));
      }
    })();
    started.set(name, startup);
    return startup;
  };

  const stop = async (graceMs = 30_000) => {
    const running = processes.filter((managed) => managed.child.exitCode === null && managed.child.signalCode === null);
    const codes: Record<string, number | null> = {};
    await Promise.all(
      running.map(async (managed) => {
        managed.child.kill('SIGTERM');
        const timer = setTimeout(() => managed.child.kill('SIGKILL'), graceMs);
        codes[managed.name] = await managed.exited;
        clearTimeout(timer);
      }),
    );
    return codes;
  };

  try {
    await Promise.all(ours.map(([name]) => startService(name)));
    await Promise.all(
      ours.map(([name, service]) =>
        conditionOf(name, isOneShot(service) ? 'service_completed_successfully' : 'service_healthy'),
      ),
    );
  } catch (error) {
    await stop(5_000);
    throw error;
  }
  return { ports, processes, stop };
}
