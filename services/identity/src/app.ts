import { eventBackbone } from '@taoyuan/events';
import { createTokenVerifier, isUuid, startSubgraph, type SubgraphDefinition } from '@taoyuan/service-kit';
import { AuthService } from './domain/auth.service';
import { ClientCredentialsService } from './domain/client-credentials.service';
import { DataConsentService } from './domain/data-consent.service';
import { clientAddressScope, parseTrustedProxies } from './domain/client-address';
import { LoginThrottle } from './domain/login-throttle';
import { PartnerClientService } from './domain/partner-client.service';
import { PasswordHasher } from './domain/password-hasher';
import { RateLimiter } from './domain/rate-limiter';
import { RegistrationCodes } from './domain/registration-codes';
import { ResidenceService } from './domain/residence.service';
import { RoleService } from './domain/role.service';
import { loadSigningKeys, type SigningKeys } from './domain/signing-keys';
import { createSmsSender, DevSmsSender, type SmsSender } from './domain/sms-sender';
import { TokenIssuer } from './domain/token-issuer';
import { identityEntities } from './entities';
import { ConsentEvents } from './events/consent-events';
import { IdentityEvents } from './events/identity-events';
import { PartnerEvents } from './events/partner-events';
import { identityMigrations } from './migrations';
import { AuthResolver } from './resolvers/auth.resolver';
import { CommunityResolver, GridResolver } from './resolvers/community.resolver';
import { DataConsentResolver } from './resolvers/data-consent.resolver';
import { loadCommunities, loadUsers } from './resolvers/loaders';
import { PartnerClientResolver } from './resolvers/partner-client.resolver';
import { oauthTokenRoute } from './resolvers/oauth-token.route';
import { ResidenceResolver, UserResolver } from './resolvers/user.resolver';
import { seedIdentityDemo } from './seed/demo-seed';
import type { IdentityConfig } from './config';

/** What identity holds besides its database: signing keys, the bounded password hasher and the SMS sender. */
export interface IdentityParts {
  keys: SigningKeys;
  hasher: PasswordHasher;
  /** Created from SMS_PROVIDER when the schema is built. */
  sms?: SmsSender;
}

