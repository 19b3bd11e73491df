/** Keyset cursor of "newest first" lists (service-kit's timeAndIdCursor): timestamp in milliseconds and the id. */
export type NewestFirstCursor = [number, string];

/** `AND (column, id) < (…)` for the page after `after` (already decoded and checked by the cursor codec). */
export function afterCondition(
  after: NewestFirstCursor | null,
  column: string,
  idColumn: string,
  parameters: unknown[],
): string {
  if (!after) return '';
  parameters.push(new Date(after[0]), after[1]);
  return ` AND (${column}, ${idColumn}) < ($${parameters.length - 1}, $${parameters.length}::uuid)`;
}

/** Rows fetched by id, returned in the order of `ids`. */
export function inOrder<T extends { id: string }>(ids: string[], rows: T[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)).filter((row): row is T => row !== undefined);
}
