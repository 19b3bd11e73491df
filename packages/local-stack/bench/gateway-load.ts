import autocannon from 'autocannon';
import { builders } from '@taoyuan/testing';
import { runBenchmark, withSystem } from './support';

/**
 * Load on the gateway as front-ends produce it: a signed-in resident's `me` (gateway → identity, token checked twice)
 * and the public community list. All processes as in `pnpm start`, on this machine's 2 cores.
 *   node -r @swc-node/register bench/gateway-load.ts [seconds=10] [connections=10]
 */
async function main() {
  const seconds = Number(process.argv[2] ?? 10);
  const connections = Number(process.argv[3] ?? 10);
  await withSystem(async (system) => {
    const session = await builders(system.gatewayUrl).login('13800000011', 'taoyuan-demo');
    const scenarios = [
      {
        name: 'me (signed in)',
        query: '{ me { id displayName roles community { name } } }',
        token: session.accessToken,
      },
      { name: 'communities (public)', query: '{ communities { id name city } }' },
    ];
    console.log(`gateway load, ${connections} connections × ${seconds} s each (autocannon):`);
    for (const scenario of scenarios) {
      const result = await autocannon({
        url: system.gatewayUrl,
        method: 'POST',
        connections,
        duration: seconds,
        headers: {
          'content-type': 'application/json',
          ...(scenario.token ? { authorization: `Bearer ${scenario.token}` } : {}),
        },
        body: JSON.stringify({ query: scenario.query }),
      });
      console.log(
        `  ${scenario.name.padEnd(22)} ${result.requests.average.toFixed(0)} req/s   latency p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms   non-2xx ${result.non2xx}  errors ${result.errors}`,
      );
    }
  });
}

runBenchmark(main);
