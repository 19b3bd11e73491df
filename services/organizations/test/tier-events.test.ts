import {
  DEMO_ORGANIZATION_MEMBERS,
  DEMO_ORGANIZATIONS,
  DEMO_RESIDENT_TIERS,
  DEMO_USERS,
  TAOYUANJU,
} from '@taoyuan/demo-data';
import { MemberJoined, MemberPromoted, OrganizationApproved, TierReached, toKafkaMessage } from '@taoyuan/events';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { seedOrganizationsDemo } from '../src/seed/demo-seed';
import {
  api,
  startOrganizationsForTests,
  tierReachedEvent,
  waitFor,
  type OrganizationsUnderTest,
  type Person,
} from './support/start-organizations';

/**
 * organizations wired to the project's Kafka broker: TierReached arrives as a real CloudEvent through its consumer
 * group and inbox, and what it publishes leaves through the outbox relay. Started with the demo data.
 */
let service: OrganizationsUnderTest;
let gql: ReturnType<typeof api>;
let kafka: Kafka;
let producer: Producer;
let collector: Consumer;
const published: (KafkaMessage & { topic: string })[] = [];
let committee: Person;

beforeAll(async () => {
  service = await startOrganizationsForTests({ broker: true, seed: true });
  gql = api(service);
  kafka = new Kafka({
    clientId: 'organizations-test',
    brokers: [service.broker!.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
  collector = kafka.consumer({
    groupId: `organizations-test-${Date.now()}`,
    maxWaitTimeInMs: 100,
    heartbeatInterval: 500,
    allowAutoTopicCreation: true,
  });
  await collector.connect();
  await collector.subscribe({
    topics: [OrganizationApproved.topic, MemberJoined.topic, MemberPromoted.topic],
    fromBeginning: true,
  });
  await collector.run({ eachMessage: async ({ topic, message }) => void published.push({ ...message, topic }) });
  committee = await service.person(['RESIDENT', 'COMMITTEE']);
});
afterAll(async () => {
  await collector?.disconnect();
  await producer?.disconnect();
  await service?.stop();
});

const send = (envelope: ReturnType<typeof tierReachedEvent>) =>
  producer.send({ topic: TierReached.topic, acks: -1, messages: [toKafkaMessage(envelope)] });

const candidatesOf = (userId: string) =>
  service.query(`SELECT target_role, status, organization_id FROM promotion_candidates WHERE user_id = $1`, [userId]);

const handled = async (eventId: string) =>
  (await service.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [eventId])).length === 1;

const payloadsOf = (topic: string) =>
  published
    .filter((message) => message.topic === topic)
    .map((message) => JSON.parse(message.value!.toString('utf8')) as Record<string, unknown>);

describe('points.tier-reached from the broker', () => {
  it('the same event delivered twice raises one candidate', async () => {
    const leader = await service.person();
    const id = await gql.activeOrganization(leader, committee);
    const resident = await service.person();
    await gql.join(resident, id);
    const event = tierReachedEvent(resident.id, 'ACTIVIST', 100);
    await send(event);
    await send(event);
    await waitFor(() => handled(event.id), 'the tier event to be handled');
    // A later event of the same resident (same key, same partition) proves the duplicate before it was consumed too.
    const marker = tierReachedEvent(resident.id, 'VOLUNTEER', 100);
    await send(marker);
    await waitFor(() => handled(marker.id), 'the marker event to be handled');
    expect(await candidatesOf(resident.id)).toEqual([
      { target_role: 'ACTIVIST', status: 'ELIGIBLE', organization_id: id },
    ]);
  });

  it('a resident in two organizations gets a candidate in each, and approval is published as member.promoted', async () => {
    const leader = await service.person();
    const first = await gql.activeOrganization(leader, committee);
    const second = await gql.activeOrganization(leader, committee);
    const resident = await service.person();
    await gql.join(resident, first);
    await gql.join(resident, second);
    const event = tierReachedEvent(resident.id, 'ACTIVIST', 130);
    await send(event);
    await waitFor(async () => (await candidatesOf(resident.id)).length === 2, 'a candidate in both organizations');
    const organizations = (await candidatesOf(resident.id)).map((row) => row.organization_id);
    expect(organizations.sort()).toEqual([first, second].sort());

    const [candidate] = await service.query(
      `SELECT id FROM promotion_candidates WHERE user_id = $1 AND organization_id = $2`,
      [resident.id, first],
    );
    await gql.data(`mutation($id: ID!) { approvePromotion(candidateId: $id) { id } }`, { id: candidate.id }, leader);
    await waitFor(
      () => payloadsOf(MemberPromoted.topic).some((payload) => payload.userId === resident.id),
      'member.promoted on Kafka',
    );
    const promoted = payloadsOf(MemberPromoted.topic).find((payload) => payload.userId === resident.id);
    expect(promoted).toMatchObject({
      organizationId: first,
      fromRole: 'MEMBER',
      toRole: 'ACTIVIST',
      decidedBy: leader.id,
    });
    expect(Object.keys(promoted!).sort()).toEqual(
      [
        'communityId',
        'decidedAt',
        'decidedBy',
        'fromRole',
        'membershipId',
        'membershipVersion',
        'organizationId',
        'toRole',
        'userId',
      ].sort(),
    );
  });
});

describe('demo data', () => {
  const committeeMember = DEMO_USERS.find((user) => user.roles.includes('COMMITTEE'))!;

  it('seeds the three organizations with leaders, members and a pending candidate', async () => {
    const organizations = await service.query(
      `SELECT id, name, status, approved_by FROM organizations WHERE id = ANY($1) ORDER BY name`,
      [DEMO_ORGANIZATIONS.map((organization) => organization.id)],
    );
    expect(organizations).toHaveLength(3);
    for (const organization of organizations) {
      expect(organization).toMatchObject({ status: 'ACTIVE', approved_by: committeeMember.id });
    }
    for (const demo of DEMO_ORGANIZATIONS) {
      const leaders = await service.query(
        `SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'LEADER' AND status = 'ACTIVE'`,
        [demo.id],
      );
      expect(leaders).toEqual([{ user_id: demo.leaderUserId }]);
    }
    for (const member of DEMO_ORGANIZATION_MEMBERS) {
      const [row] = await service.query(`SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2`, [
        member.organizationId,
        member.userId,
      ]);
      expect(row).toEqual({ role: member.role });
    }
    const climber = DEMO_RESIDENT_TIERS[0];
    expect(await candidatesOf(climber.userId)).toEqual([
      { target_role: 'BACKBONE', status: 'ELIGIBLE', organization_id: DEMO_ORGANIZATIONS[0].id },
    ]);
  });

  it('announces every seeded membership on Kafka, joined then each promotion', async () => {
    const membershipCount = DEMO_ORGANIZATIONS.length + DEMO_ORGANIZATION_MEMBERS.length;
    const steps = { MEMBER: 0, ACTIVIST: 1, BACKBONE: 2, LEADER: 3 } as const;
    const promotionCount = DEMO_ORGANIZATION_MEMBERS.reduce((sum, member) => sum + steps[member.role], 0);
    const demoIds = new Set<unknown>(DEMO_ORGANIZATIONS.map((organization) => organization.id));
    const fromSeed = (topic: string) => payloadsOf(topic).filter((payload) => demoIds.has(payload.organizationId));
    await waitFor(
      () =>
        fromSeed(MemberJoined.topic).length === membershipCount &&
        fromSeed(MemberPromoted.topic).length >= promotionCount &&
        fromSeed(OrganizationApproved.topic).length === DEMO_ORGANIZATIONS.length,
      'the seeded events on Kafka',
    );
    const backbone = DEMO_ORGANIZATION_MEMBERS.find((member) => member.role === 'BACKBONE')!;
    expect(
      fromSeed(MemberPromoted.topic)
        .filter((payload) => payload.userId === backbone.userId && payload.organizationId === backbone.organizationId)
        .map((payload) => `${String(payload.fromRole)}→${String(payload.toRole)}`),
    ).toEqual(['MEMBER→ACTIVIST', 'ACTIVIST→BACKBONE']);
    expect(fromSeed(MemberJoined.topic).every((payload) => payload.communityId === TAOYUANJU.id)).toBe(true);
  });

  it('seeding again adds no row and no event', async () => {
    const count = async () =>
      (
        await service.query(
          `SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM memberships)
                + (SELECT count(*) FROM membership_role_changes) + (SELECT count(*) FROM promotion_candidates)
                + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM organization_status_changes) AS n`,
        )
      )[0].n;
    const before = await count();
    await seedOrganizationsDemo(service.server.deps.dataSource, service.domain.promotions, service.server.deps.logger);
    expect(await count()).toBe(before);
  });
});
