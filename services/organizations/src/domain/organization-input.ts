import { assertCleanText, BadUserInputError, normalizeName } from '@taoyuan/service-kit';

function codePoints(value: string): number {
  return [...value].length;
}

/**
 * Trimmed, NFC, single line, `min`–`max` code points, without control, zero-width or text-direction characters (so
 * no name impersonates another); else BAD_USER_INPUT naming `field`.
 */
export function singleLine(value: string, field: string, min: number, max: number): string {
  return normalizeName(value, { field, min, max });
}

/** Trimmed, NFC, line breaks allowed, at most `max` code points, no invisible or reordering characters. */
export function paragraph(value: string, field: string, max: number): string {
  const text = value.normalize('NFC').trim();
  if (codePoints(text) > max) throw new BadUserInputError(`${field} must be at most ${max} characters`, field);
  assertCleanText(text, field, { multiline: true });
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
