import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

interface CachedToken<T> {
  principal: T;
  /** The token's `exp` in milliseconds: the entry never answers at or after it. */
  expiresAtMs: number;
  /** The signing key's id, so a key dropped from the JWKS takes its tokens with it. */
  keyId: string | undefined;
}

/**
 * Tokens this process has already verified, so each one costs one signature check per process instead of one per
 * request. Keyed by a SHA-256 of the token: a heap dump shows no usable token. Bounded (least recently used go first).
 */
export class VerifiedTokenCache<T extends object> {
  private readonly entries: LRUCache<string, CachedToken<T>>;

  constructor(
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  get(token: string): T | undefined {
    const key = keyOf(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  /** `expSeconds` is the token's `exp` claim (seconds since the epoch). */
  set(token: string, principal: T, expSeconds: number, keyId: string | undefined): void {
    this.entries.set(keyOf(token), { principal: Object.freeze(principal), expiresAtMs: expSeconds * 1000, keyId });
  }

  /** After a JWKS refresh: forgets every token signed by a key no longer published (or by a key without an id). */
  keepOnlyKeys(publishedKeyIds: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries.entries()) {
      if (entry.keyId === undefined || !publishedKeyIds.has(entry.keyId)) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

function keyOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
