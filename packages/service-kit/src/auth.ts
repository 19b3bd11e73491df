import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { AuthChecker } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from './errors';
import { VerifiedTokenCache } from './token-cache';

/** Roles carried in the access token. Identity owns them; every service reads them from the token only. */
export enum Role {
  RESIDENT = 'RESIDENT',
  COMMUNITY_WORKER = 'COMMUNITY_WORKER',
  COMMITTEE = 'COMMITTEE',
  ADMIN = 'ADMIN',
}

/** Staff of a community: may see residents' contact details and run community business. */
export const STAFF_ROLES: readonly Role[] = [Role.COMMUNITY_WORKER, Role.COMMITTEE, Role.ADMIN];

export interface Caller {
  userId: string;
  communityId: string;
  roles: Role[];
}

/** What a partner agency's client-credentials token may be used for (identity issues them, every service checks). */
export enum PartnerScope {
  EVENTS_READ = 'events:read',
  REPORTS_READ = 'reports:read',
  VOLUNTEER_RECORDS_READ = 'volunteer-records:read',
  WEBHOOKS_MANAGE = 'webhooks:manage',
}

/**
 * A partner agency's client (OAuth 2.0 client credentials), never a person: it is not a `Caller`, so every resolver
 * that needs a signed-in user refuses it, and only code that asks for a partner scope lets it in.
 */
export interface PartnerCaller {
  kind: 'partner';
  clientId: string;
  scopes: PartnerScope[];
  /** The communities the partner serves; it reads nothing of any other. */
  communityIds: string[];
}

/** Subject prefix of partner tokens (`sub: partner:<client id>`), so a partner id never reads as a user id. */
export const PARTNER_SUBJECT_PREFIX = 'partner:';

export interface AccessTokenClaims {
  sub: string;
  cid: string;
  roles: Role[];
}

export interface TokenVerifierOptions {
  /** identity's JWKS URL; the key set is cached and refetched when a token names an unknown key id. */
  jwksUrl?: string;
  /** A key set held in memory (identity verifies its own tokens without calling itself). */
  jwks?: JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Verified tokens kept per process (default 10,000), each until its `exp`. */
  cacheSize?: number;
  /**
   * How often (at most) the remote JWKS is fetched again (default 60 s): a key identity stops publishing is refused,
   * with every cached token it signed, within this interval.
   */
  jwksRefreshMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

export type TokenVerifier = (authorizationHeader: string | undefined) => Promise<Caller | PartnerCaller | null>;

const ROLE_VALUES = new Set<string>(Object.values(Role));
const SCOPE_VALUES = new Set<string>(Object.values(PartnerScope));

function partnerFromClaims(payload: Record<string, unknown>, subject: string): PartnerCaller {
  const clientId = subject.slice(PARTNER_SUBJECT_PREFIX.length);
  const { client_id: claimedClient, scope, communities } = payload;
  if (claimedClient !== clientId || typeof scope !== 'string' || !Array.isArray(communities))
    throw new UnauthenticatedError('Partner token lacks client, scope or communities');
  return {
    kind: 'partner',
    clientId,
    scopes: scope.split(' ').filter((item): item is PartnerScope => SCOPE_VALUES.has(item)),
    communityIds: communities.filter((id): id is string => typeof id === 'string'),
  };
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  const jwksRefreshMs = options.jwksRefreshMs ?? 60_000;
  let keys: JWTVerifyGetKey;
  let remoteKeys: ReturnType<typeof createRemoteJWKSet> | undefined;
  if (options.jwks) keys = createLocalJWKSet(options.jwks);
  else if (options.jwksUrl)
    keys = remoteKeys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: 5_000,
      cacheMaxAge: jwksRefreshMs,
    });
  else throw new Error('createTokenVerifier needs jwksUrl or jwks');

  const verified = new VerifiedTokenCache<Caller | PartnerCaller>(options.cacheSize ?? 10_000, now);
  let nextKeyRefreshAt = now() + jwksRefreshMs;
  let refreshing: Promise<void> | undefined;
  // A cached token skips the signature check, so the key set is re-read on a clock, not only on an unknown key id.
  const refreshKeys = async (): Promise<void> => {
    if (!remoteKeys || now() < nextKeyRefreshAt) return;
    const published = remoteKeys;
    refreshing ??= (async () => {
      try {
        await published.reload();
        const keyIds = (published.jwks()?.keys ?? []).map((key) => key.kid).filter((kid) => kid !== undefined);
        verified.keepOnlyKeys(new Set(keyIds));
      } catch {
        // identity unreachable: the keys are as last seen; tokens verified with them stay valid until their exp.
      } finally {
        nextKeyRefreshAt = now() + jwksRefreshMs;
        refreshing = undefined;
      }
    })();
    await refreshing;
  };

  return async (header) => {
    if (header === undefined || header === '') return null;
    const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/.exec(header.trim());
    if (!match?.[1])
      throw new UnauthenticatedError(
        'Malformed Authorization header: expected "Bearer <access token>"',
      ).withHttpStatus();
    const token = match[1];
    await refreshKeys();
    const known = verified.get(token);
    if (known) return known;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['EdDSA', 'ES256'],
        // A token without an expiry would be valid forever once leaked.
        requiredClaims: ['exp'],
        currentDate: new Date(now()),
      });
      const principal = principalFromClaims(payload);
      verified.set(token, principal, payload.exp ?? 0, protectedHeader.kid);
      return principal;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error.withHttpStatus();
      if (error instanceof joseErrors.JWTExpired)
        throw new UnauthenticatedError('Access token has expired').withHttpStatus();
      if (error instanceof joseErrors.JOSEError)
        throw new UnauthenticatedError('Access token is invalid').withHttpStatus();
      throw error;
    }
  };
}

