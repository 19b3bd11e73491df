import type { ValueTransformer } from 'typeorm';

/**
 * Amounts are bigint fen in the database; pg returns bigint as a string. Every amount here stays far below 2^53 fen
 * (90 trillion 元), so a JavaScript integer holds it exactly.
 */
export const fenColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
