import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@taoyuan/testing';

/**
 * `pnpm bench`: every benchmark, one after another, each in its own process. They share one PostgreSQL: DATABASE_URL
 * when set, else an embedded one started here. Numbers depend on the machine; nothing here asserts.
 */
const root = path.resolve(__dirname, '../../..');
const BENCHMARKS: { title: string; dir: string; args: string[] }[] = [
  {
    title: 'Kafka-protocol development broker: throughput (kafkajs)',
    dir: 'packages/kafka-broker',
    args: ['bench/throughput.ts'],
  },
  {
    title: 'Outbox relay: commit → Kafka acknowledgement',
    dir: 'packages/events',
    args: ['bench/outbox-latency.ts', '300'],
  },
  {
    title: 'Points leaderboard over 100,000 ledger entries',
    dir: 'services/volunteering',
    args: ['bench/leaderboard.ts'],
  },
  { title: 'Gateway: requests per second', dir: 'packages/local-stack', args: ['bench/gateway-load.ts', '10', '10'] },
  {
    title: 'Gateway: bytes automatic persisted queries save per request',
    dir: 'gateway',
    args: ['bench/apq-bytes.ts'],
  },
  {
    title: 'verifyAttendance → promotion candidate visible',
    dir: 'packages/local-stack',
    args: ['bench/promotion-latency.ts', '50'],
  },
  {
    title: 'serviceOfferings(text:) over 100,000 offerings (Chinese search through indexes)',
    dir: 'services/marketplace',
    args: ['bench/offering-search.ts'],
  },
  {
    title: 'Contended facility bookings; the transparency report over 1,000,000 ledger entries',
    dir: 'services/assets',
    args: ['bench/assets-bench.ts'],
  },
  {
    title: 'Partner webhooks: source event → signed delivery (p95), deliveries per second',
    dir: 'services/partners',
    args: ['bench/webhook-delivery.ts', '200'],
  },
  {
    title: 'Notifications: event → the resident’s open stream (p95) with 200 streams open; a burst of 1,000',
    dir: 'services/notifications',
    args: ['bench/notification-delivery.ts', '200'],
  },
  {
    title: 'Under load: 200 signed-in residents × 60 s, a sign-up burst, a consumer killed and restarted',
    dir: 'packages/local-stack',
    args: ['bench/load.ts'],
  },
  {
    title: 'placeOrder in points → CONFIRMED through the gateway (the saga)',
    dir: 'packages/local-stack',
    args: ['bench/marketplace.ts', '50'],
  },
];

async function main() {
  const postgres = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: path.join(mkdtempSync(path.join(tmpdir(), 'taoyuan-bench-')), 'pg'),
        persistent: false,
        serverFlags: ['-c', 'max_connections=300'],
      });
  const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? postgres!.adminUrl };
  try {
    for (const bench of BENCHMARKS) {
      console.log(`\n== ${bench.title}`);
      execFileSync(process.execPath, ['-r', '@swc-node/register', ...bench.args], {
        cwd: path.join(root, bench.dir),
        env,
        stdio: 'inherit',
      });
    }
  } finally {
    await postgres?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
