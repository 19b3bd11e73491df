import { GraphQLError } from 'graphql';
import pino from 'pino';
import { ConflictError, createErrorFormatter, ErrorCode, ForbiddenError, httpStatusFor } from '../src';

describe('error codes', () => {
  it.each(Object.values(ErrorCode))('%s maps to an HTTP error status', (code) => {
    const status = httpStatusFor(code);
    expect(Number.isInteger(status)).toBe(true);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
  });
});

describe('error formatter', () => {
  const format = createErrorFormatter(pino({ level: 'silent' }));

  it.each([
    ['FORBIDDEN', new ForbiddenError('LAST_LEADER', 'no')],
    ['CONFLICT', new ConflictError('SHIFT_FULL', 'full')],
  ])('passes a %s reason through', (code, error) => {
    const formatted = format({ message: error.message, extensions: { ...error.extensions } }, error);
    expect(formatted.extensions).toEqual(expect.objectContaining({ code, reason: error.reason }));
  });

  it('passes the reason of an error a subgraph sent through the gateway (no AppError instance there)', () => {
    const fromSubgraph = new GraphQLError('no', {
      extensions: { code: 'FORBIDDEN', reason: 'GATEWAY_ONLY', http: { status: 403 }, stacktrace: ['at x'] },
    });
    const formatted = format({ message: 'no', extensions: fromSubgraph.extensions }, fromSubgraph);
    expect(formatted.extensions).toEqual({ code: 'FORBIDDEN', reason: 'GATEWAY_ONLY' });
  });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR', () => {
    const formatted = format(
      { message: 'relation "x" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      new Error('boom'),
    );
    expect(formatted).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
