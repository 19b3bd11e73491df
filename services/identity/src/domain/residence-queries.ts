import { entityLoader, type Caller, type ServiceContext } from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { HouseholdEntity } from '../entities/household.entity';
import { ResidenceEntity, ResidenceStatus } from '../entities/residence.entity';
import { UserEntity } from '../entities/user.entity';

/** Residences by user id through the request's DataLoader (one query for a page of users). */
export async function loadResidence(
  db: DataSource,
  context: ServiceContext,
  userId: string,
): Promise<ResidenceEntity | null> {
  const loader = context.loaders.get<string, ResidenceEntity | null>('residences', (keys) =>
    db
      .getRepository(ResidenceEntity)
      .findBy({ userId: In([...new Set(keys)]) })
      .then((rows) => {
        const byUser = new Map(rows.map((row) => [row.userId, row]));
        return keys.map((key) => byUser.get(key) ?? null);
      }),
  );
  return loader.load(userId);
}

export function loadHousehold(
  db: DataSource,
  context: ServiceContext,
  householdId: string,
): Promise<HouseholdEntity | null> {
  return entityLoader(context.loaders, db.getRepository(HouseholdEntity)).load(householdId);
}

/**
 * Residents waiting for a decision the caller may take: every open claim of the community for a committee member,
 * those in the grids they lead for a community worker. Oldest claim first.
 */
export async function pendingResidenceClaims(
  db: DataSource,
  caller: Caller,
  committee: boolean,
): Promise<UserEntity[]> {
  return db
    .getRepository(UserEntity)
    .createQueryBuilder('u')
    .innerJoin(ResidenceEntity, 'r', 'r.user_id = u.id')
    .innerJoin(HouseholdEntity, 'h', 'h.id = r.household_id')
    .innerJoin('grids', 'g', 'g.id = h.grid_id')
    .where('r.community_id = :community AND r.status = :status', {
      community: caller.communityId,
      status: ResidenceStatus.CLAIMED,
    })
    .andWhere(committee ? 'TRUE' : 'g.leader_user_id = :caller', { caller: caller.userId })
    .andWhere('u.id <> :caller', { caller: caller.userId })
    .orderBy('r.claimed_at', 'ASC')
    .limit(200)
    .getMany();
}
