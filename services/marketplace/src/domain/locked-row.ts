import { NotFoundError, type Caller } from '@taoyuan/service-kit';
import type { DataSource, EntityManager, EntityTarget, FindOptionsWhere } from 'typeorm';

/** The row with this id, locked until the transaction ends so concurrent changes to it queue up; null if none. */
export function lockRow<T extends { id: string }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: string,
): Promise<T | null> {
  return manager.findOne(entity, { where: { id } as FindOptionsWhere<T>, lock: { mode: 'pessimistic_write' } });
}

/**
 * Runs one caller's change on a locked row in one transaction and returns the row as it then is. A row of another
 * community, or one `visible` hides from the caller, is NOT_FOUND, so ids of other people's rows reveal nothing.
 */
export function changeLockedRow<T extends { id: string; communityId: string }>(
  db: DataSource,
  caller: Caller,
  row: { entity: EntityTarget<T>; name: string; id: string },
  change: (manager: EntityManager, locked: T) => Promise<void>,
  visible: (manager: EntityManager, locked: T) => Promise<boolean> = async () => true,
): Promise<T> {
  return db.transaction(async (manager) => {
    const locked = await lockRow(manager, row.entity, row.id);
    if (!locked || locked.communityId !== caller.communityId || !(await visible(manager, locked)))
      throw new NotFoundError(row.name, row.id);
    await change(manager, locked);
    return manager.findOneByOrFail(row.entity, { id: row.id } as FindOptionsWhere<T>);
  });
}
