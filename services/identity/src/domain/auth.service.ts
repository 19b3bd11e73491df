import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError, Role, UnauthenticatedError } from '@taoyuan/service-kit';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { CommunityEntity } from '../entities/community.entity';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import { UserEntity } from '../entities/user.entity';
import type { LoginThrottle } from './login-throttle';
import type { PasswordHasher } from './password-hasher';
import type { RateLimit, RateLimiter } from './rate-limiter';
import { CODE_LENGTH, type RegistrationCodes } from './registration-codes';
import { hashRefreshToken, type TokenIssuer } from './token-issuer';
import { normaliseCode, normaliseDisplayName, normalisePhone, validatePassword } from './user-input';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  user: UserEntity;
}

export interface RegisterCommand {
  communityId: string;
  phone: string;
  /** The one-time code sent to the phone by requestRegistrationCode. */
  code: string;
  password: string;
  displayName: string;
}

export interface RegistrationCodeRequest {
  codeLength: number;
  expiresInSeconds: number;
}

/** Hooks run inside the registering transaction (the outbox writes its event there). */
export interface AuthEvents {
  userRegistered(manager: EntityManager, user: UserEntity): Promise<void>;
}

/** The budgets that keep sign-in and registration from being hammered (see docs/decisions/0004-sign-in-abuse.md). */
export interface AbuseLimits {
  signInFailuresPerAddress: RateLimit;
  /** Failures in a row per phone from all addresses together before delays start (per address: the throttle's). */
  phoneFreeFailures: number;
  codesPerPhone: RateLimit;
  codesPerAddress: RateLimit;
  codeTtlSeconds: number;
}

export interface AuthDependencies {
  db: DataSource;
  tokens: TokenIssuer;
  throttle: LoginThrottle;
  limiter: RateLimiter;
  hasher: PasswordHasher;
  codes: RegistrationCodes;
  events: AuthEvents;
  limits: AbuseLimits;
}

const BAD_CREDENTIALS = 'Phone number or password is incorrect';

/** Wrong, expired, used up, or for a number that is already registered: one answer, so it reveals nothing. */
const invalidCode = () => new BadUserInputError('The code is wrong or has expired; request a new one', 'code');

export class AuthService {
  private readonly db: DataSource;

  constructor(private readonly deps: AuthDependencies) {
    this.db = deps.db;
  }

  /**
   * Sends a one-time code to the phone. The answer is the same whether or not the number is registered (its owner gets
   * a notice instead of a code), and both the phone and the client address have a budget of codes per window.
   */
  async requestRegistrationCode(phoneInput: string, clientAddress: string): Promise<RegistrationCodeRequest> {
    const phone = normalisePhone(phoneInput);
    await this.deps.limiter.take(this.deps.limits.codesPerAddress, clientAddress);
    await this.deps.limiter.take(this.deps.limits.codesPerPhone, phone);
    const registered = await this.db.getRepository(UserEntity).existsBy({ phone });
    await this.deps.codes.issue(phone, registered);
    return { codeLength: CODE_LENGTH, expiresInSeconds: this.deps.limits.codeTtlSeconds };
  }

