import { assertCleanText, BadUserInputError, normalizeName } from '@taoyuan/service-kit';

/** A one-line title or name: NFC, trimmed, no invisible or reordering characters, `min`–`max` code points. */
export function requireLine(value: string, field: string, min: number, max: number): string {
  return normalizeName(value, { field, min, max });
}

/** Multi-line text (descriptions, notes, comments): like a line, but line breaks and tabs allowed; may be empty. */
export function requireParagraph(value: string | null | undefined, field: string, max: number): string {
  const text = (value ?? '').normalize('NFC').trim();
  assertCleanText(text, field, { multiline: true });
  if ([...text].length > max) throw new BadUserInputError(`${field} must be at most ${max} characters`, field);
  return text;
}

export function requireIntegerIn(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new BadUserInputError(`${field} must be a whole number from ${min} to ${max}`, field);
  return value;
}

export function requireValidDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new BadUserInputError(`${field} is not a valid date-time`, field);
  return value;
}

/**
 * A search term for `text` filters: normalised like stored text and lower-cased. Two characters or more, because
 * shorter terms cannot be answered from an index (the bigram index starts at two, trigrams at three).
 */
export function requireSearchTerm(value: string, field = 'text'): string {
  const term = value.normalize('NFC').trim().toLowerCase();
  assertCleanText(term, field);
  const length = [...term].length;
  if (length < 2 || length > 40) throw new BadUserInputError(`${field} must be 2 to 40 characters`, field);
  return term;
}

/** SQL for "search_text contains `term`" that an index answers: trigrams from 3 characters, bigrams for 2. */
export function textCondition(term: string, alias: string, parameters: unknown[]): string {
  if ([...term].length === 2) {
    parameters.push([term]);
    return `${alias}.search_bigrams @> $${parameters.length}::text[]`;
  }
  parameters.push(`%${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
  return `${alias}.search_text LIKE $${parameters.length}`;
}
