import { BadUserInputError, ConflictError, AppError, ErrorCode } from '@taoyuan/service-kit';
import { QueryFailedError } from 'typeorm';
import { z } from 'zod';
import { classifyFailure } from '../src';

/** An error as node-postgres raises it: a message and a SQLSTATE `code`. */
const pgError = (code: string, message = 'database error') => Object.assign(new Error(message), { code });
/** The same error as TypeORM hands it to a handler (QueryFailedError keeps pg's error as driverError). */
const viaTypeorm = (error: Error) => new QueryFailedError('UPDATE points_accounts SET balance = $1', [1], error);

describe('classifying a handler failure', () => {
  it.each([
    ['serialization_failure', '40001'],
    ['deadlock_detected', '40P01'],
    ['lock_not_available', '55P03'],
    ['query_canceled (statement_timeout)', '57014'],
    ['admin_shutdown', '57P01'],
    ['crash_shutdown', '57P02'],
    ['cannot_connect_now', '57P03'],
    ['too_many_connections', '53300'],
    ['connection_exception', '08000'],
    ['connection_failure', '08006'],
    ['sqlclient_unable_to_establish_sqlconnection', '08001'],
  ])('retries %s (%s), raw and through TypeORM', (_name, code) => {
    expect(classifyFailure(pgError(code))).toBe('transient');
    expect(classifyFailure(viaTypeorm(pgError(code)))).toBe('transient');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'])(
    'retries a lost connection (%s)',
    (code) => {
      expect(classifyFailure(Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code }))).toBe('transient');
    },
  );

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
  ])('retries "%s"', (message) => {
    expect(classifyFailure(new Error(message))).toBe('transient');
    expect(classifyFailure(viaTypeorm(new Error(message)))).toBe('transient');
  });

  it('retries a handler that says its dependency is unavailable for now', () => {
    expect(classifyFailure(new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'database restarting'))).toBe('transient');
    expect(classifyFailure(new Error('wrapped', { cause: pgError('40001') }))).toBe('transient');
  });

  it.each([
    ['unique_violation', '23505'],
    ['foreign_key_violation', '23503'],
    ['check_violation', '23514'],
    ['not_null_violation', '23502'],
    ['invalid_text_representation', '22P02'],
    ['undefined_table', '42P01'],
  ])('gives up on %s (%s)', (_name, code) => {
    expect(classifyFailure(viaTypeorm(pgError(code)))).toBe('permanent');
  });

  it('gives up on a rule the handler enforces and on bugs', () => {
    expect(classifyFailure(new ConflictError('LAST_LEADER', 'the last leader cannot leave'))).toBe('permanent');
    expect(classifyFailure(new BadUserInputError('bad tier', 'tier'))).toBe('permanent');
    expect(classifyFailure(z.object({ a: z.string() }).safeParse({}).error)).toBe('permanent');
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('permanent');
    expect(classifyFailure('a string')).toBe('permanent');
    expect(classifyFailure(undefined)).toBe('permanent');
  });
});
