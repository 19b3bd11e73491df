import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Partner client secrets are 256 random bits, so they are stored as a plain SHA-256 rather than with argon2: a slow
 * hash defends guessable passwords against an offline attacker, but nobody can enumerate 2^256 secrets, while argon2
 * on the token endpoint would hand any caller a way to spend our CPU (the same reasoning as refresh tokens).
 */
export const PARTNER_SECRET_PREFIX = 'tysec_';

export function newPartnerSecret(): { secret: string; hash: string } {
  const secret = `${PARTNER_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashPartnerSecret(secret) };
}

export function hashPartnerSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function partnerSecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashPartnerSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
