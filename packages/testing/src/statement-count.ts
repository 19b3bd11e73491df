/** What a service's QueryCounter (service-kit) offers: the statements sent while some work runs. */
export interface StatementRecorder {
  record<T>(work: () => Promise<T>): Promise<{ result: T; queries: string[] }>;
}

/**
 * The SQL statements a service sends while `work` runs (a request to it, usually), to prove that a list costs the
 * same at 5 and at 50 rows. Concurrent requests are counted too, so use it on a quiet service.
 */
export async function countStatements<T>(
  recorder: StatementRecorder,
  work: () => Promise<T>,
): Promise<{ result: T; statements: number; queries: string[] }> {
  const { result, queries } = await recorder.record(work);
  return { result, statements: queries.length, queries };
}

/**
 * Waits until the service sends no statement for `quietMs` (its background work, e.g. a dispatcher finishing what a
 * test set off, has settled), so that a count that follows holds only the request's own statements.
 */
export async function untilQuiet(recorder: StatementRecorder, quietMs = 300, attempts = 100): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const { queries } = await recorder.record(() => new Promise((resolve) => setTimeout(resolve, quietMs)));
    if (queries.length === 0) return;
  }
  throw new Error(`the service did not become quiet within ${attempts} × ${quietMs} ms`);
}
