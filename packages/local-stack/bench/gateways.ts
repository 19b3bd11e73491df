import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { transformFileSync } from '@swc/core';
import autocannon from 'autocannon';
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import { builders, eventually, freePort, graphqlData, graphqlRequest } from '@taoyuan/testing';
import type { SystemUnderTest } from '../test/support/start-system';
import { startProcess, stopProcess, waitUntilReady } from '../src/processes';
import {
  cpuSince,
  formatCpuPerRequest,
  formatTail,
  readCpuByRole,
  readHistogram,
  type Buckets,
  type CpuByRole,
} from './cpu-breakdown';
import { runBenchmark, withSystem } from './support';

/**
 * `pnpm bench:gateways`: our gateway beside Hive Gateway (its defaults) over the same committed supergraph, and S1
 * beside the subgraph itself, every process from the compiled build on this machine. First every endpoint must
 * return the same data for every caller; then alternating rounds (ours / Hive / direct) of autocannon at 20
 * connections, medians of 3 rounds, twice: one token on every connection, and a different signed-in resident per
 * connection (real traffic, where merging identical subgraph requests helps less). Issue 11's goals are printed,
 * never asserted: the figures depend on the machine and on whatever else runs on it.
 *   pnpm bench:gateways [seconds per run=5] [connections=20] [rounds=3]
 */
const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = Number(process.argv[3] ?? 20);
const ROUNDS = Number(process.argv[4] ?? 3);
/**
 * Unmeasured load before each traffic shape's rounds. Processes reach their steady state (optimized code, heap size,
 * pools, plans) only after tens of seconds of their own traffic, and the one-token shape barely reaches the subgraphs
 * (its fetches merge), so each shape warms up with its own callers. With 1 s, the first round of S2 per resident ran
 * at 60–80% of the later ones.
 */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 10);
const root = path.resolve(__dirname, '../../..');

type Endpoint = 'ours' | 'hive' | 'direct';

interface Scenario {
  id: string;
  title: string;
  query: string;
  endpoints: Endpoint[];
  /** The ratio the goal is about: ours over this endpoint, at least `atLeast`. */
  goal: { against: Endpoint; atLeast: number };
}

const ALL_SCENARIOS: Scenario[] = [
  {
    id: 'S1',
    title: '{ communities { id name city } } (one subgraph)',
    query: '{ communities { id name city } }',
    endpoints: ['ours', 'hive', 'direct'],
    goal: { against: 'direct', atLeast: 0.7 },
  },
  {
    id: 'S2',
    title: 'me across identity, volunteering, organizations',
    query:
      '{ me { id displayName roles community { name } pointsAccount { balance tier } memberships { role organization { name } } } }',
    endpoints: ['ours', 'hive'],
    goal: { against: 'hive', atLeast: 1 },
  },
  {
    id: 'S3',
    title: '20 opportunities + organization + createdBy',
    query:
      '{ opportunities(first: 20) { edges { node { id title organization { name } createdBy { displayName } } } } }',
    endpoints: ['ours', 'hive'],
    goal: { against: 'hive', atLeast: 1 },
  },
];
/** BENCH_SCENARIOS=S2 (or S1,S3) runs only those, e.g. to profile one with NODE_OPTIONS=--cpu-prof. */
const SCENARIOS = ALL_SCENARIOS.filter(
  (scenario) => !process.env.BENCH_SCENARIOS || process.env.BENCH_SCENARIOS.split(',').includes(scenario.id),
);
const P99_GOAL_MS = 250;

/** Residents the bench registers beside the demo accounts, so that every connection can sign in as someone else. */
const BENCH_RESIDENTS = [
  '黄志强',
  '周丽娟',
  '吴海涛',
  '徐桂兰',
  '孙建华',
  '马晓燕',
  '朱国庆',
  '胡美玲',
  '郭振华',
  '何淑珍',
  '林志明',
  '高翠英',
  '罗德胜',
];

