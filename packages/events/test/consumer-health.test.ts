import { randomUUID } from 'node:crypto';
import { databaseCheck, outboxCheck, startHttpServer, type RunningHttpServer } from '@taoyuan/service-kit';
import { on, PointsAwarded, toKafkaMessage, type EventConsumer } from '../src';
import {
  addPoints,
  logger,
  pointsAwardedEvent,
  pointsOf,
  startTestBed,
  startTestConsumer,
  stopTestBed,
  waitFor,
  type EventsTestBed,
} from './support';

/** What an operator reads at /health/details and /metrics about a process's consumer, database and outbox. */
let bed: EventsTestBed;
let consumer: EventConsumer | undefined;
let server: RunningHttpServer;
let base: string;

beforeAll(async () => {
  bed = await startTestBed();
  server = await startHttpServer(
    {
      name: 'health-test',
      host: '127.0.0.1',
      port: 0,
      logger,
      bodyLimit: '10kb',
      readiness: async () => true,
      healthChecks: {
        database: { check: databaseCheck(bed.dataSource), critical: true },
        outbox: { check: outboxCheck(bed.dataSource), critical: false },
      },
    },
    async () => async () => undefined,
  );
  base = server.url.replace(/\/graphql$/, '');
});
afterAll(async () => {
  await consumer?.stop();
  await server?.stop();
  await stopTestBed(bed);
});

interface PartitionHealth {
  topic: string;
  partition: number;
  lag: number | null;
  paused: boolean;
}
interface Details {
  status: string;
  ready: boolean;
  components: Record<string, { status: string; [detail: string]: unknown }>;
}

async function details(headers: Record<string, string> = {}): Promise<{ status: number; body: Details }> {
  const response = await fetch(`${base}/health/details`, { headers });
  return { status: response.status, body: (await response.json()) as Details };
}

async function withEnv<T>(env: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(env);
  try {
    return await work();
  } finally {
    apply(before);
  }
}

describe('/health/details', () => {
  it('shows the database, the outbox, and a consumer from its start to the event it handled', async () => {
    const groupId = `health-${randomUUID()}`;
    consumer = await startTestConsumer(bed, { groupId, handlers: [on(PointsAwarded, addPoints)] });
    const userId = randomUUID();
    await bed.producer.send({ topic: PointsAwarded.topic, messages: [toKafkaMessage(pointsAwardedEvent(userId, 10))] });
    await waitFor(async () => (await pointsOf(bed.dataSource, userId)) === 10, 'the consumer handles the event');

    const { status, body } = await details();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'up', ready: true });
    expect(body.components.database).toMatchObject({ status: 'up' });
    expect(body.components.outbox).toMatchObject({ status: 'up', backlog: 0, oldestUnsentAgeSeconds: 0 });
    const health = body.components[`consumer:${groupId}`];
    expect(health).toMatchObject({ status: 'up', group: groupId, state: 'running' });
    expect(Date.parse(String(health?.lastMessageAt))).not.toBeNaN();
    const partitions = health?.partitions as PartitionHealth[];
    expect(partitions.length).toBeGreaterThan(0);
    expect(partitions.every((partition) => partition.topic === PointsAwarded.topic && !partition.paused)).toBe(true);
    expect(partitions.some((partition) => partition.lag === 0)).toBe(true);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain(`taoyuan_consumer_state{group="${groupId}",state="running"} 1`);
    expect(metrics).toContain(`taoyuan_consumer_state{group="${groupId}",state="crashed"} 0`);
    expect(metrics).toMatch(new RegExp(`taoyuan_consumer_last_message_timestamp_seconds\\{group="${groupId}"\\} \\d`));

    await consumer.stop();
    consumer = undefined;
    expect((await details()).body.components[`consumer:${groupId}`]).toBeUndefined();
  });

  it('is closed in production unless the operator token is presented', async () => {
    await withEnv({ NODE_ENV: 'production', HEALTH_DETAILS_TOKEN: undefined }, async () => {
      expect((await details()).status).toBe(404);
    });
    await withEnv({ NODE_ENV: 'production', HEALTH_DETAILS_TOKEN: 'operator-secret-123' }, async () => {
      expect((await details()).status).toBe(404);
      expect((await details({ authorization: 'Bearer wrong' })).status).toBe(404);
      expect((await details({ authorization: 'Bearer operator-secret-123' })).status).toBe(200);
    });
  });
});

describe('/metrics', () => {
  it('answers only the operators’ token once METRICS_TOKEN is set', async () => {
    const scrape = async (headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}/metrics`, { headers });
      return { status: response.status, text: await response.text() };
    };
    await withEnv({ METRICS_TOKEN: 'scraper-secret-456' }, async () => {
      const without = await scrape();
      expect(without.status).toBe(401);
      expect(without.text).not.toContain('process_cpu_seconds_total');
      expect((await scrape({ authorization: 'Bearer wrong' })).status).toBe(401);
      const allowed = await scrape({ authorization: 'Bearer scraper-secret-456' });
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('process_cpu_seconds_total');
    });
    await withEnv({ METRICS_TOKEN: undefined }, async () => {
      expect((await scrape()).status).toBe(200);
    });
  });
});
