import { AsyncLocalStorage } from 'node:async_hooks';
import { negotiateLocale, type Locale } from '@taoyuan/service-kit';

const requestLocale = new AsyncLocalStorage<Locale>();

interface LocaleRequest {
  header(name: string): string | undefined;
}

/**
 * Express middleware for /graphql: the request's language (Accept-Language, else the deployment's default) for the
 * resolvers, which see no HTTP request. The kit's context carries no language yet; the same scope mechanism carries
 * its request ids.
 */
export function localeScope(fallback: Locale) {
  return (req: LocaleRequest, _res: unknown, next: () => void): void => {
    requestLocale.run(negotiateLocale(req.header('accept-language'), fallback), next);
  };
}

export function currentLocale(fallback: Locale): Locale {
  return requestLocale.getStore() ?? fallback;
}