/** Opportunities 王芳 publishes for the bench: with the demo's five, S3 lists 20, each with its organization. */
const BENCH_OPPORTUNITIES = [
  '楼道杂物清理',
  '垃圾分类督导',
  '长者助餐送餐',
  '社区图书馆整理',
  '周末亲子读书会',
  '防诈骗宣传',
  '义诊活动引导',
  '绿地补种',
  '暑期托管助教',
  '消防安全巡查',
  '爱心义剪',
  '独居长者电话问候',
  '社区运动会服务',
  '旧衣回收分拣',
  '健康讲座签到',
];

interface Run {
  rps: number;
  p50: number;
  p99: number;
  /** Answers other than 2xx (e.g. 503 from load shedding) … */
  non2xx: number;
  /** … and requests with no answer (connection errors, timeouts). */
  errors: number;
  /** CPU time the endpoint's own process spent per request (ms): its cost, less sensitive to other load than rps. */
  cpuMs: number;
  requests: number;
  /** CPU seconds every process on the machine used during the run, by role. */
  cpuByRole: CpuByRole;
}

/** CPU seconds a process has used so far. */
type CpuClock = () => Promise<number>;

/** From a process's Prometheus metrics (our gateway and subgraphs serve prom-client's process metrics). */
function metricsCpuClock(graphqlUrl: string): CpuClock {
  return async () => {
    const text = await (await fetch(new URL('/metrics', graphqlUrl))).text();
    const match = /^process_cpu_seconds_total (\S+)$/m.exec(text);
    if (!match) throw new Error(`${graphqlUrl}: no process_cpu_seconds_total in /metrics`);
    return Number(match[1]);
  };
}

