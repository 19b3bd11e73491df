import { assertCleanText, BadUserInputError, normalizeName } from '@taoyuan/service-kit';

/**
 * NFC-normalised, trimmed text of `min`–`max` Unicode code points, free of control, zero-width and text-direction
 * characters (王\u200B芳 must not pass for 王芳); `multiline` allows line breaks and tabs.
 */
export function requireText(value: string, field: string, min: number, max: number, multiline = false): string {
  if (!multiline) return normalizeName(value, { field, min, max });
  const text = value.normalize('NFC').trim();
  const length = [...text].length;
  if (length < min || length > max)
    throw new BadUserInputError(
      min > 0 ? `${field} must be ${min} to ${max} characters` : `${field} must be at most ${max} characters`,
      field,
    );
  assertCleanText(text, field, { multiline: true });
  return text;
}

/** An IANA time zone name that this runtime knows, e.g. Asia/Shanghai. */
export function requireTimeZone(value: string, field = 'timeZone'): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new BadUserInputError(`${field} must be an IANA time zone such as Asia/Shanghai`, field);
  }
}

export function requireValidDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new BadUserInputError(`${field} is not a valid date-time`, field);
  return value;
}
