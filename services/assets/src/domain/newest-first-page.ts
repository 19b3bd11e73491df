import {
  loadWindowedPage,
  pageArgs,
  timeAndIdCursor,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { In, type DataSource, type EntityTarget, type FindOptionsWhere } from 'typeorm';

/** Which parent's rows a page lists, and any filter on them (SQL over the table's columns). */
export interface NewestFirstList {
  parent: string;
  where: string;
  params: unknown[];
}

/**
 * One page of a parent's rows, newest first (bookings, donations): the pages of every parent in a request come from
 * one windowed statement, whatever the number of parents.
 */
export function newestFirstPage<Row extends { id: string; createdAt: Date }>(
  db: DataSource,
  context: ServiceContext,
  source: { entity: EntityTarget<Row>; table: string },
  request: { name: string; parentId: string; first: number | null; after: string | null; list: NewestFirstList },
): Promise<Connection<Row>> {
  const page = pageArgs(request.first, request.after, timeAndIdCursor);
  return loadWindowedPage({
    db,
    loaders: context.loaders,
    name: request.name,
    parentId: request.parentId,
    list: { from: source.table, orderBy: ['created_at', 'id'], direction: 'DESC', ...request.list },
    page: { limit: page.limit, after: page.after && [new Date(page.after[0]), page.after[1]] },
    load: (ids) => db.manager.findBy(source.entity, { id: In(ids) } as FindOptionsWhere<Row>),
    cursorOf: (row) => [row.createdAt.getTime(), row.id],
  });
}
