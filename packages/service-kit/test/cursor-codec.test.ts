import { cursorCodec, pageArgs, sequenceCursor, textAndIdCursor, timeAndIdCursor, z } from '../src';

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const ID = '6f1c2d3e-0000-4000-8002-000000000011';

describe('cursor codec', () => {
  it('round-trips what toConnection encodes', () => {
    expect(timeAndIdCursor.decode(timeAndIdCursor.encode([1_764_600_000_000, ID]))).toEqual([1_764_600_000_000, ID]);
    expect(textAndIdCursor.decode(textAndIdCursor.encode(['桃源居志愿队', ID]))).toEqual(['桃源居志愿队', ID]);
    expect(sequenceCursor.decode(sequenceCursor.encode(['42']))).toEqual(['42']);
  });

  it.each([
    ['garbage', '!!!not-base64 at all%%%'],
    ['base64 of something that is not JSON', base64url('[1, "a"')],
    ['valid base64 JSON of the wrong shape', base64url(JSON.stringify({ createdAt: 1, id: ID }))],
    ['too few elements', base64url(JSON.stringify([1_764_600_000_000]))],
    ['wrong types: a string for the time', base64url(JSON.stringify(['yesterday', ID]))],
    ['wrong types: a number for the id', base64url(JSON.stringify([1_764_600_000_000, 7]))],
    ['an id that is not a UUID', base64url(JSON.stringify([1_764_600_000_000, "x' OR 1=1 --"]))],
    ['a time no Date can hold', base64url(JSON.stringify([1e300, ID]))],
    ['a fractional time', base64url(JSON.stringify([1.5, ID]))],
  ])('refuses %s with BAD_USER_INPUT on `after`', (_label, cursor) => {
    expect(() => pageArgs(10, cursor, timeAndIdCursor)).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }),
    );
  });

  it('refuses a sequence that is not a decimal string', () => {
    for (const value of [[42], ['1; DROP TABLE memberships'], ['-1'], []])
      expect(() => sequenceCursor.decode(base64url(JSON.stringify(value)))).toThrow(
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }),
      );
  });

  it('checks whatever schema a list declares', () => {
    const codec = cursorCodec(z.object({ rank: z.number().int(), id: z.string() }));
    expect(codec.decode(codec.encode({ rank: 3, id: 'a' }))).toEqual({ rank: 3, id: 'a' });
    expect(() => codec.decode(codec.encode({ rank: '3', id: 'a' } as never))).toThrow(/not a valid cursor/);
  });

  it('still validates first', () => {
    expect(pageArgs(undefined, null, timeAndIdCursor)).toEqual({ limit: 20, after: null });
    expect(() => pageArgs(101, null, timeAndIdCursor)).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } }),
    );
  });
});
