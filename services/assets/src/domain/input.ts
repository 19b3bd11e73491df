import { assertCleanText, BadUserInputError } from '@taoyuan/service-kit';

/**
 * NFC-normalised, trimmed text of `min`–`max` code points without control, zero-width or text-direction characters
 * (王\u200B芳 must not pass for 王芳 on a receipt or the notice board).
 */
export function requireText(value: string, field: string, min: number, max: number, multiline = false): string {
  const text = value.normalize('NFC').trim();
  const length = [...text].length;
  if (length < min || length > max)
    throw new BadUserInputError(
      min > 0 ? `${field} must be ${min} to ${max} characters` : `${field} must be at most ${max} characters`,
      field,
    );
  assertCleanText(text, field, { multiline });
  return text;
}

/** A positive whole number of fen, at most 100,000,000 元 (a typo guard, far above any community's budget). */
export function requireFen(value: number, field = 'amountFen', allowZero = false): number {
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1) || value > 10_000_000_000)
    throw new BadUserInputError(`${field} must be a whole number of fen (1 元 = 100 fen)`, field);
  return value;
}

export function requireValidDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new BadUserInputError(`${field} is not a valid date-time`, field);
  return value;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date YYYY-MM-DD that exists. */
export function requireIsoDate(value: string, field: string): string {
  const parsed = new Date(`${value}T00:00:00Z`);
  if (!ISO_DATE.test(value) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value)
    throw new BadUserInputError(`${field} must be a date YYYY-MM-DD`, field);
  return value;
}
