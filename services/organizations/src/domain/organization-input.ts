import { BadUserInputError } from '@taoyuan/service-kit';

const CONTROL_CHARACTERS = /[\p{Cc}]/u;
const CONTROL_EXCEPT_NEWLINES = /[^\P{Cc}\n\r\t]/u;

function codePoints(value: string): number {
  return [...value].length;
}

/** Trimmed, NFC, single line, `min`–`max` code points; else BAD_USER_INPUT naming `field`. */
export function singleLine(value: string, field: string, min: number, max: number): string {
  const text = value.normalize('NFC').trim();
  const length = codePoints(text);
  if (length < min || length > max) throw new BadUserInputError(`${field} must be ${min} to ${max} characters`, field);
  if (CONTROL_CHARACTERS.test(text)) throw new BadUserInputError(`${field} must be a single line of text`, field);
  return text;
}

/** Trimmed, NFC, line breaks allowed, at most `max` code points. */
export function paragraph(value: string, field: string, max: number): string {
  const text = value.normalize('NFC').trim();
  if (codePoints(text) > max) throw new BadUserInputError(`${field} must be at most ${max} characters`, field);
  if (CONTROL_EXCEPT_NEWLINES.test(text))
    throw new BadUserInputError(`${field} must not contain control characters`, field);
  return text;
}

export const normaliseOrganizationName = (name: string) => singleLine(name, 'name', 2, 60);
export const normaliseDescription = (description: string) => paragraph(description, 'description', 2000);
export const normaliseContact = (contact: string | null | undefined) =>
  contact === null || contact === undefined || contact.trim() === '' ? null : singleLine(contact, 'contact', 1, 100);
/** A reason is required wherever a decision hurts someone (rejections, removals, suspensions, declines). */
export const normaliseReason = (reason: string) => paragraph(requireText(reason), 'reason', 500);

function requireText(reason: string): string {
  if (reason.trim() === '') throw new BadUserInputError('reason must not be empty', 'reason');
  return reason;
}
