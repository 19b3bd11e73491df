import { spawn, spawnSync } from 'node:child_process';
import type { RunningBroker, SecurityConfig } from '../src';
import { fastConsumer, kafkaClient, startTestBroker, waitFor } from './helpers';

/**
 * kcat (librdkafka 2.0, the library under confluent-kafka for Python, Go and .NET) against the broker: what a
 * partner's developer would try first. CI installs Debian's kcat; without it these tests are skipped, not failed.
 */
const KCAT_INSTALLED = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
const suite = KCAT_INSTALLED ? describe : describe.skip;
const SUITE_NAME = KCAT_INSTALLED
  ? 'kcat (librdkafka)'
  : 'kcat (librdkafka) — SKIPPED: kcat is not installed (apt-get install kcat; .ci/run installs it)';

/** Far above what any step needs, so a broken broker fails the test instead of hanging it. */
const KCAT_TIMEOUT_MS = 30_000;
/** Lines are key, value and offset; a tab never occurs in the test data. */
const FORMAT = '%k\t%s\t%o\n';

interface KcatResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function kcat(args: string[], input?: string): Promise<KcatResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: KCAT_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

interface Consumed {
  key: string;
  value: string;
  offset: number;
}

function parseConsumed(stdout: string): Consumed[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [key, value, offset] = line.split('\t');
      return { key, value, offset: Number(offset) };
    });
}

