import argon2 from 'argon2';
import { TooManyRequestsError } from '@taoyuan/service-kit';

/** argon2id at OWASP's recommended minimum (19 MiB, 2 passes): ~30 ms here, costly enough for an offline attacker. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface HashingLimits {
  /** argon2 operations running at once in this process. */
  concurrency: number;
  /** Operations allowed to wait for a slot; beyond that the caller is told to come back. */
  queue: number;
}

/** A place in the hashing line, taken before any other work so a refusal costs the caller nothing else. */
export interface HashingSlot {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Gives the place back unused (the attempt was refused before its password check). */
  release(): void;
}

/**
 * Password hashing and verification with bounded CPU: at most `concurrency` argon2 operations run at once and at most
 * `queue` wait; a request beyond that gets TOO_MANY_REQUESTS at once instead of piling up until the process starves.
 * It counts verifications, so tests can assert how many password checks an attack obtained.
 */
export class PasswordHasher {
  private running = 0;
  private reserved = 0;
  private readonly waiting: (() => void)[] = [];
  private dummyHash: Promise<string> | undefined;
  /** Password verifications performed (dummy ones for unknown phones included). */
  verifications = 0;

  constructor(private readonly limits: HashingLimits = { concurrency: 2, queue: 32 }) {}

  /** A place in line, or TOO_MANY_REQUESTS when the line is full. */
  reserve(): HashingSlot {
    if (this.reserved >= this.limits.concurrency + this.limits.queue)
      throw new TooManyRequestsError('The server is busy checking passwords; try again in a moment', 1);
    this.reserved += 1;
    let used = false;
    const giveBack = () => {
      if (used) return;
      used = true;
      this.reserved -= 1;
    };
    return {
      run: async <T>(work: () => Promise<T>): Promise<T> => {
        if (used) throw new Error('a hashing slot runs once');
        await this.acquire();
        try {
          return await work();
        } finally {
          this.releaseRunning();
          giveBack();
        }
      },
      release: giveBack,
    };
  }

  hash(password: string, slot: HashingSlot = this.reserve()): Promise<string> {
    return slot.run(() => argon2.hash(password, OPTIONS));
  }

  /**
   * Verifies a password; with no stored hash (unknown phone) it still spends the same time on a dummy hash, so
   * response time does not reveal whether a phone is registered.
   */
  verify(storedHash: string | null, password: string, slot: HashingSlot = this.reserve()): Promise<boolean> {
    return slot.run(async () => {
      this.verifications += 1;
      if (storedHash === null) {
        this.dummyHash ??= argon2.hash('not-a-real-password', OPTIONS);
        await argon2.verify(await this.dummyHash, password);
        return false;
      }
      return argon2.verify(storedHash, password);
    });
  }

  private async acquire(): Promise<void> {
    if (this.running < this.limits.concurrency) {
      this.running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private releaseRunning(): void {
    const next = this.waiting.shift();
    // The running count passes straight to the next in line.
    if (next) next();
    else this.running -= 1;
  }
}