/** From /proc (Linux) for a process that serves no metrics: Hive with its defaults. */
function procCpuClock(pid: number): CpuClock {
  return async () => {
    // Fields after the command name; utime and stime are the 14th and 15th of the line, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
}

function sumByRole(readings: CpuByRole[]): CpuByRole {
  const sum: CpuByRole = new Map();
  for (const reading of readings) for (const [role, seconds] of reading) sum.set(role, (sum.get(role) ?? 0) + seconds);
  return sum;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Hive Gateway in its own process, compiled here to JavaScript (no TypeScript loader on its hot path, like ours
 * from the build), over the committed supergraph with this stack's subgraph URLs.
 */
async function startHive(system: SystemUnderTest, secret: string) {
  const cacheDir = path.join(__dirname, '../node_modules/.cache/taoyuan-bench');
  mkdirSync(cacheDir, { recursive: true });
  const entry = path.join(cacheDir, 'hive-gateway.js');
  const compiled = transformFileSync(path.join(__dirname, 'hive-gateway.ts'), {
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
    swcrc: false,
    configFile: false,
  });
  writeFileSync(entry, compiled.code);
  let supergraph = readFileSync(path.join(root, 'gateway/supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(system.subgraphUrls))
    supergraph = supergraph.replace(
      new RegExp(`(@join__graph\\(name: "${name}", url: )"[^"]*"`),
      (_match, prefix: string) => `${prefix}"${url}"`,
    );
  const workDir = mkdtempSync(path.join(tmpdir(), 'taoyuan-hive-'));
  const supergraphFile = path.join(workDir, 'supergraph.graphql');
  writeFileSync(supergraphFile, supergraph);
  const port = await freePort();
  const hive = startProcess(
    'hive-gateway',
    cacheDir,
    entry,
    {
      ...process.env,
      NODE_ENV: 'development',
      TAOYUAN_RUN_FROM: 'build',
      PORT: String(port),
      SUPERGRAPH_FILE: supergraphFile,
      GATEWAY_SHARED_SECRET: secret,
    },
    system.logDir,
    false,
  );
  await waitUntilReady(hive, `http://127.0.0.1:${port}/readiness`);
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    cpu: procCpuClock(hive.child.pid ?? 0),
    stop: () => stopProcess(hive),
  };
}

/** 20 callers: the seven demo accounts and residents registered for the bench, each with an open points account. */
async function signIn(system: SystemUnderTest): Promise<string[]> {
  const api = builders(system.gatewayUrl);
  const tokens: string[] = [];
  for (const user of DEMO_USERS) tokens.push((await api.login(user.phone, DEMO_PASSWORD)).accessToken);
  for (const displayName of BENCH_RESIDENTS.slice(0, Math.max(0, CONNECTIONS - tokens.length)))
    tokens.push((await api.newResident({ communityId: TAOYUANJU.id, displayName })).accessToken);
  // volunteering opens the account on identity.user.registered: wait for the event before `me` asks for it.
  for (const token of tokens)
    await eventually(
      async () =>
        !(await graphqlRequest(system.gatewayUrl, '{ me { pointsAccount { balance } } }', {}, { token })).errors,
      'the bench residents’ points accounts',
    );
  return tokens;
}

async function publishOpportunities(system: SystemUnderTest): Promise<void> {
  const worker = DEMO_USERS.find((user) => user.phone === '13800000002');
  if (!worker) throw new Error('the demo community worker 王芳 is missing');
  const { accessToken: token } = await builders(system.gatewayUrl).login(worker.phone, DEMO_PASSWORD);
  for (const [index, title] of BENCH_OPPORTUNITIES.entries()) {
    const created = await graphqlData<{ createOpportunity: { id: string } }>(
      system.gatewayUrl,
      'mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }',
      {
        input: {
          title,
          description: `${title}，欢迎邻居们报名参加。`,
          category: 'MUTUAL_AID',
          location: '桃源居社区服务中心',
          organizationId: DEMO_ORGANIZATIONS[index % DEMO_ORGANIZATIONS.length].id,
        },
      },
      { token },
    );
    const startsAt = new Date(Date.now() + (index + 1) * 86_400_000);
    await graphqlData(
      system.gatewayUrl,
      'mutation($id: ID!, $input: AddShiftInput!) { addShift(opportunityId: $id, input: $input) { id } }',
      {
        id: created.createOpportunity.id,
        input: {
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
          capacity: 20,
        },
      },
      { token },
    );
    await graphqlData(
      system.gatewayUrl,
      'mutation($id: ID!) { publishOpportunity(id: $id) { id } }',
      { id: created.createOpportunity.id },
      { token },
    );
  }
}

const HEADERS = { 'content-type': 'application/json', 'accept-language': 'zh-CN,zh;q=0.9' };

/** Every endpoint gives every caller the same answer, with no error, before anything is timed. */
async function checkSameData(targets: Record<Endpoint, Target>, tokens: string[]): Promise<void> {
  for (const scenario of SCENARIOS) {
    for (const token of tokens) {
      const answers = await Promise.all(
        scenario.endpoints.map(async (endpoint) => {
          const response = await fetch(targets[endpoint].url, {
            method: 'POST',
            headers: { ...HEADERS, authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: scenario.query }),
          });
          return { endpoint, status: response.status, body: (await response.json()) as unknown };
        }),
      );
      for (const answer of answers) {
        const body = answer.body as { data?: unknown; errors?: unknown };
        if (answer.status !== 200 || body.errors || !body.data)
          throw new Error(`${scenario.id} ${answer.endpoint}: ${answer.status} ${JSON.stringify(answer.body)}`);
        if (!isDeepStrictEqual(body, answers[0].body))
          throw new Error(
            `${scenario.id}: ${answer.endpoint} answered differently from ${answers[0].endpoint}:\n` +
              `${JSON.stringify(answer.body)}\n${JSON.stringify(answers[0].body)}`,
          );
      }
    }
    console.log(`  ${scenario.id}: ${scenario.endpoints.join(', ')} return the same data for ${tokens.length} callers`);
  }
}

interface Target {
  url: string;
  cpu: CpuClock;
  /** With BENCH_DETAIL, the processes on this target's path (name → GraphQL URL) whose histograms show each hop. */
  hops?: Record<string, string>;
}

/** BENCH_DETAIL=1: CPU per request of every process, and where the time of our gateway's requests went, hop by hop. */
const DETAIL = Boolean(process.env.BENCH_DETAIL);

async function readTails(hops: Record<string, string>): Promise<Map<string, Buckets>> {
  const tails = new Map<string, Buckets>();
  for (const [name, url] of Object.entries(hops)) {
    const metrics = new URL('/metrics', url).toString();
    tails.set(`${name} served`, await readHistogram(metrics, 'taoyuan_graphql_request_duration_seconds'));
    if (name === 'gateway')
      for (const subgraph of ['identity', 'volunteering', 'organizations'])
        tails.set(
          `gateway → ${subgraph}`,
          await readHistogram(metrics, 'taoyuan_gateway_subgraph_fetch_duration_seconds', new RegExp(`"${subgraph}"`)),
        );
  }
  return tails;
}

async function load(target: Target, query: string, tokens: string[], seconds: number): Promise<Run> {
  let connection = 0;
  const hops = DETAIL ? target.hops : undefined;
  const tailsBefore = hops && (await readTails(hops));
  // The slowest answer in each second of the run: a stall shows as one bad second, a slow service as all of them.
  const slowest: number[] = [];
  const started = Date.now();
  const benchLoop = hops && monitorEventLoopDelay({ resolution: 10 });
  benchLoop?.enable();
  const cpuBefore = await target.cpu();
  const rolesBefore = readCpuByRole();
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: HEADERS,
    body: JSON.stringify({ query }),
    setupClient: (client) => {
      const token = tokens[connection++ % tokens.length];
      client.setHeaders({ ...HEADERS, authorization: `Bearer ${token}` });
      if (tailsBefore)
        client.on('response', (_status: number, _bytes: number, milliseconds: number) => {
          const second = Math.floor((Date.now() - started) / 1000);
          slowest[second] = Math.max(slowest[second] ?? 0, milliseconds);
        });
    },
  });
  const cpuAfter = await target.cpu();
  const cpuByRole = cpuSince(rolesBefore);
  if (hops && tailsBefore && benchLoop) {
    benchLoop.disable();
    const tailsAfter = await readTails(hops);
    for (const [hop, buckets] of tailsAfter)
      console.log(`      ${hop.padEnd(24)} ${formatTail(tailsBefore.get(hop) ?? new Map<number, number>(), buckets)}`);
    console.log(
      `      client-side: p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ` +
        `the bench's own event loop waited p99 ${(benchLoop.percentile(99) / 1e6).toFixed(0)} ms; ` +
        `slowest per second: ${slowest.map((ms) => ms.toFixed(0)).join(' ')} ms`,
    );
  }
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuMs: ((cpuAfter - cpuBefore) * 1000) / Math.max(1, result.requests.total),
    requests: result.requests.total,
    cpuByRole,
  };
}