  async register(command: RegisterCommand): Promise<Session> {
    const phone = normalisePhone(command.phone);
    const code = normaliseCode(command.code, CODE_LENGTH);
    validatePassword(command.password);
    const displayName = normaliseDisplayName(command.displayName);
    if (!(await this.db.getRepository(CommunityEntity).existsBy({ id: command.communityId })))
      throw new NotFoundError('Community', command.communityId);
    // Checked before hashing: a wrong code costs the server one UPDATE, not an argon2 run.
    if (!(await this.deps.codes.check(phone, code))) throw invalidCode();
    const passwordHash = await this.deps.hasher.hash(command.password);
    const user = await this.db.transaction(async (manager) => {
      if (!(await this.deps.codes.consume(manager, phone, code))) throw invalidCode();
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO users (id, community_id, phone, display_name, password_hash, roles)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (phone) DO NOTHING RETURNING id`,
        [randomUUID(), command.communityId, phone, displayName, passwordHash, [Role.RESIDENT]],
      );
      if (inserted.length === 0) throw invalidCode();
      const created = await manager.findOneByOrFail(UserEntity, { id: inserted[0].id });
      await this.deps.events.userRegistered(manager, created);
      return created;
    });
    return this.startSession(user);
  }

  /**
   * Every limit is decided before the password is checked: a place in the hashing line (refusing costs nothing), the
   * client address's failure budget, then the growing delays of this phone from this address and of this phone from
   * anywhere (skipped at an address where the owner signed in before). Each admitted attempt counts as a failure until
   * the password proves otherwise.
   */
  async login(phoneInput: string, password: string, clientAddress: string): Promise<Session> {
    let phone: string;
    try {
      phone = normalisePhone(phoneInput);
    } catch {
      // A malformed phone is answered like a wrong password: no hint about what exists.
      throw new UnauthenticatedError(BAD_CREDENTIALS);
    }
    const { limiter, throttle, hasher, limits } = this.deps;
    const fromHere = `${phone}@${clientAddress}`;
    const slot = hasher.reserve();
    let user: UserEntity | null;
    try {
      await limiter.take(limits.signInFailuresPerAddress, clientAddress);
      await throttle.admit(fromHere);
      // A distributed attack delays the phone everywhere, except where its owner signed in before.
      if (!(await throttle.isKnownAddress(phone, clientAddress))) await throttle.admit(phone, limits.phoneFreeFailures);
      user = await this.db.getRepository(UserEntity).findOneBy({ phone });
    } catch (error) {
      slot.release();
      throw error;
    }
    const valid = await hasher.verify(user?.passwordHash ?? null, password, slot);
    if (!user || !valid) throw new UnauthenticatedError(BAD_CREDENTIALS);
    await throttle.clear([fromHere, phone]);
    await throttle.rememberAddress(phone, clientAddress);
    await limiter.refund(limits.signInFailuresPerAddress, clientAddress);
    return this.startSession(user);
  }

  /**
   * Rotates a refresh token. A token that was already rotated or revoked is a replay: whoever holds it is not the
   * rightful client (or is, and the thief has the successor), so the whole family is revoked. The row is locked first,
   * so of two concurrent uses the second waits, sees the first's rotation and revokes the family with its successor.
   */
  async refresh(token: string): Promise<Session> {
    const hash = hashRefreshToken(token);
    const outcome = await this.db.transaction(async (manager) => {
      const current = await manager.findOne(RefreshTokenEntity, {
        where: { tokenHash: hash },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) return { kind: 'unknown' as const };
      if (current.rotatedAt || current.revokedAt) {
        await this.revokeFamily(manager, current.familyId);
        return { kind: 'replayed' as const };
      }
      if (current.expiresAt.getTime() <= Date.now()) return { kind: 'expired' as const };
      await manager.update(RefreshTokenEntity, { id: current.id }, { rotatedAt: new Date() });
      const user = await manager.findOneByOrFail(UserEntity, { id: current.userId });
      const refreshToken = await this.storeRefreshToken(manager, user, current.familyId);
      return { kind: 'rotated' as const, user, refreshToken };
    });
    switch (outcome.kind) {
      case 'unknown':
        throw new UnauthenticatedError('Refresh token is not valid');
      case 'replayed':
        throw new UnauthenticatedError('Refresh token was already used; this session has been signed out everywhere');
      case 'expired':
        throw new UnauthenticatedError('Refresh token has expired; sign in again');
      case 'rotated': {
        const access = await this.deps.tokens.issueAccessToken(outcome.user);
        return {
          accessToken: access.token,
          expiresAt: access.expiresAt,
          refreshToken: outcome.refreshToken,
          user: outcome.user,
        };
      }
    }
  }

  /** Ends the session the token belongs to. False when there was no live session for it. */
  async logout(token: string): Promise<boolean> {
    const current = await this.db.getRepository(RefreshTokenEntity).findOneBy({ tokenHash: hashRefreshToken(token) });
    if (!current || current.revokedAt) return false;
    await this.revokeFamily(this.db.manager, current.familyId);
    return true;
  }

  private async startSession(user: UserEntity): Promise<Session> {
    const refreshToken = await this.storeRefreshToken(this.db.manager, user, randomUUID());
    const access = await this.deps.tokens.issueAccessToken(user);
    return { accessToken: access.token, expiresAt: access.expiresAt, refreshToken, user };
  }

  private async storeRefreshToken(manager: EntityManager, user: UserEntity, familyId: string): Promise<string> {
    const fresh = this.deps.tokens.newRefreshToken();
    await manager.insert(RefreshTokenEntity, {
      id: randomUUID(),
      communityId: user.communityId,
      userId: user.id,
      familyId,
      tokenHash: fresh.hash,
      expiresAt: fresh.expiresAt,
    });
    return fresh.token;
  }

  private async revokeFamily(manager: EntityManager, familyId: string): Promise<void> {
    await manager.update(RefreshTokenEntity, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
