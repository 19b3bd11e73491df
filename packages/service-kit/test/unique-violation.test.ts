import { QueryFailedError } from 'typeorm';
import { isUniqueViolation } from '../src';

/** What pg raises for a duplicate key, as typeorm wraps it. */
function duplicateKey(constraint: string, code = '23505'): QueryFailedError {
  const driverError = Object.assign(new Error(`duplicate key value violates unique constraint "${constraint}"`), {
    code,
    constraint,
  });
  return new QueryFailedError('INSERT …', [], driverError);
}

describe('isUniqueViolation', () => {
  it('recognises a unique violation wrapped by typeorm, of any constraint or of the one named', () => {
    const error = duplicateKey('organizations_name_key');
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'organizations_name_key')).toBe(true);
    expect(isUniqueViolation(error, 'memberships_open_key')).toBe(false);
  });

  it('recognises pg’s own error too', () => {
    expect(isUniqueViolation(duplicateKey('sign_ups_open_key').driverError, 'sign_ups_open_key')).toBe(true);
  });

  it('is false for other database errors and for anything that is not an error', () => {
    expect(isUniqueViolation(duplicateKey('ledger_reversal_mirrors', '23514'))).toBe(false);
    expect(isUniqueViolation(new Error('23505'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
  });
});
