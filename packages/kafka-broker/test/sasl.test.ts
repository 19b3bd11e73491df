import { scramCredential, type RunningBroker, type SecurityConfig } from '../src';
import { fastConsumer, kafkaClient, startTestBroker, waitFor } from './helpers';
import { RawClient } from './raw-client';

/** Two services, a partner and an operator, shaped like the rules the launcher derives from the event catalogue. */
const REGISTERED = 'taoyuan.identity.user.registered.v1'; // public, produced by identity
const POINTS_AWARDED = 'taoyuan.points.awarded.v1'; // internal, produced by volunteering
const PASSWORDS = { identity: 'identity-secret', volunteering: 'volunteering-secret', partner: 'partner-secret' };

const security: SecurityConfig = {
  users: [
    { name: 'identity', password: PASSWORDS.identity },
    // Stored as kafka-configs.sh would store it: the broker never sees this user's password.
    { name: 'volunteering', scramSha256: scramCredential(PASSWORDS.volunteering) },
    { name: 'partner', password: PASSWORDS.partner },
    { name: 'operator', password: 'operator-secret' },
  ],
  acls: [
    { principal: 'identity', operation: 'WRITE', topic: REGISTERED },
    { principal: 'identity', operation: 'READ', topicPrefix: 'taoyuan.' },
    { principal: 'identity', operation: 'READ', groupPrefix: 'identity' },
    { principal: 'volunteering', operation: 'WRITE', topic: POINTS_AWARDED },
    { principal: 'volunteering', operation: 'WRITE', topic: `${REGISTERED}.dlq` },
    { principal: 'volunteering', operation: 'READ', topicPrefix: 'taoyuan.' },
    { principal: 'volunteering', operation: 'READ', groupPrefix: 'volunteering' },
    { principal: 'partner', operation: 'READ', topic: REGISTERED },
    { principal: 'partner', operation: 'READ', groupPrefix: 'partner-' },
    { principal: 'operator', operation: 'READ', topic: '*' },
    { principal: 'operator', operation: 'WRITE', topic: '*' },
    { principal: 'operator', operation: 'READ', groupPrefix: '' },
  ],
};

type Mechanism = 'plain' | 'scram-sha-256';
const NO_RETRY = { retries: 0, initialRetryTime: 50 };

let broker: RunningBroker;
const as = (username: string, password: string, mechanism: Mechanism = 'scram-sha-256', retry = {}) =>
  kafkaClient(broker.brokers, {
    clientId: `sasl-test-${username}`,
    sasl: { mechanism, username, password } as never,
    retry: { initialRetryTime: 100, retries: 8, ...retry },
  });

async function latestOffset(topic: string): Promise<string> {
  const admin = as('operator', 'operator-secret').admin();
  await admin.connect();
  try {
    const [partition] = await admin.fetchTopicOffsets(topic);
    return partition.high;
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  broker = await startTestBroker('sasl', { security });
  const admin = as('operator', 'operator-secret').admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: REGISTERED }, { topic: POINTS_AWARDED }] });
  await admin.disconnect();
});
afterAll(() => broker.stop());

describe('SASL authentication', () => {
  it.each<[Mechanism, string]>([
    ['plain', 'identity'],
    ['scram-sha-256', 'identity'],
    ['scram-sha-256', 'volunteering'],
  ])('a client logging in with %s as %s produces and reads back its own topic', async (mechanism, user) => {
    const password = PASSWORDS[user as keyof typeof PASSWORDS];
    const topic = user === 'identity' ? REGISTERED : POINTS_AWARDED;
    const before = Number(await latestOffset(topic));
    const producer = as(user, password, mechanism).producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, messages: [{ key: '居民', value: `由 ${user} 经 ${mechanism} 发送` }] });
    await producer.disconnect();
    expect(Number(await latestOffset(topic))).toBe(before + 1);
  });

  it('a PLAIN login works for a user whose password the broker only knows as SCRAM credentials', async () => {
    const admin = as('volunteering', PASSWORDS.volunteering, 'plain').admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([REGISTERED, POINTS_AWARDED]));
    await admin.disconnect();
  });

  it.each<[Mechanism, string, string]>([
    ['plain', 'identity', 'wrong'],
    ['scram-sha-256', 'identity', 'wrong'],
    ['scram-sha-256', 'volunteering', PASSWORDS.identity],
    ['plain', 'nobody', 'anything'],
    ['scram-sha-256', 'nobody', 'anything'],
  ])('%s as %s with a wrong password is refused', async (mechanism, user, password) => {
    const admin = as(user, password, mechanism, NO_RETRY).admin();
    await expect(admin.connect()).rejects.toThrow(/SASL|[Aa]uthentication/);
    await admin.disconnect();
  });

  it('an unauthenticated connection gets no answer to anything but ApiVersions and SASL: it is closed', async () => {
    const raw = await RawClient.connect(broker.host, broker.port);
    try {
      expect(await raw.initProducerIdOrClose()).toBe('closed');
    } finally {
      raw.close();
    }
    const admin = kafkaClient(broker.brokers, { retry: NO_RETRY }).admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect();
  });
});

