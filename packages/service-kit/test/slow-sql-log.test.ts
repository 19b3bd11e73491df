import { Writable } from 'node:stream';
import { createLogger, QueryCounter } from '../src';

/**
 * TypeORM reports a statement slower than `maxQueryExecutionTime` (500 ms, see createDataSource) to logQuerySlow; the
 * line carries the duration beside the line's own timestamp, never in its place.
 */
it('logs a slow statement with durationMs and keeps `time` the timestamp of the line', () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const before = Date.now();
  new QueryCounter(createLogger('slow-sql-test', 'warn', destination)).logQuerySlow(750, 'SELECT pg_sleep(0.75)');

  return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    const slow = lines.find((line) => line.msg === 'slow sql');
    expect(slow).toMatchObject({ query: 'SELECT pg_sleep(0.75)', durationMs: 750, service: 'slow-sql-test' });
    expect(typeof slow?.time).toBe('string');
    expect(Date.parse(String(slow?.time))).toBeGreaterThanOrEqual(before - 1_000);
  });
});
