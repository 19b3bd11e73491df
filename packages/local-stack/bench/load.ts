import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { buildEnvelope, producerSource, TierReached, toKafkaMessage } from '@taoyuan/events';
import { builders, type TestUser } from '@taoyuan/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { SystemUnderTest } from '../test/support/start-system';
import { openShift, signInDemo } from '../test/support/flows';
import { runBenchmark, withSystem } from './support';

/**
 * Issue 11's load scenario through the whole stack as `pnpm start` runs it: USERS signed-in residents, each in a closed
 * loop (the next request when the previous answered) for SECONDS, reading what a resident's home screen reads; half
 * way through, all of them sign up for one shift within a second. Then a consumer process is killed and restarted,
 * and we measure how long until it handles an event again. Goals (issue 11): 0 errors, p99 ≤ 2 s, none over 5 s, the
 * consumer back at work within 10 s. Figures depend on the machine and what else runs on it: the load average is
 * printed beside them. The measured minute follows a warm-up of the same reads (not counted), as the gateway bench
 * warms up before its rounds: a process that has just started compiles and plans every query once, and the run
 * measures the service, not its first seconds (the timeline of the measured minute is printed too).
 *   BENCH_LOAD_USERS=200 BENCH_LOAD_SECONDS=60 BENCH_LOAD_WARMUP_SECONDS=10 node -r @swc-node/register bench/load.ts
 */
const USERS = Number(process.env.BENCH_LOAD_USERS ?? 200);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_LOAD_WARMUP_SECONDS ?? 10);

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = [
  '秀兰',
  '建华',
  '桂英',
  '志强',
  '淑珍',
  '海燕',
  '国庆',
  '丽娟',
  '子涵',
  '浩然',
  '雨桐',
  '宇轩',
  '晓东',
  '春梅',
  '德明',
  '玉兰',
  '思远',
  '欣怡',
  '文博',
  '佳琪',
];
const residentName = (index: number) =>
  `${SURNAMES[index % SURNAMES.length]}${GIVEN[Math.floor(index / SURNAMES.length + index) % GIVEN.length]}`;

const READS: { name: string; query: string }[] = [
  { name: 'me', query: '{ me { id displayName roles household { building unit room } community { name } } }' },
  { name: 'points', query: '{ me { pointsAccount { balance lifetimeEarned heldPoints tier } } }' },
  {
    name: 'opportunities',
    query: '{ opportunities(first: 10) { edges { node { id title organization { name } } } } }',
  },
  { name: 'organizations', query: '{ organizations(first: 10) { edges { node { id name } } } }' },
  {
    name: 'offerings',
    query: '{ serviceOfferings(first: 10) { edges { node { id title pricePoints provider { name } } } } }',
  },
];
const SIGN_UP = 'mutation SignUp($s: ID!) { signUp(shiftId: $s) { id status } }';

interface Sample {
  name: string;
  ms: number;
  /** When the answer arrived, in ms since the run started. */
  at?: number;
  /** ok, or the first error's code (HTTP status when the body has none). */
  outcome: string;
}

/** One keep-alive connection per resident on node:http: undici's fetch costs this client several times the CPU. */
const agent = new Agent({ keepAlive: true, maxSockets: USERS + 10 });

