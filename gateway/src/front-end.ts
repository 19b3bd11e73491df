import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { localizedErrorsPlugin, type HttpServerOptions, type Logger } from '@taoyuan/service-kit';
import type { GatewayConfig } from './config';
import { corsMiddleware } from './cors';
import type { GatewayContext } from './gateway';
import { mountGraphiql } from './graphiql';
import { mountTrustedDocuments, persistedQueriesOption, trustedManifest } from './persisted-documents';

type Routes = NonNullable<HttpServerOptions['routes']>;

/** The offline IDE is for development; production shows it only when GRAPHIQL says so. */
export function graphiqlEnabled(config: Pick<GatewayConfig, 'GRAPHIQL' | 'NODE_ENV'>): boolean {
  return config.GRAPHIQL ?? config.NODE_ENV !== 'production';
}

/** Routes for browser clients, mounted before the body parser and GraphQL so that every answer carries CORS headers. */
export function frontEndRoutes(config: GatewayConfig, logger: Logger): Routes {
  return (app) => {
    app.use(corsMiddleware(config));
    if (graphiqlEnabled(config)) mountGraphiql(app, logger);
    mountTrustedDocuments(app, config, trustedManifest(config));
  };
}

/**
 * Apollo plugins for front-ends. Errors are localized here for everything the client sees, the subgraphs' included:
 * each error is rewritten from its code, reason and `messageEn`, whatever language a subgraph answered in (the
 * gateway passes Accept-Language on for the texts subgraphs render themselves, such as notifications).
 * Apollo's own landing page loads from a CDN, so it is off: the IDE is the bundled GraphiQL.
 */
export function frontEndPlugins(config: GatewayConfig): ApolloServerPlugin<GatewayContext>[] {
  return [ApolloServerPluginLandingPageDisabled(), localizedErrorsPlugin<GatewayContext>(config.DEFAULT_LOCALE)];
}

/** Automatic persisted queries, with the trusted documents' manifest always in the store. */
export function frontEndApolloOptions(
  config: GatewayConfig,
): Pick<ApolloServerOptions<GatewayContext>, 'persistedQueries'> {
  return { persistedQueries: persistedQueriesOption(config, trustedManifest(config)) };
}
