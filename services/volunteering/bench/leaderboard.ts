import { createTestDatabase } from '@taoyuan/testing';
import { leaderboardQuery } from '../src/domain/leaderboard';
import { LeaderboardPeriod } from '../src/domain/vocabulary';
import { fixtureCommunity, insertLedgerFixture, migratedDatabase } from '../test/support/leaderboard-fixture';

/**
 * `pnpm bench:leaderboard` (needs DATABASE_URL of a PostgreSQL where it may create a scratch database): 100,000
 * ledger entries via generate_series, then each period's leaderboard query timed over many runs, p50 / p95 printed.
 */
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function main() {
  const database = await createTestDatabase('volunteering_bench');
  const db = await migratedDatabase(database.url);
  try {
    const started = process.hrtime.bigint();
    await insertLedgerFixture(db, ENTRIES);
    console.log(`inserted ${ENTRIES} entries in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
    for (const period of Object.values(LeaderboardPeriod)) {
      const { sql, parameters } = leaderboardQuery(fixtureCommunity(2), period, 10);
      for (let i = 0; i < 10; i += 1) await db.query(sql, parameters);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const start = process.hrtime.bigint();
        await db.query(sql, parameters);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      times.sort((a, b) => a - b);
      console.log(
        `${period.padEnd(5)} p50 ${percentile(times, 50).toFixed(2)} ms  p95 ${percentile(times, 95).toFixed(2)} ms  (${RUNS} runs)`,
      );
    }
  } finally {
    await db.destroy();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
