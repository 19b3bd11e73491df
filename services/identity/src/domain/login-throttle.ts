import { TooManyRequestsError } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';

export interface ThrottlePolicy {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

/** Failed sign-ins counted per phone (registered or not) in a window; too many lock that phone for a while. */
export class LoginThrottle {
  constructor(
    private readonly db: DataSource,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  async assertNotLocked(phone: string): Promise<void> {
    const rows: { retry_after: number }[] = await this.db.query(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS retry_after
         FROM login_throttle WHERE phone = $1 AND locked_until > now()`,
      [phone],
    );
    const retryAfter = rows[0]?.retry_after;
    if (retryAfter !== undefined) {
      throw new TooManyRequestsError(
        `Too many failed sign-ins for this phone; try again in ${Math.ceil(retryAfter / 60)} minutes`,
        retryAfter,
      );
    }
  }

  async recordFailure(phone: string): Promise<void> {
    await this.db.query(
      `INSERT INTO login_throttle AS t (phone, failures, window_started_at)
            VALUES ($1, 1, now())
       ON CONFLICT (phone) DO UPDATE SET
         failures = CASE WHEN t.window_started_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
         window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $2) THEN now() ELSE t.window_started_at END`,
      [phone, this.policy.windowSeconds],
    );
    await this.db.query(
      `UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2), failures = 0, window_started_at = now()
        WHERE phone = $1 AND failures >= $3`,
      [phone, this.policy.lockSeconds, this.policy.maxFailures],
    );
  }

  async recordSuccess(phone: string): Promise<void> {
    await this.db.query(`DELETE FROM login_throttle WHERE phone = $1`, [phone]);
  }
}
