import { createHash } from 'node:crypto';
import { TooManyRequestsError } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';

export interface DelayPolicy {
  /** Failures in a row before any delay: typos cost nothing. */
  freeFailures: number;
  /** After `freeFailures + k` failures the next attempt waits `baseSeconds × 2^k`… */
  baseSeconds: number;
  /** …but never longer than this, so nobody can push an account out of reach for days. */
  maxSeconds: number;
  /** A run of failures is forgotten after this long without a new one. */
  memorySeconds: number;
  /** How long an address where the phone signed in successfully stays known. */
  knownAddressSeconds: number;
}

/** Seconds the next attempt must wait after `failures` failures in a row (0 while they are free). */
export function delayAfter(failures: number, policy: DelayPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const exponent = Math.min(failures - policy.freeFailures, 30);
  return Math.min(policy.baseSeconds * 2 ** exponent, policy.maxSeconds);
}

/** The failure count after this attempt; a run older than the memory ($3 seconds) starts again at one. */
const NEXT_FAILURES = `(CASE WHEN t.last_failure_at < now() - make_interval(secs => $3) THEN 1 ELSE t.failures + 1 END)`;

/** delayAfter() in SQL: $2 free failures, $4 base seconds, $5 most seconds. */
const DELAY = `(CASE WHEN $failures < $2::int THEN 0
  ELSE least($4::double precision * power(2, least($failures - $2::int, 30)), $5::double precision) END)`;

/**
 * Growing delays between failed sign-ins, per key (a phone, or a phone from one client address). Registered and unknown
 * phones are treated alike, so the delay says nothing about which numbers exist.
 *
 * `admit` decides and counts in one statement, BEFORE the password is checked: every admitted attempt is recorded as
 * a failure up front (a success clears it), and the row lock of INSERT … ON CONFLICT DO UPDATE serialises concurrent
 * attempts, so of 300 parallel guesses only those the policy allows get a password check at all.
 */
export class LoginThrottle {
  constructor(
    private readonly db: DataSource,
    private readonly policy: DelayPolicy,
  ) {}

  async admit(key: string, freeFailures = this.policy.freeFailures): Promise<void> {
    const { baseSeconds, maxSeconds, memorySeconds } = this.policy;
    const admitted = await this.db.query<{ failures: number }[]>(
      `INSERT INTO sign_in_throttle AS t (key, failures, next_attempt_at, last_failure_at)
            VALUES ($1, 1, now() + make_interval(secs => ${DELAY.replaceAll('$failures', '1')}), now())
       ON CONFLICT (key) DO UPDATE SET
         failures = ${NEXT_FAILURES},
         next_attempt_at = now() + make_interval(secs => ${DELAY.replaceAll('$failures', NEXT_FAILURES)}),
         last_failure_at = now()
       WHERE t.failures < $2 OR t.next_attempt_at <= now() OR t.last_failure_at < now() - make_interval(secs => $3)
       RETURNING failures`,
      [key, freeFailures, memorySeconds, baseSeconds, maxSeconds],
    );
    if (Math.random() < 0.01) void this.forgetOldRuns();
    if (admitted.length > 0) return;
    const [row] = await this.db.query<{ retry_after: number }[]>(
      `SELECT greatest(1, ceil(extract(epoch FROM next_attempt_at - now())))::int AS retry_after
         FROM sign_in_throttle WHERE key = $1`,
      [key],
    );
    const retryAfter = row?.retry_after ?? 1;
    throw new TooManyRequestsError(
      `Too many failed sign-ins for this phone; try again in ${retryAfter} seconds`,
      retryAfter,
    );
  }

  /** Runs older than the memory no longer delay anyone (admit restarts them); their rows only take space. */
  private async forgetOldRuns(): Promise<void> {
    await this.db
      .query(
        `WITH stale_runs AS (DELETE FROM sign_in_throttle WHERE last_failure_at < now() - make_interval(secs => $1))
         DELETE FROM known_sign_in_addresses WHERE last_success_at < now() - make_interval(secs => $2)`,
        [this.policy.memorySeconds, this.policy.knownAddressSeconds],
      )
      .catch(() => {
        // Housekeeping only: a later attempt tries again.
      });
  }

  /** Whether `phone` signed in successfully from `address` recently (then the phone-wide delay does not apply). */
  async isKnownAddress(phone: string, address: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `SELECT 1 FROM known_sign_in_addresses
        WHERE key_hash = $1 AND last_success_at > now() - make_interval(secs => $2)`,
      [knownAddressKey(phone, address), this.policy.knownAddressSeconds],
    );
    return rows.length > 0;
  }

  /** Remembers a successful sign-in of `phone` from `address` (hashed: no address is kept in the clear). */
  async rememberAddress(phone: string, address: string): Promise<void> {
    await this.db.query(
      `INSERT INTO known_sign_in_addresses (key_hash, last_success_at) VALUES ($1, now())
       ON CONFLICT (key_hash) DO UPDATE SET last_success_at = now()`,
      [knownAddressKey(phone, address)],
    );
  }

  /** The owner proved the password: the run of failures (and the delay it caused) is over. */
  async clear(keys: string[]): Promise<void> {
    await this.db.query(`DELETE FROM sign_in_throttle WHERE key = ANY($1)`, [keys]);
  }
}

function knownAddressKey(phone: string, address: string): string {
  return createHash('sha256').update(`known-sign-in:${phone}@${address}`).digest('hex');
}
