import { BadUserInputError } from '@taoyuan/service-kit';

/** Lists of memberships, candidates and role changes page by their insertion sequence. */
export type SeqCursor = [seq: string];

export function seqOf(cursor: SeqCursor): string {
  const [seq] = Array.isArray(cursor) ? cursor : [];
  if (typeof seq !== 'string' || !/^\d{1,18}$/.test(seq))
    throw new BadUserInputError('after is not a valid cursor', 'after');
  return seq;
}