const fmt = (run: Run) =>
  `${run.rps.toFixed(0).padStart(6)} rps  p50 ${String(run.p50).padStart(4)} ms  p99 ${String(run.p99).padStart(4)} ms` +
  `  cpu ${run.cpuMs.toFixed(2)} ms/req` +
  (run.non2xx || run.errors ? `  FAILED: ${run.non2xx} non-2xx, ${run.errors} errors` : '');

async function measure(targets: Record<Endpoint, Target>, tokens: string[], shape: string): Promise<boolean> {
  console.log(
    `\n${shape}: ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARM_UP_SECONDS} s of warm-up, ` +
      `medians of ${ROUNDS} alternating rounds`,
  );
  for (const scenario of SCENARIOS)
    for (const endpoint of scenario.endpoints) await load(targets[endpoint], scenario.query, tokens, WARM_UP_SECONDS);
  const runs = new Map<string, Run[]>();
  for (let round = 0; round < ROUNDS; round += 1)
    for (const scenario of SCENARIOS)
      for (const endpoint of scenario.endpoints) {
        const key = `${scenario.id} ${endpoint}`;
        runs.set(key, [...(runs.get(key) ?? []), await load(targets[endpoint], scenario.query, tokens, SECONDS)]);
      }
  let allHold = true;
  for (const scenario of SCENARIOS) {
    console.log(`  ${scenario.id} ${scenario.title}`);
    const medians = new Map<Endpoint, Run>();
    for (const endpoint of scenario.endpoints) {
      const of = runs.get(`${scenario.id} ${endpoint}`) ?? [];
      const run: Run = {
        rps: median(of.map((one) => one.rps)),
        p50: median(of.map((one) => one.p50)),
        p99: median(of.map((one) => one.p99)),
        non2xx: of.reduce((sum, one) => sum + one.non2xx, 0),
        errors: of.reduce((sum, one) => sum + one.errors, 0),
        cpuMs: median(of.map((one) => one.cpuMs)),
        requests: of.reduce((sum, one) => sum + one.requests, 0),
        cpuByRole: sumByRole(of.map((one) => one.cpuByRole)),
      };
      medians.set(endpoint, run);
      console.log(
        `    ${endpoint.padEnd(6)} ${fmt(run)}   (rounds: ${of.map((one) => one.rps.toFixed(0)).join(' / ')} rps)`,
      );
      if (DETAIL) console.log(`           cpu ms/req by process: ${formatCpuPerRequest(run.cpuByRole, run.requests)}`);
    }
    const ours = medians.get('ours')!;
    const ratio = ours.rps / medians.get(scenario.goal.against)!.rps;
    const ratioHolds = ratio >= scenario.goal.atLeast;
    const p99Holds = ours.p99 <= P99_GOAL_MS && ours.non2xx + ours.errors === 0;
    allHold &&= ratioHolds && p99Holds;
    const ratios = scenario.endpoints
      .filter((endpoint) => endpoint !== 'ours')
      .map((endpoint) => `ours/${endpoint} ${(ours.rps / medians.get(endpoint)!.rps).toFixed(2)}`)
      .join(', ');
    console.log(
      `    ${ratios} — goal ours/${scenario.goal.against} ≥ ${scenario.goal.atLeast}: ${ratioHolds ? 'holds' : 'MISSED'}; ` +
        `ours p99 ≤ ${P99_GOAL_MS} ms: ${p99Holds ? 'holds' : 'MISSED'}`,
    );
  }
  return allHold;
}

