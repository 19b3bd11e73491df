import { BadUserInputError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else is the client's mistake (BAD_USER_INPUT), not a database error. */
export function requireUuid(value: string, field = 'id'): string {
  if (!UUID.test(value)) throw new BadUserInputError(`${field} is not a valid id`, field);
  return value.toLowerCase();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
