import { randomBytes } from 'node:crypto';
import { isUuid, PARTNER_SUBJECT_PREFIX, PartnerScope } from '@taoyuan/service-kit';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { PartnerClientEntity, PartnerClientStatus } from '../entities/partner-client.entity';
import { partnerSecretMatches } from './partner-secret';
import type { SigningKeys } from './signing-keys';

/** An OAuth 2.0 error response (RFC 6749 §5.2), with the HTTP status it goes out with. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type',
    readonly description: string,
    /** invalid_client answers 401 with a WWW-Authenticate challenge. */
    readonly status: 400 | 401 = 400,
  ) {
    super(description);
  }
}

export interface TokenRequest {
  /** The Authorization header, if any. */
  authorization: string | undefined;
  /** The form-encoded body's fields. */
  form: Record<string, unknown>;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface PartnerTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const SCOPE_VALUES = new Set<string>(Object.values(PartnerScope));

function basicCredentials(header: string): { clientId: string; clientSecret: string } {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header.trim());
  const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'Malformed HTTP Basic credentials', 401);
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before Base64.
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'Malformed HTTP Basic credentials', 401);
  }
}

const formString = (form: Record<string, unknown>, name: string): string | undefined => {
  const value = form[name];
  if (value === undefined) return undefined;
  // A repeated parameter arrives as an array; RFC 6749 §3.1 forbids repeating any.
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must appear once`);
  return value;
};

/** RFC 6749 §4.4: a partner client exchanges its id and secret for a short-lived access token. */
export class ClientCredentialsService {
  constructor(
    private readonly db: DataSource,
    private readonly keys: SigningKeys,
    private readonly settings: PartnerTokenSettings,
  ) {}

  async grant(request: TokenRequest): Promise<TokenResponse> {
    const grantType = formString(request.form, 'grant_type');
    if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
    const { clientId, clientSecret } = this.clientAuthentication(request);
    if (grantType !== 'client_credentials')
      throw new OAuthError('unsupported_grant_type', 'Only the client_credentials grant is served here');
    const client = isUuid(clientId)
      ? await this.db.getRepository(PartnerClientEntity).findOneBy({ id: clientId.toLowerCase() })
      : null;
    // One answer for unknown, wrong, pending and revoked clients: nothing to learn by probing.
    if (
      !client ||
      !partnerSecretMatches(clientSecret, client.secretHash) ||
      client.status !== PartnerClientStatus.ACTIVE
    )
      throw new OAuthError('invalid_client', 'Client authentication failed', 401);
    const scopes = this.grantedScopes(client, formString(request.form, 'scope'));
    return this.issue(client, scopes);
  }

  private clientAuthentication(request: TokenRequest): { clientId: string; clientSecret: string } {
    const inBody = formString(request.form, 'client_id') !== undefined || request.form.client_secret !== undefined;
    if (request.authorization) {
      if (inBody) throw new OAuthError('invalid_request', 'Use one client authentication method, not two');
      return basicCredentials(request.authorization);
    }
    const clientId = formString(request.form, 'client_id');
    const clientSecret = formString(request.form, 'client_secret');
    if (!clientId || !clientSecret) throw new OAuthError('invalid_client', 'Client authentication is required', 401);
    return { clientId, clientSecret };
  }

  private grantedScopes(client: PartnerClientEntity, requested: string | undefined): PartnerScope[] {
    if (requested === undefined || requested.trim() === '') return client.scopes;
    const asked = [...new Set(requested.trim().split(/ +/))];
    if (asked.some((scope) => !SCOPE_VALUES.has(scope) || !client.scopes.includes(scope as PartnerScope)))
      throw new OAuthError('invalid_scope', 'The requested scope exceeds what this client was approved for');
    return asked as PartnerScope[];
  }

  private async issue(client: PartnerClientEntity, scopes: PartnerScope[]): Promise<TokenResponse> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const scope = scopes.join(' ');
    const token = await new SignJWT({ client_id: client.id, scope, communities: client.communityIds })
      .setProtectedHeader({ alg: this.keys.alg, kid: this.keys.kid, typ: 'JWT' })
      .setSubject(`${PARTNER_SUBJECT_PREFIX}${client.id}`)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.settings.ttlSeconds)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(this.keys.privateKey);
    return { access_token: token, token_type: 'Bearer', expires_in: this.settings.ttlSeconds, scope };
  }
}