function post(url: string, token: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
          'accept-language': 'en',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function call(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const started = performance.now();
  let outcome = 'ok';
  try {
    const response = await post(url, token, JSON.stringify({ query, variables }));
    let body: { errors?: { extensions?: { code?: string; service?: string } }[] } = {};
    try {
      body = JSON.parse(response.text) as typeof body;
    } catch {
      // not JSON: the status says what happened
    }
    const first = body.errors?.[0]?.extensions;
    // SERVICE_UNAVAILABLE/gateway: shed by the gateway's admission control; /<subgraph>: that subgraph did not answer.
    if (body.errors?.length)
      outcome = `${first?.code ?? `HTTP_${response.status}`}${first?.service ? `/${first.service}` : ''}`;
    else if (response.status !== 200) outcome = `HTTP_${response.status}`;
  } catch (error) {
    outcome = `NETWORK_${(error as { code?: string }).code ?? 'ERROR'}`;
  }
  return { ms: performance.now() - started, outcome };
}

/** Residents registered through identity's API (SMS code from the development outbox), a few at a time. */
async function registerResidents(gatewayUrl: string, count: number): Promise<TestUser[]> {
  const build = builders(gatewayUrl);
  const users: TestUser[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      users.push(await build.newResident({ communityId: TAOYUANJU.id, displayName: residentName(index) }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return users;
}

/** Sums and counts of the gateway's own histograms: how much of a request's time the gateway saw. */
async function gatewayTotals(gatewayUrl: string) {
  const text = await (await fetch(gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  const total = (pattern: RegExp) =>
    text
      .split('\n')
      .filter((line) => pattern.test(line))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  return {
    executed: total(/^taoyuan_graphql_request_duration_seconds_sum\{[^}]*service="gateway"/),
    executedCount: total(/^taoyuan_graphql_request_duration_seconds_count\{[^}]*service="gateway"/),
    queued: total(/^taoyuan_gateway_admission_queue_wait_seconds_sum/),
    queuedCount: total(/^taoyuan_gateway_admission_queue_wait_seconds_count/),
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

function report(title: string, samples: Sample[], seconds: number): void {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const errors = new Map<string, number>();
  for (const sample of samples)
    if (sample.outcome !== 'ok') errors.set(sample.outcome, (errors.get(sample.outcome) ?? 0) + 1);
  const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  console.log(
    `  ${title.padEnd(14)} ${String(samples.length).padStart(6)} requests` +
      (seconds ? ` (${(samples.length / seconds).toFixed(0)}/s)` : '') +
      `  p50 ${fmt(percentile(sorted, 50))}  p95 ${fmt(percentile(sorted, 95))}  p99 ${fmt(percentile(sorted, 99))}` +
      `  max ${fmt(sorted.at(-1) ?? NaN)}  over 2 s: ${sorted.filter((ms) => ms > 2_000).length}` +
      `  over 5 s: ${sorted.filter((ms) => ms > 5_000).length}` +
      `  errors: ${errors.size ? [...errors].map(([code, n]) => `${code} ${n}`).join(', ') : '0'}`,
  );
}

/**
 * Kills organizations (it consumes points.tier-reached) without a LeaveGroup, publishes a tier event while it is down,
 * starts it again, and reads its /health/details until its consumer handled an event: the time from the new process's
 * start to that moment.
 */
async function consumerRestart(system: SystemUnderTest): Promise<void> {
  const kafka = new Kafka({
    clientId: 'bench-load',
    brokers: [system.kafkaBrokers],
    sasl: system.kafkaSasl('operator'),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const details = `${new URL(system.subgraphUrls.organizations ?? '').origin}/health/details`;
  try {
    const { startedAt, ready } = await system.crashAndRestart('organizations');
    const payload = {
      userId: randomUUID(),
      communityId: TAOYUANJU.id,
      tier: 'ACTIVIST' as const,
      lifetimeEarned: 100,
      reachedAt: new Date().toISOString(),
    };
    const envelope = buildEnvelope(TierReached, producerSource('volunteering'), payload, { communityId: TAOYUANJU.id });
    await producer.send({ topic: TierReached.topic, messages: [toKafkaMessage(envelope)] });
    await ready;
    const readyAt = Date.now();
    for (;;) {
      const body = (await (await fetch(details)).json()) as {
        components: Record<string, { state?: string; lastMessageAt?: string | null }>;
      };
      const consumer = body.components['consumer:organizations'];
      if (consumer?.lastMessageAt) {
        const seconds = (ms: number) => `${((ms - startedAt) / 1000).toFixed(1)} s`;
        console.log(
          `  consumer restart (organizations killed with SIGKILL, started again): ready ${seconds(readyAt)},` +
            ` handling events again ${seconds(Date.parse(consumer.lastMessageAt))}` +
            ` after the new process started (goal ≤ 10 s)`,
        );
        return;
      }
      if (Date.now() - startedAt > 120_000)
        throw new Error('organizations did not consume within 120 s of its restart');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await producer.disconnect();
  }
}

async function main() {
  // One machine plays every resident, so identity's per-address registration limit is lifted for the bench.
  await withSystem(
    async (system) => {
      const url = system.gatewayUrl;
      console.log(`registering ${USERS} residents of ${TAOYUANJU.name} through the gateway …`);
      const users = await registerResidents(url, USERS);
      const { worker } = await signInDemo(url);
      const shift = await openShift(url, worker, {
        startsAt: new Date(Date.now() + 3_600_000),
        capacity: USERS,
        title: '社区长者生日会志愿者招募',
      });

      if (WARMUP_SECONDS > 0) {
        console.log(`warming up: ${USERS} residents read for ${WARMUP_SECONDS} s, not counted …`);
        const warmEnd = Date.now() + WARMUP_SECONDS * 1_000;
        await Promise.all(
          users.map(async (user, index) => {
            for (let turn = index; Date.now() < warmEnd; turn += 1)
              await call(url, user.accessToken, READS[turn % READS.length].query);
          }),
        );
      }

      const samples: Sample[] = [];
      const burst: Sample[] = [];
      const burstSent: number[] = [];
      const load = [loadavg()[0] ?? 0];
      const started = Date.now();
      const deadline = started + SECONDS * 1_000;
      const burstAt = started + (SECONDS * 1_000) / 2;
      const before = await gatewayTotals(url);
      const loadTimer = setInterval(() => load.push(loadavg()[0] ?? 0), 5_000);
      console.log(`${USERS} residents in a closed loop for ${SECONDS} s; sign-up burst at ${SECONDS / 2} s …`);
      await Promise.all(
        users.map(async (user, index) => {
          let signedUp = false;
          let turn = index;
          while (Date.now() < deadline) {
            if (!signedUp && Date.now() >= burstAt) {
              signedUp = true;
              burstSent.push(Date.now());
              const result = await call(url, user.accessToken, SIGN_UP, { s: shift.shiftId });
              burst.push({ name: 'signUp', ...result, at: Date.now() - started });
              continue;
            }
            const read = READS[turn++ % READS.length];
            samples.push({
              name: read.name,
              ...(await call(url, user.accessToken, read.query)),
              at: Date.now() - started,
            });
          }
        }),
      );
      clearInterval(loadTimer);
      const after = await gatewayTotals(url);
      const elapsed = (Date.now() - started) / 1000;
      console.log(
        `load average (1 min) during the run: ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} on this machine`,
      );
      report('all requests', [...samples, ...burst], elapsed);
      // Where the slow answers fall: the sign-up burst, the warm-up, or all along.
      const windows: string[] = [];
      for (let from = 0; from < SECONDS * 1_000; from += 10_000) {
        const inWindow = [...samples, ...burst].filter((one) => (one.at ?? 0) >= from && (one.at ?? 0) < from + 10_000);
        const sorted = inWindow.map((one) => one.ms).sort((a, b) => a - b);
        const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
        windows.push(`${from / 1000}–${from / 1000 + 10} s: p99 ${(p99 / 1000).toFixed(2)} s (${inWindow.length})`);
      }
      console.log(`  by answer time: ${windows.join(' · ')}`);
      for (const read of READS)
        report(
          read.name,
          samples.filter((sample) => sample.name === read.name),
          0,
        );
      report('signUp burst', burst, 0);
      const all = [...samples, ...burst];
      const mean = (sum: number, count: number) => (count ? `${((sum / count) * 1000).toFixed(0)} ms` : '—');
      console.log(
        `  mean per request: as the residents saw it ${mean(
          all.reduce((sum, sample) => sum + sample.ms / 1000, 0),
          all.length,
        )}, waiting for an admission slot ${mean(after.queued - before.queued, after.executedCount - before.executedCount)},` +
          ` executing in the gateway ${mean(after.executed - before.executed, after.executedCount - before.executedCount)}` +
          ' (the rest: on the wire, unread on the connection, in this client)',
      );
      if (burstSent.length)
        console.log(
          `  ${burstSent.length} residents sent signUp for one shift within ` +
            `${((Math.max(...burstSent) - Math.min(...burstSent)) / 1000).toFixed(2)} s`,
        );
      await consumerRestart(system);
    },
    { env: { REGISTRATION_CODES_PER_ADDRESS: String(USERS * 2), LOG_LEVEL: 'warn' } },
  );
}

runBenchmark(main);
