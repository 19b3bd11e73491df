import { randomUUID } from 'node:crypto';
import { OrderConfirmed } from '@taoyuan/events';
import type { EventStreamReader } from '@taoyuan/testing';
import { COMMUNITY_ID, startNotificationsForTests, waitFor, type Resident } from '../test/support/start-notifications';

/**
 * `pnpm bench` (notifications): with STREAMS residents' streams open, how long from an event acknowledged by the broker
 * to its notification on the resident's open stream (consumer → inbox transaction → NOTIFY → SSE), one at a time,
 * p50 / p95 over SAMPLES; then BURST events for all of them at once and how long until every one arrived.
 */
const STREAMS = Number(process.argv[2] ?? process.env.BENCH_STREAMS ?? 200);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const BURST = Number(process.env.BENCH_BURST ?? 1000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const millis = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
  const service = await startNotificationsForTests();
  const streams: EventStreamReader[] = [];
  try {
    const residents: Resident[] = await Promise.all(Array.from({ length: STREAMS }, () => service.resident()));
    for (const resident of residents) streams.push(await service.stream(resident));
    const order = (resident: Resident) => ({
      orderId: randomUUID(),
      userId: resident.id,
      communityId: COMMUNITY_ID,
      at: new Date().toISOString(),
    });

    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const index = i % STREAMS;
      const expected = streams[index].events.length + 1;
      await service.send(OrderConfirmed, order(residents[index]));
      const acknowledged = process.hrtime.bigint();
      await waitFor(() => streams[index].events.length === expected, `sample ${i}`, 30_000);
      latencies.push(millis(acknowledged));
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `event acknowledged → on the open stream, ${STREAMS} streams open, ${SAMPLES} samples: ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms ` +
        `(includes the 50 ms polling of the check)`,
    );

    const before = streams.reduce((sum, stream) => sum + stream.events.length, 0);
    const burst = Array.from({ length: BURST }, (_, k) => order(residents[k % STREAMS]));
    const started = process.hrtime.bigint();
    await service.sendMany(OrderConfirmed, burst);
    const acknowledgedMs = millis(started);
    await waitFor(
      () => streams.reduce((sum, stream) => sum + stream.events.length, 0) === before + BURST,
      'the burst',
      300_000,
    );
    const seconds = millis(started) / 1000;
    console.log(
      `burst of ${BURST} events (one produce request, acknowledged in ${acknowledgedMs.toFixed(0)} ms) over ` +
        `${STREAMS} streams: all on their streams in ${seconds.toFixed(1)} s (${(BURST / seconds).toFixed(0)} ` +
        `notifications/s, one consumer)`,
    );
  } finally {
    for (const stream of streams) stream.close();
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
