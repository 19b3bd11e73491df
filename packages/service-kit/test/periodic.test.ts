import pino from 'pino';
import { runPeriodically } from '../src';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `condition` rather than a fixed time: timers run late on a busy CI machine. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

describe('runPeriodically', () => {
  it('never runs the work twice at once, and stop waits for the run under way', async () => {
    let running = 0;
    let mostAtOnce = 0;
    let finished = 0;
    const stop = runPeriodically(
      async () => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(60);
        running -= 1;
        finished += 1;
      },
      { what: 'slow work', intervalMs: 10, immediately: true, logger: pino({ level: 'silent' }) },
    );
    // Two runs done and a third under way: it overlaps neither, and stop must wait for it.
    await until(() => finished >= 2 && running === 1, 'a third run is under way');
    await stop();
    expect(mostAtOnce).toBe(1);
    expect(finished).toBeGreaterThanOrEqual(3);
    expect(running).toBe(0);
    const afterStop = finished;
    await sleep(50);
    expect(finished).toBe(afterStop);
  });

  it('logs a failed run and runs again at the next interval', async () => {
    const failures: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => failures.push(line) });
    let calls = 0;
    const stop = runPeriodically(
      () => {
        calls += 1;
        return Promise.reject(new Error('database away'));
      },
      { what: 'pruning', intervalMs: 10, logger },
    );
    await until(() => calls >= 2, 'a second run after the failure');
    await stop();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(failures[0]).toContain('pruning failed; retried next interval');
    expect(failures[0]).toContain('database away');
  });
});
