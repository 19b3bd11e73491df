import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@taoyuan/testing';
import { createDataSource, createLogger } from '../src';

/** A statement slower than the threshold is logged with its duration beside the line's own timestamp. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('slow_sql');
});
afterAll(async () => {
  await database?.drop();
});

it('logs a slow statement with durationMs and keeps `time` the timestamp of the line', async () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const { dataSource } = createDataSource({
    url: database.url,
    entities: [],
    migrations: [],
    logger: createLogger('slow-sql-test', 'warn', destination),
  });
  await dataSource.initialize();
  const before = Date.now();
  try {
    await dataSource.query('SELECT pg_sleep(0.6)');
  } finally {
    await dataSource.destroy();
  }

  const slow = lines.find((line) => line.msg === 'slow sql');
  expect(slow).toMatchObject({ query: 'SELECT pg_sleep(0.6)', service: 'slow-sql-test' });
  expect(slow?.durationMs).toBeGreaterThanOrEqual(500);
  expect(typeof slow?.time).toBe('string');
  expect(Date.parse(String(slow?.time))).toBeGreaterThanOrEqual(before - 1_000);
});
