import { loadByIds, type ServiceContext } from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { CommunityEntity } from '../entities/community.entity';
import { UserEntity } from '../entities/user.entity';

/** Users by id through the request's DataLoader: one query for all users a request touches. */
export function loadUsers(
  db: DataSource,
  context: ServiceContext,
  ids: readonly string[],
): Promise<(UserEntity | null)[]> {
  const loader = context.loaders.get<string, UserEntity | null>('users', (keys) =>
    loadByIds(keys, (unique) => db.getRepository(UserEntity).findBy({ id: In(unique) })),
  );
  return loader.loadMany(ids).then((rows) => rows.map((row) => (row instanceof Error ? null : row)));
}

export function loadCommunities(
  db: DataSource,
  context: ServiceContext,
  ids: readonly string[],
): Promise<(CommunityEntity | null)[]> {
  const loader = context.loaders.get<string, CommunityEntity | null>('communities', (keys) =>
    loadByIds(keys, (unique) => db.getRepository(CommunityEntity).findBy({ id: In(unique) })),
  );
  return loader.loadMany(ids).then((rows) => rows.map((row) => (row instanceof Error ? null : row)));
}
