import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { SmsSender } from './sms-sender';

export interface CodePolicy {
  ttlSeconds: number;
  maxAttempts: number;
}

export const CODE_LENGTH = 6;

function hashCode(phone: string, code: string): string {
  return createHash('sha256').update(`registration:${phone}:${code}`).digest('hex');
}

/**
 * One-time codes that prove a registering person holds the phone. Only a hash is stored, a code lives `ttlSeconds` and
 * allows `maxAttempts` tries. A phone that is already registered gets a row that no code matches and an SMS telling
 * its owner that someone tried: the caller sees exactly what a new number's caller sees.
 */
export class RegistrationCodes {
  constructor(
    private readonly db: DataSource,
    private readonly sms: SmsSender,
    private readonly policy: CodePolicy,
    private readonly onSendError: (error: unknown) => void,
  ) {}

  async issue(phone: string, alreadyRegistered: boolean): Promise<void> {
    const code = String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0');
    await this.db.query(
      `INSERT INTO registration_codes (phone, code_hash, attempts, expires_at, created_at)
       VALUES ($1, $2, 0, now() + make_interval(secs => $3), now())
       ON CONFLICT (phone) DO UPDATE SET code_hash = EXCLUDED.code_hash, attempts = 0,
         expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at`,
      [phone, alreadyRegistered ? null : hashCode(phone, code), this.policy.ttlSeconds],
    );
    const minutes = Math.round(this.policy.ttlSeconds / 60);
    const message = alreadyRegistered
      ? {
          to: phone,
          text: `【桃源】有人尝试用您的手机号注册桃源账号。您已注册，请直接登录；如非本人操作，请忽略。`,
        }
      : { to: phone, code, text: `【桃源】您的注册验证码是 ${code}，${minutes} 分钟内有效。请勿告诉他人。` };
    // Not awaited: a provider's latency must not make the answer for new and registered numbers differ in time.
    this.sms.send(message).catch(this.onSendError);
  }

  /**
   * Counts one try of `code` for `phone` (committed even when the registration then fails) and says whether it
   * matches a live code.
   */
  async check(phone: string, code: string): Promise<boolean> {
    const rows = await this.db.query<{ code_hash: string | null }[]>(
      // In a CTE so the driver returns the rows themselves (a bare UPDATE answers [rows, count]).
      `WITH tried AS (
         UPDATE registration_codes SET attempts = attempts + 1
          WHERE phone = $1 AND expires_at > now() AND attempts < $2 RETURNING code_hash)
       SELECT code_hash FROM tried`,
      [phone, this.policy.maxAttempts],
    );
    const stored = rows[0]?.code_hash;
    if (!stored || !/^\d+$/.test(code)) return false;
    return timingSafeEqual(Buffer.from(stored, 'hex'), Buffer.from(hashCode(phone, code), 'hex'));
  }

  /** Uses the code up inside the registering transaction: of two registrations racing with it, one wins. */
  async consume(manager: EntityManager, phone: string, code: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `WITH used AS (
         DELETE FROM registration_codes WHERE phone = $1 AND code_hash = $2 AND expires_at > now() RETURNING phone)
       SELECT phone FROM used`,
      [phone, hashCode(phone, code)],
    );
    return rows.length === 1;
  }
}
