import { TAOYUANJU } from '@taoyuan/demo-data';
import { PointsAwarded, TierReached } from '@taoyuan/events';
import { builders, graphqlRequest, type TestUser } from '@taoyuan/testing';
import { Client } from 'pg';
import {
  confirmResidence,
  eligibleCandidates,
  gql,
  joinOrganization,
  openShift,
  setPointsPerHour,
  signInDemo,
  signUp,
  VOLUNTEER_TEAM,
} from './support/flows';
import { eventually, startSystem, type SystemUnderTest } from './support/start-system';

/**
 * Issue 13: two volunteering processes on one database and one consumer group, behind one URL as a Kubernetes
 * Service or `docker compose --scale` puts them. Points must be awarded once, and every event they cause handled
 * once by each consumer, while both replicas serve the gateway's requests.
 */
let system: SystemUnderTest;
let tokens: Awaited<ReturnType<typeof signInDemo>>;
let resident: TestUser;

beforeAll(async () => {
  system = await startSystem({ replicas: { volunteering: 2 } });
  tokens = await signInDemo(system.gatewayUrl);
  resident = await builders(system.gatewayUrl).newResident({ communityId: TAOYUANJU.id, displayName: '邓丽华' });
  await confirmResidence(system.gatewayUrl, resident, tokens.committee);
  await joinOrganization(system.gatewayUrl, resident.accessToken, VOLUNTEER_TEAM.id);
}, 240_000);
afterAll(async () => {
  await system?.stop();
});

async function query<T>(url: string, sql: string, values: unknown[]): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const ME = `query {
  me {
    pointsAccount { balance lifetimeEarned tier entries(first: 20) { edges { node { delta sourceType } } } }
    notifications(first: 50) { edges { node { kind } } }
  }
}`;
interface Me {
  me: {
    pointsAccount: {
      balance: number;
      lifetimeEarned: number;
      tier: string;
      entries: { edges: { node: { delta: number; sourceType: string } }[] };
    };
    notifications: { edges: { node: { kind: string } }[] };
  };
}

it('a verification sent twice at once to the replicas awards points once, and each event is handled once', async () => {
  const call = gql(system.gatewayUrl);
  const balancer = system.balancers.volunteering;
  const servedBefore = balancer.served();

  // Steady reads through the gateway the whole time: the round-robin spreads them over both replicas.
  const outcomes: string[] = [];
  let loading = true;
  const reader = async () => {
    while (loading) {
      const answer = await graphqlRequest<Me>(system.gatewayUrl, ME, {}, { token: resident.accessToken });
      outcomes.push(answer.errors ? JSON.stringify(answer.errors) : 'ok');
    }
  };
  const readers = Array.from({ length: 3 }, reader);

  try {
    // 1,000 points an hour × 10 for environment work: 0.02 h verified = 200 points, past ACTIVIST (100).
    await setPointsPerHour(system.gatewayUrl, tokens.committee, 1000, 10);
    // Starting a little later than the helper's default: published before it starts even on a crowded machine.
    const startsAt = new Date(Date.now() + 15_000);
    const shift = await openShift(system.gatewayUrl, tokens.worker, { startsAt, durationMs: 72_000 });
    const signUpId = await signUp(system.gatewayUrl, resident.accessToken, shift.shiftId);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, shift.startsAt.getTime() - Date.now() + 50)));
    await call(
      `mutation($id: ID!, $code: String!) { checkIn(signUpId: $id, code: $code) { status } }`,
      { id: signUpId, code: shift.checkInCode },
      resident.accessToken,
    );
    await call(`mutation($id: ID!) { checkOut(signUpId: $id) { status } }`, { id: signUpId }, resident.accessToken);

    // The organizer's double click: two verifications at once, one after the other through the round-robin.
    const verify = () =>
      graphqlRequest<{ verifyAttendance: { status: string } }>(
        system.gatewayUrl,
        `mutation($id: ID!, $h: Float!) { verifyAttendance(signUpId: $id, hours: $h) { status } }`,
        { id: signUpId, h: 0.02 },
        { token: tokens.worker },
      );
    const answers = await Promise.all([verify(), verify()]);
    const verified = answers.filter((answer) => answer.data?.verifyAttendance.status === 'VERIFIED');
    const refused = answers.flatMap((answer) => answer.errors ?? []);
    expect(verified).toHaveLength(1);
    expect(refused.map((error) => error.extensions?.reason)).toEqual(['ALREADY_VERIFIED']);

    // The events the award caused, as volunteering's outbox holds them: one points.awarded and one tier-reached.
    const published = await eventually(async () => {
      const rows = await query<{ event_id: string; topic: string; sent: boolean }>(
        system.databaseUrls.volunteering,
        `SELECT event_id, topic, sent_at IS NOT NULL AS sent FROM outbox
          WHERE payload->>'userId' = $1 AND topic = ANY($2::text[]) ORDER BY id`,
        [resident.id, [PointsAwarded.topic, TierReached.topic]],
      );
      return rows.length === 2 && rows.every((row) => row.sent) ? rows : undefined;
    }, 'the award and the tier to be published');
    expect(published.map((row) => row.topic)).toEqual([PointsAwarded.topic, TierReached.topic]);
    const eventIds = published.map((row) => row.event_id);
    const tierEventId = eventIds[1];

    // Handled by its consumers: notifications takes both, organizations the tier (each in its inbox transaction)…
    await eventually(async () => {
      const [notified, promoted] = await Promise.all([
        query(system.databaseUrls.notifications, `SELECT 1 FROM inbox WHERE event_id = ANY($1::uuid[])`, [eventIds]),
        query(system.databaseUrls.organizations, `SELECT 1 FROM inbox WHERE event_id = $1`, [tierEventId]),
      ]);
      return notified.length === 2 && promoted.length === 1 ? true : undefined;
    }, 'notifications and organizations to handle the events');

    // …and what a resident sees happened once: one ledger entry, the balance, one notice each, one candidacy.
    const me = (await call<Me>(ME, {}, resident.accessToken)).me;
    expect(me.pointsAccount).toMatchObject({ balance: 200, lifetimeEarned: 200, tier: 'ACTIVIST' });
    expect(me.pointsAccount.entries.edges.map((edge) => edge.node)).toEqual([{ delta: 200, sourceType: 'ATTENDANCE' }]);
    const kinds = me.notifications.edges.map((edge) => edge.node.kind);
    expect(kinds.filter((kind) => kind === 'POINTS_AWARDED')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'TIER_REACHED')).toHaveLength(1);
    const candidates = await eligibleCandidates(system.gatewayUrl, tokens.teamLeader, VOLUNTEER_TEAM.id);
    expect(candidates.filter((candidate) => candidate.user.id === resident.id)).toEqual([
      expect.objectContaining({ targetRole: 'ACTIVIST' }),
    ]);
  } finally {
    loading = false;
    await Promise.all(readers);
  }

  // Both replicas answered requests throughout, and every answer was complete.
  const served = balancer.served().map((count, index) => count - servedBefore[index]);
  expect(served.every((count) => count >= 10)).toBe(true);
  expect(outcomes.length).toBeGreaterThan(20);
  expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual([]);
}, 300_000);
