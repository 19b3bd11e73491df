import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@taoyuan/testing';
import { startSystem, type SystemUnderTest } from '../test/support/start-system';

/**
 * Runs `work` against the whole system (every process, as `pnpm start` runs it) on the PostgreSQL of DATABASE_URL, or
 * an embedded one when a benchmark runs alone.
 */
export async function withSystem(
  work: (system: SystemUnderTest) => Promise<void>,
  options: Parameters<typeof startSystem>[0] = {},
): Promise<void> {
  const postgres = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: path.join(mkdtempSync(path.join(tmpdir(), 'taoyuan-bench-')), 'pg'),
        persistent: false,
      });
  if (postgres) process.env.TAOYUAN_TEST_ADMIN_URL = postgres.adminUrl;
  try {
    const system = await startSystem(options);
    try {
      await work(system);
    } finally {
      await system.stop();
    }
  } finally {
    await postgres?.stop();
  }
}

export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
