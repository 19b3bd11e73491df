import { DEMO_OFFERINGS } from '@taoyuan/demo-data';
import { builders } from '@taoyuan/testing';
import { gql } from '../test/support/flows';
import { runBenchmark, withSystem } from './support';

/**
 * The points saga's latency as a resident sees it: from `placeOrder` paid in points (gateway → marketplace) to the
 * order read back CONFIRMED through the gateway, across marketplace's outbox → Kafka → volunteering's debit →
 * volunteering's outbox → Kafka → marketplace. 赵磊 orders 长者助餐 (30 points) and cancels each confirmed order, so
 * the refunds keep his balance up.
 *   node -r @swc-node/register bench/marketplace.ts [runs=50]
 */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main() {
  const runs = Number(process.argv[2] ?? 50);
  await withSystem(async (system) => {
    const call = gql(system.gatewayUrl);
    const { accessToken } = await builders(system.gatewayUrl).login('13800000015', 'taoyuan-demo');
    const latencies: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      const { placeOrder } = await call<{ placeOrder: { id: string } }>(
        `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`,
        {
          input: {
            offeringId: DEMO_OFFERINGS.elderMeals.id,
            payWith: 'POINTS',
            quantity: 1,
            clientOrderId: `bench-${Date.now()}-${i}`,
          },
        },
        accessToken,
      );
      for (;;) {
        const { order } = await call<{ order: { status: string } }>(
          `query($id: ID!) { order(id: $id) { status } }`,
          { id: placeOrder.id },
          accessToken,
        );
        if (order.status === 'CONFIRMED') break;
        if (order.status !== 'PENDING_PAYMENT') throw new Error(`order ${placeOrder.id} ended ${order.status}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      latencies.push(performance.now() - started);
      await call(`mutation($id: ID!) { cancelOrder(orderId: $id) { id } }`, { id: placeOrder.id }, accessToken);
    }
    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `placeOrder (points) → CONFIRMED through the gateway: p50 ${percentile(sorted, 50).toFixed(0)} ms  ` +
        `p95 ${percentile(sorted, 95).toFixed(0)} ms  max ${sorted.at(-1)?.toFixed(0)} ms  (${runs} orders)`,
    );
  });
}

runBenchmark(main);
