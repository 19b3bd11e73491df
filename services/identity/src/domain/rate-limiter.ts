import { TooManyRequestsError } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';

export interface RateLimit {
  /** What is counted, e.g. 'sign-in-failures-per-address'. */
  bucket: string;
  limit: number;
  windowSeconds: number;
  /** Shown to the client when the limit is reached. */
  message: string;
}

/**
 * Fixed-window counters in PostgreSQL, so every identity replica counts against the same budget and a restart forgets
 * nothing. Each `take` is one INSERT … ON CONFLICT DO UPDATE … RETURNING: the row lock makes concurrent takes count
 * one after another, so no burst of parallel requests slips past the limit.
 */
export class RateLimiter {
  constructor(private readonly db: DataSource) {}

  /** Counts one hit for `key`; throws TOO_MANY_REQUESTS (with the seconds until the window ends) past the limit. */
  async take(limit: RateLimit, key: string): Promise<void> {
    const [row] = await this.db.query<{ hits: number; retry_after: number }[]>(
      `INSERT INTO rate_limits AS r (bucket, key, window_started_at, hits) VALUES ($1, $2, now(), 1)
       ON CONFLICT (bucket, key) DO UPDATE SET
         hits = CASE WHEN r.window_started_at <= now() - make_interval(secs => $3) THEN 1 ELSE r.hits + 1 END,
         window_started_at = CASE WHEN r.window_started_at <= now() - make_interval(secs => $3)
                                  THEN now() ELSE r.window_started_at END
       RETURNING hits, greatest(1, ceil(extract(epoch FROM
         window_started_at + make_interval(secs => $3) - now())))::int AS retry_after`,
      [limit.bucket, key, limit.windowSeconds],
    );
    if (Math.random() < 0.01) void this.forgetOldWindows();
    if (row && row.hits > limit.limit) throw new TooManyRequestsError(limit.message, row.retry_after);
  }

  /** Gives back one hit, e.g. a sign-in that turned out to be the owner's. */
  async refund(limit: RateLimit, key: string): Promise<void> {
    await this.db.query(`UPDATE rate_limits SET hits = greatest(hits - 1, 0) WHERE bucket = $1 AND key = $2`, [
      limit.bucket,
      key,
    ]);
  }

  /** Windows longer than a day are not used, so older rows only take space. */
  private async forgetOldWindows(): Promise<void> {
    await this.db.query(`DELETE FROM rate_limits WHERE window_started_at < now() - interval '1 day'`).catch(() => {
      // Housekeeping only: the next take tries again.
    });
  }
}