/** Connection options: the broker, SASL when given, and bounded metadata waits. */
function connection(broker: RunningBroker, login?: Login): string[] {
  const args = ['-b', broker.brokers, '-m', '10'];
  if (!login) return args;
  return [
    ...args,
    ...['-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${login.mechanism}`],
    ...['-X', `sasl.username=${login.username}`, '-X', `sasl.password=${login.password}`],
  ];
}

interface Login {
  mechanism: 'PLAIN' | 'SCRAM-SHA-256';
  username: string;
  password: string;
}

/** Produces `key=value` lines with kcat (-K= splits key from value). */
async function produce(broker: RunningBroker, topic: string, messages: [string, string][], login?: Login) {
  const input = messages.map(([key, value]) => `${key}=${value}\n`).join('');
  return kcat([...connection(broker, login), '-P', '-t', topic, '-K', '='], input);
}

/** Reads a topic from the beginning to its end without a group. */
async function consumeAll(broker: RunningBroker, topic: string, login?: Login) {
  return kcat([...connection(broker, login), '-C', '-t', topic, '-o', 'beginning', '-e', '-f', FORMAT]);
}

/** Reads with a consumer group up to the end of the topic, then leaves; offsets are committed on close. */
async function consumeInGroup(broker: RunningBroker, group: string, topic: string, login?: Login) {
  return kcat([
    ...connection(broker, login),
    ...['-G', group, '-e', '-f', FORMAT, '-X', 'auto.offset.reset=earliest'],
    topic,
  ]);
}

suite(SUITE_NAME, () => {
  describe('without SASL', () => {
    let broker: RunningBroker;
    beforeAll(async () => {
      broker = await startTestBroker('kcat');
    });
    afterAll(() => broker.stop());

    it('lists the broker and its topics (-L)', async () => {
      const admin = kafkaClient(broker.brokers).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'listed', numPartitions: 3 }] });
      await admin.disconnect();

      const listed = await kcat([...connection(broker), '-L']);

      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain(`broker 0 at ${broker.brokers}`);
      expect(listed.stdout).toContain('topic "listed" with 3 partitions');
    });

    it('consumes what it produced, keys and Chinese values intact', async () => {
      const sent: [string, string][] = [
        ['居民-1', '报名：桃源居社区清洁日'],
        ['居民-2', '签到：敬老院探访 3 小时'],
      ];
      expect((await produce(broker, 'kcat.roundtrip', sent)).code).toBe(0);

      const consumed = await consumeAll(broker, 'kcat.roundtrip');

      expect(consumed.code).toBe(0);
      expect(parseConsumed(consumed.stdout)).toEqual([
        { key: '居民-1', value: '报名：桃源居社区清洁日', offset: 0 },
        { key: '居民-2', value: '签到：敬老院探访 3 小时', offset: 1 },
      ]);
    });

    it('a consumer group commits its offsets and its next run resumes after them', async () => {
      const topic = 'kcat.group';
      await produce(broker, topic, [
        ['a', '第一条'],
        ['b', '第二条'],
      ]);
      const first = await consumeInGroup(broker, 'kcat-readers', topic);
      expect(first.code).toBe(0);
      expect(parseConsumed(first.stdout).map((m) => m.value)).toEqual(['第一条', '第二条']);

      await produce(broker, topic, [['c', '第三条']]);
      const second = await consumeInGroup(broker, 'kcat-readers', topic);

      expect(second.code).toBe(0);
      expect(parseConsumed(second.stdout)).toEqual([{ key: 'c', value: '第三条', offset: 2 }]);
      const admin = kafkaClient(broker.brokers).admin();
      await admin.connect();
      const committed = await admin.fetchOffsets({ groupId: 'kcat-readers', topics: [topic] });
      await admin.disconnect();
      expect(committed[0].partitions).toEqual([expect.objectContaining({ partition: 0, offset: '3' })]);
    });

    it('kafkajs reads what kcat produced', async () => {
      const topic = 'kcat.to-kafkajs';
      await produce(broker, topic, [['志愿者', '服务时长 2.5 小时']]);
      const consumer = kafkaClient(broker.brokers).consumer({ groupId: 'kafkajs-reader', ...fastConsumer });
      const received: { key: string; value: string }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
        },
      });
      try {
        await waitFor(() => received.length > 0, 20_000, 'kafkajs to receive the message');
      } finally {
        await consumer.disconnect();
      }
      expect(received).toEqual([{ key: '志愿者', value: '服务时长 2.5 小时' }]);
    });

    it('kcat reads what an idempotent kafkajs producer sent', async () => {
      const topic = 'kafkajs.to-kcat';
      const producer = kafkaClient(broker.brokers).producer({ idempotent: true });
      await producer.connect();
      await producer.send({ topic, messages: [{ key: '街道办', value: '公告：周六义诊' }] });
      await producer.disconnect();

      const consumed = await consumeAll(broker, topic);

      expect(parseConsumed(consumed.stdout)).toEqual([{ key: '街道办', value: '公告：周六义诊', offset: 0 }]);
    });
  });

  describe('with SASL and ACLs', () => {
    const EVENTS = 'taoyuan.volunteering.attendance.verified.v1';
    const security: SecurityConfig = {
      users: [
        { name: 'volunteering', password: 'volunteering-secret' },
        { name: 'bureau', password: 'bureau-secret' },
      ],
      acls: [
        { principal: 'volunteering', operation: 'WRITE', topic: EVENTS },
        { principal: 'volunteering', operation: 'READ', topic: EVENTS },
        { principal: 'bureau', operation: 'READ', topic: EVENTS },
        { principal: 'bureau', operation: 'READ', groupPrefix: 'bureau-' },
      ],
    };
    let broker: RunningBroker;
    beforeAll(async () => {
      broker = await startTestBroker('kcat-sasl', { security });
    });
    afterAll(() => broker.stop());

    it.each(['SCRAM-SHA-256', 'PLAIN'] as const)(
      'with %s a service produces and a partner reads in its group, committing and resuming',
      async (mechanism) => {
        const service: Login = { mechanism, username: 'volunteering', password: 'volunteering-secret' };
        const partner: Login = { mechanism, username: 'bureau', password: 'bureau-secret' };
        const group = `bureau-${mechanism.toLowerCase()}`;
        const before = parseConsumed((await consumeAll(broker, EVENTS, service)).stdout).length;

        expect((await produce(broker, EVENTS, [['王芳', '已核验 3 小时']], service)).code).toBe(0);
        const first = await consumeInGroup(broker, group, EVENTS, partner);
        expect(first.code).toBe(0);
        expect(parseConsumed(first.stdout).slice(before)).toEqual([
          { key: '王芳', value: '已核验 3 小时', offset: before },
        ]);

        expect((await produce(broker, EVENTS, [['李雷', '已核验 1 小时']], service)).code).toBe(0);
        const second = await consumeInGroup(broker, group, EVENTS, partner);
        expect(parseConsumed(second.stdout)).toEqual([{ key: '李雷', value: '已核验 1 小时', offset: before + 1 }]);
      },
    );

    it('ACLs still apply: a reader cannot produce, use another group or read another topic', async () => {
      const partner: Login = { mechanism: 'SCRAM-SHA-256', username: 'bureau', password: 'bureau-secret' };

      const forged = await produce(broker, EVENTS, [['x', '伪造']], partner);
      expect(forged.code).not.toBe(0);
      expect(forged.stderr).toContain('Topic authorization failed');

      const otherGroup = await consumeInGroup(broker, 'volunteering-workers', EVENTS, partner);
      expect(otherGroup.code).not.toBe(0);
      expect(otherGroup.stderr).toContain('Group authorization failed');

      const otherTopic = await consumeAll(broker, 'taoyuan.identity.user.registered.v1', partner);
      expect(otherTopic.code).not.toBe(0);
      expect(otherTopic.stderr).toContain('Topic authorization failed');
    });

    it('a wrong password is refused', async () => {
      const listed = await kcat([
        ...connection(broker, { mechanism: 'SCRAM-SHA-256', username: 'bureau', password: 'guess' }),
        ...['-m', '2', '-L'], // kcat retries the login until -m runs out
      ]);

      expect(listed.code).not.toBe(0);
      expect(listed.stderr).toContain('Invalid username or password');
    });
  });
});
