import type { ApolloServerPlugin } from '@apollo/server';
import { localizedErrorsPlugin, type HttpServerOptions, type Logger } from '@taoyuan/service-kit';
import type { GatewayConfig } from './config';
import { corsMiddleware } from './cors';
import type { GatewayContext } from './gateway';

type Routes = NonNullable<HttpServerOptions['routes']>;

/** Routes for browser clients, mounted before the body parser and GraphQL so that every answer carries CORS headers. */
export function frontEndRoutes(config: GatewayConfig, _logger: Logger): Routes {
  return (app) => {
    app.use(corsMiddleware(config));
  };
}

/**
 * Apollo plugins for front-ends. Errors are localized here for everything the client sees, the subgraphs' included:
 * the gateway does not pass Accept-Language on, it rewrites each error from its code, reason and `messageEn`.
 */
export function frontEndPlugins(config: GatewayConfig): ApolloServerPlugin<GatewayContext>[] {
  return [localizedErrorsPlugin<GatewayContext>(config.DEFAULT_LOCALE)];
}
