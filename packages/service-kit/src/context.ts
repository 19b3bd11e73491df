import DataLoader from 'dataloader';
import { In, type FindOptionsWhere, type Repository } from 'typeorm';
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
async function loadByIds<T extends { id: string }>(
  ids: readonly string[],
  fetch: (ids: string[]) => Promise<T[]>,
): Promise<(T | null)[]> {
  const rows = await fetch([...new Set(ids)]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/**
 * The request's DataLoader of one entity by id (named after its table): every id the request touches is read in one
 * statement. A read that already joined such rows may `prime` it, so the field resolving them costs no statement.
 */
export function entityLoader<T extends { id: string }>(
  loaders: LoaderRegistry,
  repository: Repository<T>,
): DataLoader<string, T | null> {
  return loaders.get<string, T | null>(`entity:${repository.metadata.tableName}`, (keys) =>
    loadByIds(keys, (unique) => repository.findBy({ id: In(unique) } as FindOptionsWhere<T>)),
  );
}

/** Rows by id through an entity loader, null for those that do not exist. */
export async function loadEntities<T extends { id: string }>(
  loaders: LoaderRegistry,
  repository: Repository<T>,
  ids: readonly string[],
): Promise<(T | null)[]> {
  const rows = await entityLoader(loaders, repository).loadMany(ids);
  return rows.map((row) => (row instanceof Error ? null : row));
}
