import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kafkaAcls, kafkaPrincipals } from '@taoyuan/events/kafka-acl';
import { startBroker, type RunningBroker } from '@taoyuan/kafka-broker';
import { createTestDatabase, eventually, graphqlRequest, type TestDatabase } from '@taoyuan/testing';
import { imageServices, readComposeFile, startDeployedStack, type DeployedStack } from '../src/deployed-stack';
import { deploy, deployables } from '../src/image-sizes';

/*
 * `docker compose up` cannot run here (no Docker engine), so this runs what it would: every Taoyuan service of
 * docker-compose.yml from the folder its image holds (infra/Dockerfile's deploy stage), with the image's ENV, CMD and
 * HEALTHCHECK and the compose file's commands, environment, order and health conditions (src/deployed-stack.ts).
 * CI passes the folders `pnpm image-sizes --keep` already deployed (TAOYUAN_DEPLOYED_DIR); without them the test
 * builds and deploys its own.
 */
const repository = resolve(__dirname, '..', '..', '..');
const compose = readComposeFile();
const HEALTH_DETAILS_TOKEN = randomBytes(24).toString('base64url');

let scratch: string;
let broker: RunningBroker;
let stack: DeployedStack | undefined;
const databases: TestDatabase[] = [];

/**
 * The image's build stage (`pnpm build`) when the tests run from the sources (a plain `pnpm test`); a run from the build
 * (TAOYUAN_RUN_FROM=build, as CI) uses the dist/ it was given, which other test files are running at the same time.
 */
function buildLikeTheImage(): void {
  const fromBuild = process.env.TAOYUAN_RUN_FROM === 'build' || process.env.CI === 'true';
  if (fromBuild && existsSync(join(repository, 'gateway/dist/main.js'))) return;
  execFileSync(process.execPath, [join(repository, 'scripts/build.mjs')], { cwd: repository, stdio: 'ignore' });
}

function deployedFolders(): Record<string, string> {
  const given = process.env.TAOYUAN_DEPLOYED_DIR;
  if (!given) buildLikeTheImage();
  const folders: Record<string, string> = {};
  for (const target of deployables()) {
    const kept = given ? join(given, target.name) : undefined;
    if (kept && existsSync(join(kept, 'dist', 'main.js'))) folders[target.name] = kept;
    else {
      folders[target.name] = join(scratch, 'images', target.name);
      deploy(target, folders[target.name]);
    }
  }
  return folders;
}

/**
 * As root (CI), every process runs as the image's uid 1000 with a HOME it cannot write, and the folders stay root's.
 * The folders above them must let that user through (mkdtemp makes them 0700).
 */
function imageUser(): { uid: number; gid: number; home: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const home = join(scratch, 'home');
  mkdirSync(home, { mode: 0o755 });
  for (const dir of [scratch, process.env.TAOYUAN_DEPLOYED_DIR].filter((each): each is string => Boolean(each)))
    chmodSync(dir, 0o755);
  return { uid: 1000, gid: 1000, home };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'taoyuan-rehearsal-'));
  // The operator's .env (the compose file's header): the gateway's secret and one Kafka password per principal.
  const dotEnv: Record<string, string> = { GATEWAY_SHARED_SECRET: randomBytes(32).toString('base64url') };
  for (const principal of kafkaPrincipals())
    dotEnv[`KAFKA_PASSWORD_${principal.toUpperCase()}`] = randomBytes(24).toString('base64url');
  // What kafka-init creates in compose: each principal's SCRAM login and the catalogue's ACLs.
  broker = await startBroker({
    port: 0,
    dataDir: join(scratch, 'kafka'),
    defaultPartitions: 3,
    security: {
      users: kafkaPrincipals().map((principal) => ({
        name: principal,
        password: dotEnv[`KAFKA_PASSWORD_${principal.toUpperCase()}`],
      })),
      acls: kafkaAcls(),
    },
  });
  stack = await startDeployedStack({
    compose,
    deployedDirs: deployedFolders(),
    dotEnv,
    databaseFor: async (name) => {
      const database = await createTestDatabase(name);
      databases.push(database);
      return database.url;
    },
    kafkaBrokers: broker.brokers,
    secretsDir: scratch,
    // A trial deployment's additions to the file: the demo community, and operators' access to /health/details.
    extraEnv: { SEED_DEMO_DATA: 'true', HEALTH_DETAILS_TOKEN },
    runAs: imageUser(),
  });
}, 420_000);

