import { pageArgs, timeAndIdCursor, toConnection, type Connection } from '@taoyuan/service-kit';
import { In, type DataSource, type EntityTarget, type FindOptionsWhere } from 'typeorm';

interface TimedRow {
  id: string;
  createdAt: Date;
}

/**
 * One page of `table` rows matching `where`, newest first. Ids are picked by SQL on the (created_at, id) keyset so the
 * filter can be any SQL the caller already authorized; the rows are then loaded as entities in that order.
 */
export async function newestFirstPage<T extends TimedRow>(
  db: DataSource,
  entity: EntityTarget<T>,
  table: string,
  filter: { where: string; params: unknown[] },
  first: number | null,
  after: string | null,
): Promise<Connection<T>> {
  const { limit, after: cursor } = pageArgs(first, after, timeAndIdCursor);
  const values = [...filter.params];
  let keyset = '';
  if (cursor) {
    values.push(new Date(cursor[0]), cursor[1]);
    keyset = ` AND (created_at, id) < ($${values.length - 1}, $${values.length})`;
  }
  values.push(limit + 1);
  const ids = await db.query<{ id: string }[]>(
    `SELECT id FROM ${table} WHERE ${filter.where}${keyset} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  const rows: T[] = await db.manager.findBy(entity, { id: In(ids.map((row) => row.id)) } as FindOptionsWhere<T>);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ordered = ids.map((row) => byId.get(row.id)).filter((row): row is T => !!row);
  return toConnection(ordered, limit, (row) => [row.createdAt.getTime(), row.id]);
}
