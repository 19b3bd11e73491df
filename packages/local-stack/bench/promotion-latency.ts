import { TAOYUANJU } from '@taoyuan/demo-data';
import { builders } from '@taoyuan/testing';
import {
  eligibleCandidates,
  gql,
  joinOrganization,
  openShift,
  setPointsPerHour,
  signInDemo,
  signUp,
  VOLUNTEER_TEAM,
} from '../test/support/flows';
import { runBenchmark, withSystem } from './support';

/**
 * The headline chain's latency: from an organizer's verifyAttendance (gateway → volunteering) to the promotion
 * candidate being visible to the team leader (gateway → organizations), across outbox → Kafka → inbox.
 *   node -r @swc-node/register bench/promotion-latency.ts [runs=50]
 */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  const runs = Number(process.argv[2] ?? 50);
  await withSystem(async (system) => {
    const url = system.gatewayUrl;
    const call = gql(url);
    const tokens = await signInDemo(url);
    await setPointsPerHour(url, tokens.committee, 100);
    const shift = await openShift(url, tokens.worker, { startsAt: new Date(Date.now() + 20_000), capacity: runs });
    const residents = [];
    for (let i = 0; i < runs; i += 1) {
      const resident = await builders(url).newResident({ communityId: TAOYUANJU.id, displayName: `志愿者${i + 1}号` });
      await joinOrganization(url, resident.accessToken, VOLUNTEER_TEAM.id);
      residents.push({ resident, signUpId: await signUp(url, resident.accessToken, shift.shiftId) });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, shift.startsAt.getTime() - Date.now() + 100)));
    const latencies: number[] = [];
    for (const { resident, signUpId } of residents) {
      await call(
        `mutation($id: ID!, $code: String!) { checkIn(signUpId: $id, code: $code) { status } }`,
        { id: signUpId, code: shift.checkInCode },
        resident.accessToken,
      );
      await call(`mutation($id: ID!) { checkOut(signUpId: $id) { status } }`, { id: signUpId }, resident.accessToken);
      const started = performance.now();
      await call(
        `mutation($id: ID!) { verifyAttendance(signUpId: $id, hours: 1) { status } }`,
        { id: signUpId },
        tokens.worker,
      );
      for (;;) {
        const candidates = await eligibleCandidates(url, tokens.teamLeader, VOLUNTEER_TEAM.id);
        if (candidates.some((candidate) => candidate.user.id === resident.id)) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      latencies.push(performance.now() - started);
    }
    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `verifyAttendance → promotion candidate visible through the gateway, ${runs} runs (includes the two GraphQL calls):`,
    );
    console.log(
      `  p50 ${percentile(sorted, 50).toFixed(0)} ms   p95 ${percentile(sorted, 95).toFixed(0)} ms   max ${sorted.at(-1)?.toFixed(0)} ms`,
    );
  });
}

runBenchmark(main);
