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
