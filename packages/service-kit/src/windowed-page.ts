import { toConnection, type Connection } from './pagination';
import type { LoaderRegistry } from './context';

/** Anything that runs parameterised SQL: a TypeORM DataSource or EntityManager. */
export interface SqlRunner {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/**
 * Which child rows make up a parent's list. Identifiers are SQL written by the service, never client input: only
 * `params` (numbered `$1`… in `where`) and the keyset values carry data.
 */
export interface ChildList {
  /** The table (or `table alias`) holding the children. */
  from: string;
  /** The column (or expression) naming the parent, e.g. `organization_id`. */
  parent: string;
  /** The keyset the list is ordered by, the last column unique (usually the id). */
  orderBy: readonly string[];
  direction: 'ASC' | 'DESC';
  /** Further conditions the caller already authorized, e.g. a status or the caller's community. */
  where?: string;
  params?: readonly unknown[];
  /** The children's id column; default `id`. */
  id?: string;
}

export interface PageWindow {
  /** Rows per parent on the page (the statement fetches one more, which only says whether a next page exists). */
  limit: number;
  /** Keyset values of `orderBy` to continue after (the decoded cursor), or null for the first page. */
  after: readonly unknown[] | null;
}

/**
 * The ids of one page of children for every parent, in one statement: a window (`row_number()` per parent in the
 * list's order) keeps `limit + 1` rows each, so a list of N parents with their child lists costs the same at 5 or 50.
 * Returns the ids per parent, in list order.
 */
export async function windowedPageIds(
  db: SqlRunner,
  list: ChildList,
  parentIds: readonly string[],
  page: PageWindow,
): Promise<Map<string, string[]>> {
  const byParent = new Map<string, string[]>(parentIds.map((id) => [id, []]));
  if (parentIds.length === 0) return byParent;
  const id = list.id ?? 'id';
  const values: unknown[] = [...(list.params ?? [])];
  const conditions = list.where ? [`(${list.where})`] : [];
  values.push([...new Set(parentIds)]);
  conditions.push(`${list.parent} = ANY($${values.length})`);
  if (page.after) {
    if (page.after.length !== list.orderBy.length) throw new Error('the cursor does not match the list order');
    const placeholders = page.after.map((value) => {
      values.push(value);
      return `$${values.length}`;
    });
    const comparison = list.direction === 'DESC' ? '<' : '>';
    conditions.push(`(${list.orderBy.join(', ')}) ${comparison} (${placeholders.join(', ')})`);
  }
  values.push(page.limit + 1);
  const order = list.orderBy.map((column) => `${column} ${list.direction}`).join(', ');
  const rows = await db.query<{ parent: string; id: string }[]>(
    `SELECT page.parent, page.id FROM (
       SELECT ${list.parent}::text AS parent, ${id}::text AS id, row_number() OVER (PARTITION BY ${list.parent} ORDER BY ${order}) AS position
         FROM ${list.from} WHERE ${conditions.join(' AND ')}
     ) page WHERE page.position <= $${values.length} ORDER BY page.parent, page.position`,
    values,
  );
  // A parent id may arrive in another case than PostgreSQL prints it (a uuid in a representation).
  const given = new Map(parentIds.map((parentId) => [parentId.toLowerCase(), parentId]));
  for (const row of rows) byParent.get(given.get(row.parent.toLowerCase()) ?? row.parent)?.push(row.id);
  return byParent;
}

export interface WindowedPageOptions<Row extends { id: string }, Node = Row> {
  db: SqlRunner;
  loaders: LoaderRegistry;
  /** Names the list; with the page window it keys the request's loader (parents asked alike share one statement). */
  name: string;
  parentId: string;
  list: ChildList;
  page: PageWindow;
  /** The rows of these ids (in any order), e.g. `repository.findBy({ id: In(ids) })`: one more statement per batch. */
  load: (ids: string[]) => Promise<Row[]>;
  cursorOf: (row: Row) => unknown;
  toNode?: (row: Row) => Node;
}

/**
 * One parent's page of a child list as a Relay connection, batched with every other parent of the request asking for
 * the same list with the same window: two statements for all of them (the windowed ids, then the rows).
 */
export function loadWindowedPage<Row extends { id: string }, Node = Row>(
  options: WindowedPageOptions<Row, Node>,
): Promise<Connection<Node>> {
  const key = `windowed:${options.name}:${options.page.limit}:${JSON.stringify(options.page.after)}`;
  const loader = options.loaders.get<string, Connection<Node>>(key, async (parentIds) => {
    const ids = await windowedPageIds(options.db, options.list, parentIds, options.page);
    const all = [...ids.values()].flat();
    const rows = all.length > 0 ? await options.load(all) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return parentIds.map((parentId) => {
      const ordered = (ids.get(parentId) ?? []).map((id) => byId.get(id)).filter((row): row is Row => !!row);
      return toConnection(ordered, options.page.limit, options.cursorOf, options.toNode);
    });
  });
  return loader.load(options.parentId);
}

/**
 * A value per key for every key of the request in one statement, e.g. an account per user: `fetch` gets the distinct
 * keys and returns what it found keyed by them; keys it did not find get `missing`.
 */
export function loadKeyed<Value>(
  loaders: LoaderRegistry,
  name: string,
  key: string,
  fetch: (keys: string[]) => Promise<Map<string, Value>>,
  missing: Value,
): Promise<Value> {
  return loaders
    .get<string, Value>(name, async (keys) => {
      const found = await fetch([...new Set(keys)]);
      return keys.map((one) => (found.has(one) ? (found.get(one) as Value) : missing));
    })
    .load(key);
}
