import type { HttpServerOptions, Logger } from '@taoyuan/service-kit';
import type { GatewayConfig } from './config';
import { corsMiddleware } from './cors';

type Routes = NonNullable<HttpServerOptions['routes']>;

/** Routes for browser clients, mounted before the body parser and GraphQL so that every answer carries CORS headers. */
export function frontEndRoutes(config: GatewayConfig, _logger: Logger): Routes {
  return (app) => {
    app.use(corsMiddleware(config));
  };
}
