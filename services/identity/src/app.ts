import { eventBackbone } from '@taoyuan/events';
import { createTokenVerifier, startSubgraph, type SubgraphDefinition } from '@taoyuan/service-kit';
import { AuthService } from './domain/auth.service';
import { LoginThrottle } from './domain/login-throttle';
import { RoleService } from './domain/role.service';
import { loadSigningKeys, type SigningKeys } from './domain/signing-keys';
import { TokenIssuer } from './domain/token-issuer';
import { identityEntities } from './entities';
import { IdentityEvents } from './events/identity-events';
import { identityMigrations } from './migrations';
import { AuthResolver } from './resolvers/auth.resolver';
import { CommunityResolver, GridResolver } from './resolvers/community.resolver';
import { loadCommunities, loadUsers } from './resolvers/loaders';
import { UserResolver } from './resolvers/user.resolver';
import { seedIdentityDemo } from './seed/demo-seed';
import type { IdentityConfig } from './config';

export function identitySubgraph(keys: SigningKeys): SubgraphDefinition<IdentityConfig> {
  return {
    name: 'identity',
    entities: identityEntities,
    migrations: identityMigrations,
    schema: ({ dataSource, config }) => {
      const events = new IdentityEvents();
      const tokens = new TokenIssuer(keys, {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      });
      const throttle = new LoginThrottle(dataSource, {
        maxFailures: config.LOGIN_MAX_FAILURES,
        lockSeconds: config.LOGIN_LOCK_SECONDS,
        windowSeconds: config.LOGIN_LOCK_SECONDS,
      });
      return {
        resolvers: [
          new AuthResolver(new AuthService(dataSource, tokens, throttle, events)),
          new UserResolver(dataSource, new RoleService(dataSource, events)),
          new CommunityResolver(dataSource),
          new GridResolver(dataSource),
        ],
        references: {
          User: (reference, context) => loadUsers(dataSource, context, [reference.id]).then(([user]) => user),
          Community: (reference, context) =>
            loadCommunities(dataSource, context, [reference.id]).then(([community]) => community),
        },
      };
    },
    // Identity holds the keys, so it verifies its own tokens without a round trip to its JWKS endpoint.
    tokenVerifier: ({ config }) =>
      createTokenVerifier({ jwks: keys.jwks, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    routes: (app) => {
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.setHeader('cache-control', 'public, max-age=300');
        res.json(keys.jwks);
      });
    },
    seedDemoData: ({ dataSource, logger }) => seedIdentityDemo(dataSource, logger),
    background: eventBackbone({ service: 'identity' }),
  };
}

export async function loadIdentityKeys(config: IdentityConfig): Promise<SigningKeys> {
  const previous = config.JWT_PREVIOUS_PUBLIC_KEYS?.split(/\n\s*\n/).filter((pem) => pem.trim()) ?? [];
  return loadSigningKeys(config.JWT_PRIVATE_KEY, previous);
}

export async function startIdentity(config: IdentityConfig) {
  return startSubgraph(identitySubgraph(await loadIdentityKeys(config)), config);
}
