import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlRequest } from '@taoyuan/testing';
import { ReportQueries } from '../src/domain/report-queries';
import { createFacility, openFund, shanghai, startAssetsForTests } from '../test/support/start-assets';

/**
 * `pnpm bench` (assets): contended bookings per second on one facility, with every slot checked to have exactly one
 * winner; then the transparency report over BENCH_LEDGER_ENTRIES (default 1,000,000) ledger entries written through
 * the ledger trigger, p50 / p95 over BENCH_RUNS runs, with the plan of its main query and, for contrast, the same
 * sums read from the raw entries instead of the daily roll-up.
 */
const ENTRIES = Number(process.env.BENCH_LEDGER_ENTRIES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const SLOTS = Number(process.env.BENCH_BOOKING_SLOTS ?? 60);
const CONTENDERS = Number(process.env.BENCH_BOOKING_CONTENDERS ?? 20);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const millis = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

const BOOK = `mutation($input: BookFacilityInput!) { bookFacility(input: $input) { id status } }`;

async function main() {
  const service = await startAssetsForTests();
  try {
    const staff = await service.token(randomUUID(), TAOYUANJU.id, ['RESIDENT', 'COMMUNITY_WORKER']);
    const facilityId = await createFacility(service.url, staff, { approvalAboveAttendees: null });
    const residents = await Promise.all(
      Array.from({ length: CONTENDERS }, () => service.token(randomUUID(), TAOYUANJU.id, ['RESIDENT'])),
    );

    // Contended bookings: every slot requested by CONTENDERS residents at once.
    let confirmed = 0;
    let conflicts = 0;
    let wrong = 0;
    const started = process.hrtime.bigint();
    for (let slot = 0; slot < SLOTS; slot += 1) {
      const day = 1 + Math.floor(slot / 13);
      const hour = 8 + (slot % 13);
      const input = {
        facilityId,
        startsAt: shanghai(day, hour),
        endsAt: shanghai(day, hour + 1),
        purpose: '压测',
        attendees: 5,
      };
      const results = await Promise.all(
        residents.map((token) =>
          graphqlRequest<{ bookFacility: { status: string } }>(service.url, BOOK, { input }, { token }),
        ),
      );
      const winners = results.filter((result) => result.data?.bookFacility.status === 'CONFIRMED').length;
      confirmed += winners;
      conflicts += results.filter((result) => result.errors?.[0]?.extensions?.reason === 'SLOT_TAKEN').length;
      if (winners !== 1) wrong += 1;
    }
    const seconds = millis(started) / 1000;
    const requests = SLOTS * CONTENDERS;
    console.log(
      `bookings: ${requests} requests for ${SLOTS} slots (${CONTENDERS} per slot) in ${seconds.toFixed(1)} s → ` +
        `${(requests / seconds).toFixed(0)} requests/s, ${(SLOTS / seconds).toFixed(1)} contended slots/s; ` +
        `${confirmed} CONFIRMED, ${conflicts} CONFLICT, slots without exactly one winner: ${wrong}`,
    );

    // The report over many ledger entries, every one through the trigger (balance, restriction, daily roll-up).
    const welfare = await openFund(service.url, staff, 'PUBLIC_WELFARE');
    const general = await openFund(service.url, staff, 'UNRESTRICTED');
    // Small batches: one statement updates the fund's balance row once per entry, and versions of a row updated by a
    // still-open transaction cannot be pruned, so a huge single-statement load slows down quadratically.
    const batch = 2_000;
    const loadStarted = process.hrtime.bigint();
    for (let offset = 0; offset < ENTRIES; offset += batch) {
      const size = Math.min(batch, ENTRIES - offset);
      // Three years of entries in time order; every fourth one spends a little, so no fund ever runs dry.
      await service.db.query(
        `INSERT INTO ledger_entries (id, fund_id, community_id, direction, category, amount_fen, source_type, source_id, occurred_at)
         SELECT gen_random_uuid(), CASE WHEN i % 3 = 0 THEN $2::uuid ELSE $1::uuid END, $3,
                CASE WHEN i % 4 = 3 THEN 'OUT' ELSE 'IN' END,
                CASE WHEN i % 4 = 3 THEN (CASE WHEN i % 3 = 0 THEN 'OPERATING_EXPENSE' WHEN i % 8 = 0 THEN 'WORKER_PAY' ELSE 'PUBLIC_WELFARE_EXPENSE' END)
                     ELSE (CASE WHEN i % 3 = 0 THEN 'GRANT' WHEN i % 2 = 0 THEN 'FACILITY_FEE' ELSE 'SERVICE_BUSINESS_INCOME' END) END,
                CASE WHEN i % 4 = 3 THEN 500 ELSE 1000 + i % 5000 END,
                'SEED', 'bench:' || i,
                now() - interval '3 years' + (i * (interval '3 years' / $4::int))
           FROM generate_series($5::int, $6::int) AS i`,
        [welfare, general, TAOYUANJU.id, ENTRIES, offset, offset + size - 1],
      );
    }
    const loadSeconds = millis(loadStarted) / 1000;
    console.log(
      `ledger: ${ENTRIES} entries through the trigger in ${loadSeconds.toFixed(1)} s (${(ENTRIES / loadSeconds).toFixed(0)} entries/s)`,
    );
    // What autovacuum does between loads in a running system: the roll-up's dead versions are cleaned up.
    await service.db.query(`VACUUM (ANALYZE) ledger_daily`);
    await service.db.query(`ANALYZE`);

    const reports = new ReportQueries(service.db);
    const to = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    for (let i = 0; i < 10; i += 1) await reports.report(TAOYUANJU.id, from, to);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const start = process.hrtime.bigint();
      await reports.report(TAOYUANJU.id, from, to);
      times.push(millis(start));
    }
    times.sort((a, b) => a - b);
    const [{ rows }] = await service.db.query<{ rows: number }[]>(`SELECT count(*)::int AS rows FROM ledger_daily`);
    console.log(
      `transparencyReport over ${ENTRIES} entries (${from} – ${to}, ${rows} roll-up rows): ` +
        `p50 ${percentile(times, 50).toFixed(2)} ms  p95 ${percentile(times, 95).toFixed(2)} ms  (${RUNS} runs)`,
    );
    const plan = await service.db.query<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
       SELECT d.fund_id, d.direction, d.category,
              COALESCE(sum(d.amount_fen) FILTER (WHERE d.day <= $3), 0), sum(d.amount_fen)
         FROM ledger_daily d
        WHERE d.fund_id = ANY($1::uuid[]) AND d.day >= $2
        GROUP BY d.fund_id, d.direction, d.category`,
      [[welfare, general], from, to],
    );
    console.log(`plan of the per-fund sums (roll-up):\n${plan.map((row) => `  ${row['QUERY PLAN']}`).join('\n')}`);
    const raw = process.hrtime.bigint();
    await service.db.query(
      `SELECT e.fund_id, e.direction, e.category,
              sum(e.amount_fen) FILTER (WHERE e.occurred_at < $2::date), sum(e.amount_fen) FILTER (WHERE e.occurred_at >= $2::date)
         FROM ledger_entries e WHERE e.community_id = $1 AND e.occurred_at < $3::date + 1
        GROUP BY 1, 2, 3`,
      [TAOYUANJU.id, from, to],
    );
    console.log(`for contrast, the same sums from the raw entries: ${millis(raw).toFixed(0)} ms (one run)`);
  } finally {
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