export function identitySubgraph(parts: IdentityParts): SubgraphDefinition<IdentityConfig> {
  const { keys, hasher } = parts;
  const smsOf = (config: IdentityConfig, logger: Parameters<typeof createSmsSender>[1]) =>
    (parts.sms ??= createSmsSender(config.SMS_PROVIDER, logger));
  return {
    name: 'identity',
    entities: identityEntities,
    migrations: identityMigrations,
    schema: ({ dataSource, config, logger }) => {
      const events = new IdentityEvents();
      const tokens = new TokenIssuer(keys, {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      });
      const throttle = new LoginThrottle(dataSource, {
        freeFailures: config.LOGIN_FREE_FAILURES,
        baseSeconds: config.LOGIN_DELAY_BASE_SECONDS,
        maxSeconds: config.LOGIN_DELAY_MAX_SECONDS,
        memorySeconds: config.LOGIN_FAILURE_MEMORY_SECONDS,
        knownAddressSeconds: config.LOGIN_KNOWN_ADDRESS_SECONDS,
      });
      const codes = new RegistrationCodes(
        dataSource,
        smsOf(config, logger),
        { ttlSeconds: config.REGISTRATION_CODE_TTL_SECONDS, maxAttempts: config.REGISTRATION_CODE_MAX_ATTEMPTS },
        (error) => logger.error({ err: error }, 'sending an SMS failed'),
      );
      const auth = new AuthService({
        db: dataSource,
        tokens,
        throttle,
        limiter: new RateLimiter(dataSource),
        hasher,
        codes,
        events,
        limits: {
          signInFailuresPerAddress: {
            bucket: 'sign-in-failures-per-address',
            limit: config.LOGIN_ADDRESS_MAX_FAILURES,
            windowSeconds: config.LOGIN_ADDRESS_WINDOW_SECONDS,
            message: 'Too many failed sign-ins from your network; try again later',
          },
          phoneFreeFailures: config.LOGIN_PHONE_FREE_FAILURES,
          codesPerPhone: {
            bucket: 'registration-codes-per-phone',
            limit: config.REGISTRATION_CODES_PER_PHONE,
            windowSeconds: config.REGISTRATION_WINDOW_SECONDS,
            message: 'Too many codes requested for this phone; try again later',
          },
          codesPerAddress: {
            bucket: 'registration-codes-per-address',
            limit: config.REGISTRATION_CODES_PER_ADDRESS,
            windowSeconds: config.REGISTRATION_WINDOW_SECONDS,
            message: 'Too many codes requested from your network; try again later',
          },
          codeTtlSeconds: config.REGISTRATION_CODE_TTL_SECONDS,
        },
      });
      return {
        resolvers: [
          new AuthResolver(auth),
          new UserResolver(dataSource, new RoleService(dataSource, events), new ResidenceService(dataSource, events)),
          new ResidenceResolver(dataSource),
          new CommunityResolver(dataSource),
          new GridResolver(dataSource),
          new PartnerClientResolver(dataSource, new PartnerClientService(dataSource, new PartnerEvents())),
          new DataConsentResolver(dataSource, new DataConsentService(dataSource, new ConsentEvents())),
        ],
        references: {
          // Every user has a public profile (a leader's name, a volunteer's); the private fields check the caller in
          // their field resolvers, which this path and `me` share.
          User: async (reference, context) =>
            isUuid(reference.id)
              ? ((await loadUsers(dataSource, context, [reference.id.toLowerCase()]))[0] ?? null)
              : null,
          Community: (reference, context) =>
            loadCommunities(dataSource, context, [reference.id]).then(([community]) => community),
        },
      };
    },
    // Identity holds the keys, so it verifies its own tokens without a round trip to its JWKS endpoint.
    tokenVerifier: ({ config }) =>
      createTokenVerifier({ jwks: keys.jwks, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    routes: (app, { config, logger, dataSource }) => {
      app.post(
        '/oauth/token',
        oauthTokenRoute(
          new ClientCredentialsService(dataSource, keys, {
            issuer: config.JWT_ISSUER,
            audience: config.JWT_AUDIENCE,
            ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
          }),
          logger,
        ),
      );
      app.use('/graphql', clientAddressScope(parseTrustedProxies(config.TRUSTED_PROXIES)));
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.setHeader('cache-control', 'public, max-age=300');
        res.json(keys.jwks);
      });
      const sms = smsOf(config, logger);
      if (config.NODE_ENV === 'production' && sms instanceof DevSmsSender)
        logger.warn('SMS_PROVIDER=dev in production: registration codes are only logged, never sent');
      // Development only: lets scripts and front-end developers finish a registration without a phone.
      if (config.NODE_ENV !== 'production' && sms instanceof DevSmsSender) {
        app.get('/dev/sms-outbox', (req, res) => {
          const phone = typeof req.query.phone === 'string' ? req.query.phone : undefined;
          res.setHeader('cache-control', 'no-store');
          res.json({ messages: sms.outbox(phone) });
        });
      }
    },
    seedDemoData: ({ dataSource, logger }) => seedIdentityDemo(dataSource, logger, hasher),
    background: eventBackbone({ service: 'identity' }),
  };
}

export async function loadIdentityKeys(config: IdentityConfig): Promise<SigningKeys> {
  const previous = config.JWT_PREVIOUS_PUBLIC_KEYS?.split(/\n\s*\n/).filter((pem) => pem.trim()) ?? [];
  return loadSigningKeys(config.JWT_PRIVATE_KEY, previous);
}

export async function startIdentity(config: IdentityConfig) {
  const hasher = new PasswordHasher({
    concurrency: config.PASSWORD_HASH_CONCURRENCY,
    queue: config.PASSWORD_HASH_QUEUE,
  });
  const server = await startSubgraph(identitySubgraph({ keys: await loadIdentityKeys(config), hasher }), config);
  return Object.assign(server, { hasher });
}
