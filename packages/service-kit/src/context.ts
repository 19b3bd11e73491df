import DataLoader from 'dataloader';
import type { AuthContext } from './auth';
import type { GatewayAwareContext } from './gateway-access';
import type { Logger } from './logger';
import type { Locale } from './messages';

/**
 * Per-request DataLoaders, created on first use. Living in the request context, they batch the loads of one request
 * (e.g. all `__resolveReference` calls of one `_entities` query) and never share a cache between callers.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new DataLoader<K, V>(batch);
      this.loaders.set(name, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

export interface ServiceContext extends AuthContext, GatewayAwareContext {
  requestId: string;
  logger: Logger;
  loaders: LoaderRegistry;
  /** The caller's language (Accept-Language, else the deployment's default), for texts a service renders itself. */
  locale: Locale;
}

/** Loads many rows by id in one query and answers a DataLoader batch in key order (missing ids → null). */
export async function loadByIds<T extends { id: string }>(
  ids: readonly string[],
  fetch: (ids: string[]) => Promise<T[]>,
): Promise<(T | null)[]> {
  const rows = await fetch([...new Set(ids)]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}
