import { BadUserInputError } from '@taoyuan/service-kit';

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** Accepts "138 0013 8000", "138-0013-8000", "+86 13800138000"; returns the 11 digits or throws BAD_USER_INPUT. */
export function normalisePhone(input: string): string {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  if (!MAINLAND_MOBILE.test(digits))
    throw new BadUserInputError('Phone must be a mainland China mobile number (11 digits, starting 13–19)', 'phone');
  return digits;
}

/** 138****5678: enough for the owner to recognise, too little to call. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
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

const CONTROL_CHARACTERS = /\p{Cc}/u;

/** 1–40 characters of any script, counted as Unicode code points, trimmed. */
export function normaliseDisplayName(input: string): string {
  const name = input.normalize('NFC').trim();
  const length = [...name].length;
  if (length < 1 || length > 40) throw new BadUserInputError('Display name must be 1 to 40 characters', 'displayName');
  if (CONTROL_CHARACTERS.test(name))
    throw new BadUserInputError('Display name must not contain control characters', 'displayName');
  return name;
}
