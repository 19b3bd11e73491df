import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { TierReached } from '@taoyuan/events';
import { graphqlData } from '@taoyuan/testing';
import { startPartnersForTests } from '../test/support/start-partners';

/**
 * Webhook delivery to a healthy receiver on loopback (needs DATABASE_URL of a PostgreSQL where it may create a
 * scratch database; `pnpm bench` gives one):
 *  1. latency: one event at a time, from the moment the source event is handed to Kafka (its producer's commit; the
 *     outbox relay's own commit → Kafka time is the "Outbox relay" benchmark) to the signed request's arrival;
 *  2. throughput: BENCH_WEBHOOKS messages queued while the endpoint is disabled, then the endpoint enabled and the
 *     time until the receiver has them all (deliveries per second, WEBHOOK_CONCURRENCY in flight).
 *   node -r @swc-node/register bench/webhook-delivery.ts [latency runs=200]
 */
const RUNS = Number(process.argv[2] ?? 200);
const MESSAGES = Number(process.env.BENCH_WEBHOOKS ?? 2000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function main() {
  const arrivals = new Map<string, number>();
  let waiting: { eventId: string; resolve: () => void } | null = null;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { eventId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: string };
      arrivals.set(eventId, performance.now());
      res.writeHead(204).end();
      if (waiting?.eventId === eventId) waiting.resolve();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const partners = await startPartnersForTests({ LOG_LEVEL: 'warn', WEBHOOK_POLL_MS: '500' });
  try {
    const { token } = await partners.partner(['webhooks:manage']);
    const created = await graphqlData<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      partners.url,
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { url, eventTypes: ['points.tier-reached'], communityIds: [TAOYUANJU.id] } },
      { token },
    );
    const endpointId = created.createWebhookEndpoint.endpoint.id;
    const event = () => ({
      userId: randomUUID(),
      communityId: TAOYUANJU.id,
      tier: 'ACTIVIST' as const,
      lifetimeEarned: 100,
      reachedAt: new Date().toISOString(),
    });

    const latencies: number[] = [];
    for (let run = 0; run < RUNS + 10; run += 1) {
      const started = performance.now();
      const arrived = new Promise<void>((resolve) => (waiting = { eventId: '', resolve }));
      const eventId = await partners.publish(TierReached, event());
      waiting!.eventId = eventId;
      if (!arrivals.has(eventId)) await arrived;
      if (run >= 10) latencies.push(arrivals.get(eventId)! - started);
    }
    const sorted = latencies.sort((a, b) => a - b);
    console.log(`source event → signed webhook received, ${RUNS} runs (goal p95 ≤ 500 ms):`);
    console.log(
      `  p50 ${percentile(sorted, 50).toFixed(1)} ms   p95 ${percentile(sorted, 95).toFixed(1)} ms   max ${sorted.at(-1)?.toFixed(1)} ms`,
    );

    // Queued straight into the table (as the consumer would), so only delivery is timed, not Kafka.
    await partners.query(`UPDATE webhook_endpoints SET status = 'DISABLED' WHERE id = $1`, [endpointId]);
    const queued: string[] = (
      await partners.query<{ event_id: string }>(
        `INSERT INTO webhook_messages (id, endpoint_id, event_id, event_type, subject, community_id, payload,
                                       event_time, status)
         SELECT gen_random_uuid(), $1, gen_random_uuid(), 'points.tier-reached', gen_random_uuid()::text, $2,
                jsonb_build_object('n', i), now(), 'PENDING'
           FROM generate_series(1, $3) i
         RETURNING event_id`,
        [endpointId, TAOYUANJU.id, MESSAGES],
      )
    ).map((row) => row.event_id);
    const started = performance.now();
    await graphqlData(
      partners.url,
      `mutation($id: ID!) { enableWebhookEndpoint(endpointId: $id) { id } }`,
      { id: endpointId },
      { token },
    );
    while (!queued.every((id) => arrivals.has(id))) await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = (Math.max(...queued.map((id) => arrivals.get(id)!)) - started) / 1000;
    console.log(
      `${MESSAGES} queued deliveries in ${seconds.toFixed(2)} s: ${(MESSAGES / seconds).toFixed(0)} deliveries/s (16 in flight, one process)`,
    );
  } finally {
    await partners.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