describe('per-principal topic ACLs', () => {
  it("a service producing to another service's topic gets TOPIC_AUTHORIZATION_FAILED and nothing is written", async () => {
    const before = await latestOffset(REGISTERED);
    const forger = as('volunteering', PASSWORDS.volunteering).producer({ idempotent: true });
    await forger.connect();
    await expect(
      forger.send({ topic: REGISTERED, messages: [{ key: 'u1', value: '{"forged":true}' }] }),
    ).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    await forger.disconnect();
    expect(await latestOffset(REGISTERED)).toBe(before);
  });

  it('a service may not create topics it may not write, nor join or read another service’s consumer group', async () => {
    const admin = as('volunteering', PASSWORDS.volunteering, 'scram-sha-256', NO_RETRY).admin();
    await admin.connect();
    await expect(admin.createTopics({ topics: [{ topic: 'taoyuan.identity.fake.v1' }] })).rejects.toThrow();
    // kafkajs reports a FindCoordinator refused with GROUP_AUTHORIZATION_FAILED as "no coordinator found".
    await expect(admin.fetchOffsets({ groupId: 'identity', topics: [REGISTERED] })).rejects.toThrow();
    expect(await admin.fetchOffsets({ groupId: 'volunteering', topics: [REGISTERED] })).toEqual([
      expect.objectContaining({ topic: REGISTERED }),
    ]);
    await admin.disconnect();
  });

  it('the partner reads public topics in its own groups and sees nothing else', async () => {
    const marker = `partner-visible-${Date.now()}`;
    const producer = as('identity', PASSWORDS.identity).producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: REGISTERED, messages: [{ key: 'u2', value: marker }] });
    await producer.disconnect();

    const partner = as('partner', PASSWORDS.partner);
    const admin = partner.admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual([REGISTERED]);
    await admin.disconnect();

    const consumer = partner.consumer({ groupId: 'partner-civil-affairs', ...fastConsumer });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: REGISTERED, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value?.toString() ?? '');
      },
    });
    await waitFor(() => seen.includes(marker), 20_000, 'the public event at the partner');
    await consumer.disconnect();
  });

  it('the partner cannot read internal topics, cannot write any topic and cannot use service groups', async () => {
    const partner = as('partner', PASSWORDS.partner, 'scram-sha-256', NO_RETRY);
    const admin = partner.admin();
    await admin.connect();
    await expect(admin.fetchTopicOffsets(POINTS_AWARDED)).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    await expect(admin.fetchOffsets({ groupId: 'volunteering', topics: [POINTS_AWARDED] })).rejects.toThrow();
    await admin.disconnect();

    const consumer = partner.consumer({ groupId: 'partner-snooping', ...fastConsumer });
    await consumer.connect();
    await expect(consumer.subscribe({ topic: POINTS_AWARDED, fromBeginning: true })).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    await consumer.disconnect();

    const before = await latestOffset(REGISTERED);
    const producer = partner.producer();
    await producer.connect();
    await expect(
      producer.send({ topic: REGISTERED, messages: [{ value: 'forged by a partner' }] }),
    ).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    // Refused already at Metadata (the partner may not even see the topic): kafkajs wraps that error.
    await expect(producer.send({ topic: POINTS_AWARDED, messages: [{ value: 'forged' }] })).rejects.toThrow(
      /Topic authorization failed/,
    );
    await producer.disconnect();
    const idempotent = as('partner', PASSWORDS.partner).producer({ idempotent: true });
    await expect(idempotent.connect()).rejects.toMatchObject({ type: 'CLUSTER_AUTHORIZATION_FAILED' });
    await idempotent.disconnect();
    expect(await latestOffset(REGISTERED)).toBe(before);
  });
});
