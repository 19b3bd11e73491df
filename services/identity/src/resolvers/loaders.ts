import { entityLoader, loadEntities, type ServiceContext } from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { CommunityEntity } from '../entities/community.entity';
import { GridEntity } from '../entities/grid.entity';
import { HouseholdEntity } from '../entities/household.entity';
import { UserEntity } from '../entities/user.entity';

/** Users by id through the request's DataLoader: one query for all users a request touches. */
export function loadUsers(
  db: DataSource,
  context: ServiceContext,
  ids: readonly string[],
): Promise<(UserEntity | null)[]> {
  return loadEntities(context.loaders, db.getRepository(UserEntity), ids);
}

/**
 * The signed-in user with their community in one statement (`me` is the most frequent question, and almost always
 * asks for the community): both are handed to the request's loaders, so `User.community` costs no statement.
 */
export async function loadSignedInUser(
  db: DataSource,
  context: ServiceContext,
  id: string,
): Promise<UserEntity | null> {
  const found = await db
    .getRepository(UserEntity)
    .createQueryBuilder('user')
    .leftJoinAndMapOne('user.joinedCommunity', CommunityEntity, 'community', 'community.id = user.communityId')
    .where('user.id = :id', { id })
    .getOne();
  entityLoader(context.loaders, db.getRepository(UserEntity)).prime(id, found ?? null);
  if (found?.joinedCommunity)
    entityLoader(context.loaders, db.getRepository(CommunityEntity)).prime(found.communityId, found.joinedCommunity);
  return found ?? null;
}

export function loadCommunities(
  db: DataSource,
  context: ServiceContext,
  ids: readonly string[],
): Promise<(CommunityEntity | null)[]> {
  return loadEntities(context.loaders, db.getRepository(CommunityEntity), ids);
}

/** Grids per community by name: one statement for every community of the request. */
export function loadGridsOfCommunity(
  db: DataSource,
  context: ServiceContext,
  communityId: string,
): Promise<GridEntity[]> {
  const loader = context.loaders.get<string, GridEntity[]>('community-grids', async (communityIds) => {
    const rows = await db
      .getRepository(GridEntity)
      .find({ where: { communityId: In([...communityIds]) }, order: { name: 'ASC' } });
    return communityIds.map((id) => rows.filter((row) => row.communityId === id));
  });
  return loader.load(communityId);
}

/** Households per grid by address: one statement for every grid of the request. */
export function loadHouseholdsOfGrid(
  db: DataSource,
  context: ServiceContext,
  gridId: string,
): Promise<HouseholdEntity[]> {
  const loader = context.loaders.get<string, HouseholdEntity[]>('grid-households', async (gridIds) => {
    const rows = await db
      .getRepository(HouseholdEntity)
      .find({ where: { gridId: In([...gridIds]) }, order: { building: 'ASC', unit: 'ASC', room: 'ASC' } });
    return gridIds.map((id) => rows.filter((row) => row.gridId === id));
  });
  return loader.load(gridId);
}
