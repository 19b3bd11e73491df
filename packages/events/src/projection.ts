import type { EntityManager } from 'typeorm';

/**
 * Ordered projections: a consumer's local copy of another service's facts, kept right whatever the order in which
 * Kafka delivers them. Kafka orders only within one partition of one topic; facts about one thing often travel on
 * several topics (joined, promoted, left), get redelivered, or are replayed from a dead-letter topic days later. So
 * each fact carries the producer's version of the thing (+1 per change) and the projection keeps, per key, the fact
 * with the highest version — last writer wins by version, never by arrival or by the time the event claims.
 *
 * For that to converge, every fact must carry the whole projected state of its thing (role and active flag, not
 * "active = false" alone): then the row after any permutation of the history equals the row of its newest fact.
 */
export interface OrderedProjection<Row extends Record<string, unknown>> {
  /** The projection table (a plain snake_case name). */
  table: string;
  /** The columns of its primary key or unique constraint: one row per thing. */
  key: readonly (keyof Row & string)[];
  /** The column holding the version of the fact the row shows. */
  version: keyof Row & string;
}

export interface VersionedUpsert {
  sql: string;
  parameters: unknown[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function identifier(name: string): string {
  // Names come from code, never from an event, but they are spliced into SQL: refuse anything unusual outright.
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain snake_case SQL identifier`);
  return `"${name}"`;
}

/**
 * One statement that inserts the row, or replaces the stored row only when the incoming version is greater; it
 * returns a row exactly when the fact was applied. One statement, so two consumers racing on one key cannot both
 * read "older" and the lower version win.
 */
export function versionedUpsert<Row extends Record<string, unknown>>(
  projection: OrderedProjection<Row>,
  row: Row,
): VersionedUpsert {
  const columns = Object.keys(row);
  for (const required of [...projection.key, projection.version])
    if (!columns.includes(required)) throw new Error(`a row of ${projection.table} needs "${required}"`);
  const version = row[projection.version];
  if (typeof version !== 'number' || !Number.isInteger(version))
    throw new Error(`the version of a ${projection.table} fact must be an integer, got ${String(version)}`);
  const table = identifier(projection.table);
  const updated = columns.filter((column) => !projection.key.includes(column));
  const sql =
    `INSERT INTO ${table} AS held (${columns.map(identifier).join(', ')})` +
    ` VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})` +
    ` ON CONFLICT (${projection.key.map(identifier).join(', ')}) DO UPDATE` +
    ` SET ${updated.map((column) => `${identifier(column)} = EXCLUDED.${identifier(column)}`).join(', ')}` +
    ` WHERE held.${identifier(projection.version)} < EXCLUDED.${identifier(projection.version)}` +
    ` RETURNING 1 AS applied`;
  return { sql, parameters: columns.map((column) => row[column]) };
}

/**
 * Applies a fact to an ordered projection inside the caller's transaction (the inbox's, so a redelivered event has
 * no second effect). Returns true when the fact is now the row's newest, false when a newer or equal one was held.
 */
export async function applyIfNewer<Row extends Record<string, unknown>>(
  manager: EntityManager,
  projection: OrderedProjection<Row>,
  row: Row,
): Promise<boolean> {
  const { sql, parameters } = versionedUpsert(projection, row);
  const applied: unknown[] = await manager.query(sql, parameters);
  return applied.length > 0;
}
