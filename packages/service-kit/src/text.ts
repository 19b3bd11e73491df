import { BadUserInputError } from './errors';

/**
 * Characters that render as nothing or reorder what follows: control characters (Cc), format characters (Cf: zero-width
 * spaces and joiners, bidi overrides and isolates, the BOM), lone surrogates (Cs) and line/paragraph separators.
 * 王\u200B芳 would otherwise pass for 王芳, and a right-to-left override can make a name read backwards.
 */
const INVISIBLE_OR_REORDERING = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
/** The same, but tab and newline allowed: for multi-line text such as descriptions. */
const INVISIBLE_OR_REORDERING_EXCEPT_LINES = /(?![\t\n])[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;

export interface CleanTextOptions {
  /** Allow tab and newline (descriptions); names never need them. */
  multiline?: boolean;
}

/** Throws BAD_USER_INPUT naming `field` when `text` holds characters that are invisible or reorder the text. */
export function assertCleanText(text: string, field: string, options: CleanTextOptions = {}): void {
  const pattern = options.multiline ? INVISIBLE_OR_REORDERING_EXCEPT_LINES : INVISIBLE_OR_REORDERING;
  if (pattern.test(text))
    throw new BadUserInputError(`${field} must not contain control, zero-width or text-direction characters`, field);
}

export interface NameOptions {
  /** Field named in the BAD_USER_INPUT error, e.g. `displayName`. */
  field: string;
  /** Most code points allowed (after normalising). */
  max: number;
  /** Fewest code points allowed; 1 unless told. */
  min?: number;
}

/**
 * A name as people see it: NFC-normalised (so 'é' typed two ways is one name), trimmed, free of invisible and
 * reordering characters, and `min`–`max` code points long (a Chinese character or an emoji counts as one).
 */
export function normalizeName(input: string, options: NameOptions): string {
  const name = input.normalize('NFC').trim();
  assertCleanText(name, options.field);
  const min = options.min ?? 1;
  const length = [...name].length;
  if (length < min || length > options.max)
    throw new BadUserInputError(`${options.field} must be ${min} to ${options.max} characters`, options.field);
  return name;
}