afterAll(async () => {
  await stack?.stop(5_000);
  await broker?.stop();
  for (const database of databases) await database.drop().catch(() => undefined);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const gatewayUrl = () => `http://127.0.0.1:${stack?.ports.gateway}/graphql`;

describe('docker-compose.yml run from the images’ folders (no Docker engine here)', () => {
  it('ran every migration container to completion before its service, and started every service as uid 1000', () => {
    const names = stack?.processes.map((managed) => managed.name) ?? [];
    expect(names.sort()).toEqual(
      imageServices(compose)
        .map(([name]) => name)
        .sort(),
    );
    for (const managed of stack?.processes ?? []) {
      if (compose.services[managed.name].restart === 'no') expect(managed.child.exitCode).toBe(0);
      else {
        expect(managed.child.exitCode).toBeNull();
        // As the image's user wherever the test could switch to it (root, as CI runs).
        if (process.getuid?.() === 0) {
          const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${managed.child.pid}/status`, 'utf8'))?.[1];
          expect({ name: managed.name, uid }).toEqual({ name: managed.name, uid: '1000' });
        }
      }
    }
  });

  it('serves a demo resident through the gateway, across three subgraphs, as production (no development routes)', async () => {
    const login = await graphqlRequest<{ login: { accessToken: string } }>(
      gatewayUrl(),
      'mutation { login(phone: "13800000013", password: "taoyuan-demo") { accessToken } }',
    );
    expect(login.errors).toBeUndefined();
    const me = await graphqlRequest<{
      me: { displayName: string; community: { name: string }; memberships: { organization: { name: string } }[] };
    }>(
      gatewayUrl(),
      '{ me { displayName community { name } pointsAccount { balance } memberships { organization { name } } } }',
      {},
      { token: login.data?.login.accessToken },
    );
    expect(me.errors).toBeUndefined();
    expect(me.data?.me.displayName).toBe('陈静');
    expect(me.data?.me.community.name).toBe('桃源居社区');
    expect(me.data?.me.memberships.length).toBeGreaterThan(0);
    // NODE_ENV=production from the image: identity serves no development SMS outbox.
    const outbox = await fetch(`http://127.0.0.1:${stack?.ports.identity}/dev/sms-outbox`);
    expect(outbox.status).toBe(404);
  });

  it('publishes and consumes through Kafka with each service’s own login: every outbox empties, no consumer down', async () => {
    const subgraphs = Object.keys(stack?.ports ?? {}).filter((name) => name !== 'gateway');
    for (const name of subgraphs) {
      const details = await eventually(async () => {
        const answer = await fetch(`http://127.0.0.1:${stack?.ports[name]}/health/details`, {
          headers: { authorization: `Bearer ${HEALTH_DETAILS_TOKEN}` },
        });
        const body = (await answer.json()) as {
          status: string;
          components: Record<string, { status: string; backlog?: number }>;
        };
        const drained = Object.values(body.components).every(
          (part) => part.status === 'up' && (part.backlog ?? 0) === 0,
        );
        return answer.status === 200 && drained ? body : undefined;
      }, `${name}: /health/details with every part up and no unsent event`);
      expect(details.status).toBe('up');
    }
  });

  it('stops every service with exit code 0 on SIGTERM (what tini forwards on docker compose stop)', async () => {
    const codes = await stack?.stop();
    stack = undefined;
    expect(Object.values(codes ?? {}).length).toBeGreaterThan(0);
    for (const [name, code] of Object.entries(codes ?? {})) expect({ name, code }).toEqual({ name, code: 0 });
  });
});
