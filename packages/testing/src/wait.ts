/** Polls until `condition` holds: for effects that arrive asynchronously (events through Kafka, relays, consumers). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<void> {
  await eventually(async () => ((await condition()) ? true : undefined), what, timeoutMs, intervalMs);
}

/** Polls `probe` until it returns a value, and returns it; `intervalMs` apart for a probe that costs (a process). */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
