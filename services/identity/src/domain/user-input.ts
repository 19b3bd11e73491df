import { BadUserInputError, normalizeName } from '@taoyuan/service-kit';

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** Accepts "138 0013 8000", "138-0013-8000", "+86 13800138000"; returns the 11 digits or throws BAD_USER_INPUT. */
export function normalisePhone(input: string): string {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  if (!MAINLAND_MOBILE.test(digits))
    throw new BadUserInputError('Phone must be a mainland China mobile number (11 digits, starting 13–19)', 'phone');
  return digits;
}

/**
 * 138******01: the carrier prefix and two last digits, enough for the owner to recognise their number, while the
 * six hidden digits leave a million candidates (four hidden digits left ten thousand: one script's afternoon).
 */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}`;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export function validatePassword(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN)
    throw new BadUserInputError(`Password must be at least ${PASSWORD_MIN} characters`, 'password');
  // Bounded so that hashing cost cannot be used to exhaust the server.
  if (length > PASSWORD_MAX)
    throw new BadUserInputError(`Password must be at most ${PASSWORD_MAX} characters`, 'password');
}

/** 1–40 code points of any script, NFC, trimmed, with no invisible or text-direction characters (王\u200B芳 ≠ 王芳). */
export function normaliseDisplayName(input: string): string {
  return normalizeName(input, { field: 'displayName', max: 40 });
}

/** A one-time code as typed: spaces tolerated, otherwise exactly the digits sent. */
export function normaliseCode(input: string, length: number): string {
  const code = input.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${length}}$`).test(code)) throw new BadUserInputError(`The code has ${length} digits`, 'code');
  return code;
}

/** A reason staff give for a decision: 1–200 characters, no invisible or text-direction characters. */
export function normaliseReason(input: string): string {
  return normalizeName(input, { field: 'reason', max: 200 });
}
