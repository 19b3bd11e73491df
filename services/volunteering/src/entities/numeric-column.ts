import type { ValueTransformer } from 'typeorm';

/** PostgreSQL numeric arrives as a string (to keep precision); the values kept here are small enough for a number. */
export const numericColumn: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
