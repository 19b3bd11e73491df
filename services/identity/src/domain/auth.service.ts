import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, Role, UnauthenticatedError } from '@taoyuan/service-kit';
import { type DataSource, type EntityManager, IsNull, MoreThan } from 'typeorm';
import { CommunityEntity } from '../entities/community.entity';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import { UserEntity } from '../entities/user.entity';
import type { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './password-hasher';
import { hashRefreshToken, type TokenIssuer } from './token-issuer';
import { normaliseDisplayName, normalisePhone, validatePassword } from './user-input';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  user: UserEntity;
}

export interface RegisterCommand {
  communityId: string;
  phone: string;
  password: string;
  displayName: string;
}

/** Hooks run inside the registering transaction (the outbox writes its event there). */
export interface AuthEvents {
  userRegistered(manager: EntityManager, user: UserEntity): Promise<void>;
}

const BAD_CREDENTIALS = 'Phone number or password is incorrect';

export class AuthService {
  constructor(
    private readonly db: DataSource,
    private readonly tokens: TokenIssuer,
    private readonly throttle: LoginThrottle,
    private readonly events: AuthEvents,
  ) {}

  async register(command: RegisterCommand): Promise<Session> {
    const phone = normalisePhone(command.phone);
    validatePassword(command.password);
    const displayName = normaliseDisplayName(command.displayName);
    const passwordHash = await hashPassword(command.password);
    const user = await this.db.transaction(async (manager) => {
      const community = await manager.findOneBy(CommunityEntity, { id: command.communityId });
      if (!community) throw new NotFoundError('Community', command.communityId);
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO users (id, community_id, phone, display_name, password_hash, roles)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (phone) DO NOTHING RETURNING id`,
        [randomUUID(), community.id, phone, displayName, passwordHash, [Role.RESIDENT]],
      );
      if (inserted.length === 0)
        throw new ConflictError('PHONE_ALREADY_REGISTERED', 'This phone number is already registered');
      const created = await manager.findOneByOrFail(UserEntity, { id: inserted[0].id });
      await this.events.userRegistered(manager, created);
      return created;
    });
    return this.startSession(user);
  }

  async login(phoneInput: string, password: string): Promise<Session> {
    let phone: string;
    try {
      phone = normalisePhone(phoneInput);
    } catch {
      // A malformed phone is answered like a wrong password: no hint about what exists.
      throw new UnauthenticatedError(BAD_CREDENTIALS);
    }
    await this.throttle.assertNotLocked(phone);
    const user = await this.db.getRepository(UserEntity).findOneBy({ phone });
    const valid = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !valid) {
      await this.throttle.recordFailure(phone);
      throw new UnauthenticatedError(BAD_CREDENTIALS);
    }
    await this.throttle.recordSuccess(phone);
    return this.startSession(user);
  }

  /**
   * Rotates a refresh token. A token that was already rotated or revoked is a replay: whoever holds it is not the
   * rightful client (or is, and the thief has the successor), so the whole family is revoked.
   */
  async refresh(token: string): Promise<Session> {
    const hash = hashRefreshToken(token);
    const outcome = await this.db.transaction(async (manager) => {
      const current = await manager.findOneBy(RefreshTokenEntity, { tokenHash: hash });
      if (!current) return { kind: 'unknown' as const };
      // The conditional update is the lock: of two concurrent uses, only one sees a row to claim.
      const claimed = await manager.update(
        RefreshTokenEntity,
        { id: current.id, rotatedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        { rotatedAt: new Date() },
      );
      if (claimed.affected !== 1) {
        if (current.rotatedAt || current.revokedAt) {
          await this.revokeFamily(manager, current.familyId);
          return { kind: 'replayed' as const };
        }
        return { kind: 'expired' as const };
      }
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
        const access = await this.tokens.issueAccessToken(outcome.user);
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
    const access = await this.tokens.issueAccessToken(user);
    return { accessToken: access.token, expiresAt: access.expiresAt, refreshToken, user };
  }

  private async storeRefreshToken(manager: EntityManager, user: UserEntity, familyId: string): Promise<string> {
    const fresh = this.tokens.newRefreshToken();
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