async function main() {
  // Production runs the build: so do both gateways and the subgraphs here (`pnpm bench:gateways` builds first).
  process.env.TAOYUAN_RUN_FROM = 'build';
  const secret = randomBytes(32).toString('base64url');
  await withSystem(
    async (system) => {
      const hive = await startHive(system, secret);
      try {
        await publishOpportunities(system);
        const tokens = await signIn(system);
        const { identity, volunteering, organizations } = system.subgraphUrls;
        const targets: Record<Endpoint, Target> = {
          ours: {
            url: system.gatewayUrl,
            cpu: metricsCpuClock(system.gatewayUrl),
            hops: { gateway: system.gatewayUrl, identity, volunteering, organizations },
          },
          hive,
          direct: { url: system.subgraphUrls.identity, cpu: metricsCpuClock(system.subgraphUrls.identity) },
        };
        console.log('Same data from every endpoint:');
        await checkSameData(targets, tokens);
        const [before] = loadavg();
        // BENCH_SHAPES=per-resident (or one-token) measures only that traffic shape, e.g. while profiling.
        const shapes = process.env.BENCH_SHAPES?.split(',') ?? ['one-token', 'per-resident'];
        const oneToken =
          !shapes.includes('one-token') || (await measure(targets, [tokens[0]], 'One token on every connection'));
        const perConnection =
          !shapes.includes('per-resident') ||
          (await measure(targets, tokens, `A different signed-in resident per connection`));
        const [after] = loadavg();
        console.log(
          `\nGoals (issue 11) ${oneToken && perConnection ? 'all hold' : 'NOT all met'}; load average ${before.toFixed(2)} → ${after.toFixed(2)} on this machine (figures are noisy when other work runs).`,
        );
      } finally {
        await hive.stop();
      }
    },
    { env: { GATEWAY_SHARED_SECRET: secret } },
  );
}

runBenchmark(main);
