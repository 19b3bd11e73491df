import { BadUserInputError } from '@taoyuan/service-kit';

const CONTROL_CHARACTERS = /\p{Cc}/u;
const CONTROL_EXCEPT_NEWLINES = /[^\P{Cc}\n\r\t]/u;

/** NFC-normalised, trimmed text of `min`–`max` Unicode code points; `multiline` allows line breaks and tabs. */
export function requireText(value: string, field: string, min: number, max: number, multiline = false): string {
  const text = value.normalize('NFC').trim();
  const length = [...text].length;
  if (length < min || length > max)
    throw new BadUserInputError(
      min > 0 ? `${field} must be ${min} to ${max} characters` : `${field} must be at most ${max} characters`,
      field,
    );
  if ((multiline ? CONTROL_EXCEPT_NEWLINES : CONTROL_CHARACTERS).test(text))
    throw new BadUserInputError(`${field} must not contain control characters`, field);
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