function principalFromClaims(payload: JWTPayload): Caller | PartnerCaller {
  const roles = Array.isArray(payload.roles)
    ? payload.roles.filter((role): role is Role => typeof role === 'string' && ROLE_VALUES.has(role))
    : [];
  if (typeof payload.sub === 'string' && payload.sub.startsWith(PARTNER_SUBJECT_PREFIX))
    return partnerFromClaims(payload, payload.sub);
  if (typeof payload.sub !== 'string' || typeof payload.cid !== 'string')
    throw new UnauthenticatedError('Access token lacks subject or community');
  return { userId: payload.sub, communityId: payload.cid, roles };
}

export interface AuthContext {
  /** A signed-in person; null for anonymous callers and for partner clients. */
  caller: Caller | null;
  /** A partner client, when the token is one (then `caller` is null). */
  partner?: PartnerCaller | null;
}

export function isPartnerCaller(principal: Caller | PartnerCaller | null): principal is PartnerCaller {
  return principal !== null && 'kind' in principal && principal.kind === 'partner';
}

/** Puts a verified token where resolvers look: people in `caller`, partner clients in `partner`, never both. */
export function authContextOf(principal: Caller | PartnerCaller | null): {
  caller: Caller | null;
  partner: PartnerCaller | null;
} {
  return isPartnerCaller(principal) ? { caller: null, partner: principal } : { caller: principal, partner: null };
}

/** A partner client holding `scope`; people and anonymous callers are refused. */
export function requirePartnerScope(context: AuthContext, scope: PartnerScope): PartnerCaller {
  const partner = context.partner;
  if (!partner) throw new UnauthenticatedError('This needs a partner client token');
  if (!partner.scopes.includes(scope)) throw new ForbiddenError('SCOPE_REQUIRED', `This needs the scope ${scope}`);
  return partner;
}

/**
 * Aggregate reads of a community (a leaderboard, a report): its own members, or a partner serving it with `scope`.
 * Returns the person when it is one, null for a partner.
 */
export function requireCommunityReader(context: AuthContext, communityId: string, scope: PartnerScope): Caller | null {
  if (context.partner) {
    const partner = requirePartnerScope(context, scope);
    if (!partner.communityIds.includes(communityId))
      throw new ForbiddenError('OTHER_COMMUNITY', 'This partner does not serve that community');
    return null;
  }
  return requireCommunityRole(context, communityId);
}

export function requireCaller(context: AuthContext): Caller {
  if (!context.caller) throw new UnauthenticatedError();
  return context.caller;
}

export function hasAnyRole(caller: Caller, roles: readonly Role[]): boolean {
  return caller.roles.some((role) => roles.includes(role));
}

export function requireRole(context: AuthContext, roles: readonly Role[]): Caller {
  const caller = requireCaller(context);
  if (!hasAnyRole(caller, roles))
    throw new ForbiddenError('ROLE_REQUIRED', `This needs one of the roles ${roles.join(', ')}`);
  return caller;
}

/** Caller must belong to `communityId` and (when given) hold one of `roles` there. */
export function requireCommunityRole(context: AuthContext, communityId: string, roles?: readonly Role[]): Caller {
  const caller = roles ? requireRole(context, roles) : requireCaller(context);
  if (caller.communityId !== communityId)
    throw new ForbiddenError('OTHER_COMMUNITY', 'This belongs to another community');
  return caller;
}

/**
 * type-graphql's `@Authorized()` (signed in) and `@Authorized(Role.COMMITTEE, …)` (any of these roles) throw the
 * kit's errors, so clients get UNAUTHENTICATED / FORBIDDEN rather than type-graphql's generic ones.
 */
export const authChecker: AuthChecker<AuthContext, Role> = ({ context }, roles) => {
  if (roles.length === 0) requireCaller(context);
  else requireRole(context, roles);
  return true;
};
