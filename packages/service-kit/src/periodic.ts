import type { Logger } from './logger';

export interface PeriodicWork {
  /** Named in the log line of a failed run. */
  what: string;
  intervalMs: number;
  /** Run once at start too, not only after the first interval. */
  immediately?: boolean;
  logger: Logger;
}

/**
 * Background work on a timer (sweeps, pruning): one run at a time (a run that outlasts the interval is not started
 * twice), a failed run logged and retried at the next tick, and the timer never keeps the process alive. The returned
 * function stops the timer and waits for the run under way.
 */
export function runPeriodically(work: () => Promise<unknown>, options: PeriodicWork): () => Promise<void> {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= work()
      .then(
        () => undefined,
        (error: unknown) => options.logger.error({ err: error }, `${options.what} failed; retried next interval`),
      )
      .finally(() => {
        running = undefined;
      });
  };
  if (options.immediately) tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
