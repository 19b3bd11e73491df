import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { buildEnvelope, MemberPromoted, toKafkaMessage, type PayloadOf } from '@taoyuan/events';
import { builders, graphqlRequest, type TestUser } from '@taoyuan/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { joinOrganization, VOLUNTEER_TEAM } from './support/flows';
import { eventually, startSystem, type SystemUnderTest } from './support/start-system';

/**
 * Issue 8 item 3, against every process as `pnpm start` runs them: whoever can reach Kafka must not be able to make
 * someone an organizer by publishing `organizations.member.promoted`. The broker's ACLs refuse every principal but
 * organizations on that topic; an event that gets there anyway (an operator's mistake) is refused by volunteering
 * unless its `ce_source` is the declared producer.
 */
let system: SystemUnderTest;
let dlqReader: Consumer;
const deadLetterIds: string[] = [];

const kafkaAs = (principal: string) =>
  new Kafka({
    clientId: `security-test-${principal}`,
    brokers: [system.kafkaBrokers],
    sasl: system.kafkaSasl(principal),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 100 },
  });

/** A promotion to BACKBONE of the volunteer team, as organizations would announce it, with any `ce_source`. */
function promotion(resident: TestUser, membershipId: string, source: string) {
  const payload: PayloadOf<typeof MemberPromoted> = {
    membershipId,
    organizationId: VOLUNTEER_TEAM.id,
    userId: resident.id,
    communityId: TAOYUANJU.id,
    fromRole: 'MEMBER',
    toRole: 'BACKBONE',
    decidedBy: randomUUID(),
    decidedAt: new Date().toISOString(),
    // Far ahead of any real version, so that the projection's last-writer-wins would apply it.
    membershipVersion: 1_000,
  };
  return buildEnvelope(MemberPromoted, source, payload, { communityId: TAOYUANJU.id });
}

async function publish(principal: string, message: ReturnType<typeof toKafkaMessage>): Promise<void> {
  const producer = kafkaAs(principal).producer({ idempotent: principal !== 'partner' });
  await producer.connect();
  try {
    await producer.send({ topic: MemberPromoted.topic, messages: [message] });
  } finally {
    await producer.disconnect();
  }
}

/** Whether volunteering lets the resident organize the team's opportunities (BACKBONE or LEADER may). */
async function createTeamOpportunity(resident: TestUser) {
  return graphqlRequest<{ createOpportunity: { id: string } }>(
    system.gatewayUrl,
    `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`,
    {
      input: {
        title: '楼道安全巡查',
        description: '检查消防通道与灭火器。',
        category: 'ENVIRONMENT',
        location: '桃源居3栋',
        organizationId: VOLUNTEER_TEAM.id,
      },
    },
    { token: resident.accessToken },
  );
}

async function newTeamMember(displayName: string): Promise<{ resident: TestUser; membershipId: string }> {
  // Registered at identity itself: the steps of a registration do not matter here, only who the resident is.
  const resident = await builders(system.subgraphUrls.identity).newResident({ communityId: TAOYUANJU.id, displayName });
  return { resident, membershipId: await joinOrganization(system.gatewayUrl, resident.accessToken, VOLUNTEER_TEAM.id) };
}

beforeAll(async () => {
  system = await startSystem();
  dlqReader = kafkaAs('operator').consumer({ groupId: 'operator-security-test', maxWaitTimeInMs: 200 });
  await dlqReader.connect();
  await dlqReader.subscribe({ topic: `${MemberPromoted.topic}.dlq`, fromBeginning: true });
  await dlqReader.run({
    eachMessage: async ({ message }) => {
      const id = message.headers?.ce_id?.toString();
      if (id) deadLetterIds.push(id);
    },
  });
}, 120_000);
afterAll(async () => {
  await dlqReader?.disconnect();
  await system?.stop();
});

describe('forged promotions', () => {
  it('a forger holding the partner’s Kafka login cannot publish organizations.member.promoted', async () => {
    const { resident, membershipId } = await newTeamMember('钱多多');
    const forged = toKafkaMessage(promotion(resident, membershipId, '/taoyuan/organizations'));
    await expect(publish('partner', forged)).rejects.toThrow(/authoriz/i);
    expect((await createTeamOpportunity(resident)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_ORGANIZER',
    });
  });

  it('a forger holding volunteering’s own Kafka login cannot publish it either', async () => {
    const { resident, membershipId } = await newTeamMember('孙悟空');
    const forged = toKafkaMessage(promotion(resident, membershipId, '/taoyuan/organizations'));
    await expect(publish('volunteering', forged)).rejects.toThrow(/authoriz/i);
    expect((await createTeamOpportunity(resident)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_ORGANIZER',
    });
  });

  it('a promotion on the right topic with a ce_source other than organizations never grants organizer rights', async () => {
    const { resident, membershipId } = await newTeamMember('周扒皮');
    const forged = promotion(resident, membershipId, '/taoyuan/volunteering');
    await publish('operator', toKafkaMessage(forged));
    // volunteering has decided about it once the event is in the dead-letter topic.
    await eventually(async () => deadLetterIds.includes(forged.id), 'the forged promotion in the dead-letter topic');
    expect((await createTeamOpportunity(resident)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_ORGANIZER',
    });
  });

  it('the same promotion from the declared producer does make its member an organizer (the check is what refused it)', async () => {
    const { resident, membershipId } = await newTeamMember('吴用');
    await publish('operator', toKafkaMessage(promotion(resident, membershipId, '/taoyuan/organizations')));
    const created = await eventually(async () => {
      const response = await createTeamOpportunity(resident);
      return response.data?.createOpportunity ?? undefined;
    }, 'the promoted member organizing');
    expect(created.id).toEqual(expect.any(String));
  });
});
