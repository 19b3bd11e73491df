import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@taoyuan/service-kit';
import { SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys';

export interface TokenSettings {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface AccessToken {
  token: string;
  expiresAt: Date;
}

export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    readonly settings: TokenSettings,
  ) {}

  async issueAccessToken(user: { id: string; communityId: string; roles: Role[] }): Promise<AccessToken> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + this.settings.accessTokenTtlSeconds;
    const token = await new SignJWT({ cid: user.communityId, roles: user.roles })
      .setProtectedHeader({ alg: this.keys.alg, kid: this.keys.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(this.keys.privateKey);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** 256 random bits; only the hash is stored, so a database leak yields no usable session. */
  newRefreshToken(): { token: string; hash: string; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    return {
      token,
      hash: hashRefreshToken(token),
      expiresAt: new Date(Date.now() + this.settings.refreshTokenTtlSeconds * 1000),
    };
  }
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
