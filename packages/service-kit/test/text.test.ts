import { assertCleanText, normalizeName } from '../src/text';

const fieldOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as { extensions?: { code?: string; field?: string } }).extensions;
  }
  return undefined;
};

describe('normalizeName', () => {
  it('keeps any script and emoji, NFC-normalises and trims', () => {
    expect(normalizeName('  欧阳娜娜·桃源居🌸 ', { field: 'displayName', max: 40 })).toBe('欧阳娜娜·桃源居🌸');
    expect(normalizeName('Jose\u0301', { field: 'displayName', max: 40 })).toBe('José');
    expect(normalizeName('ئۇيغۇر', { field: 'displayName', max: 40 })).toBe('ئۇيغۇر');
  });

  it.each([
    ['a zero-width space', '王\u200B芳'],
    ['a zero-width joiner', '王\u200D芳'],
    ['a right-to-left override', '王\u202E芳'],
    ['a bidi isolate', '\u2067王芳\u2069'],
    ['a soft hyphen', '王\u00AD芳'],
    ['a byte order mark inside', '王\uFEFF芳'],
    ['a control character', '王\u0007芳'],
    ['a newline', '王\n芳'],
    ['a lone surrogate', '王\uD800芳'],
    ['a line separator', '王\u2028芳'],
  ])('refuses %s with BAD_USER_INPUT naming the field', (_label, input) => {
    expect(fieldOf(() => normalizeName(input, { field: 'displayName', max: 40 }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'displayName',
    });
  });

  it('counts code points, not UTF-16 units, against min and max', () => {
    expect(normalizeName('🌸'.repeat(40), { field: 'name', max: 40 })).toHaveLength(80);
    expect(fieldOf(() => normalizeName('桃'.repeat(41), { field: 'name', max: 40 }))?.field).toBe('name');
    expect(fieldOf(() => normalizeName('   ', { field: 'name', max: 40 }))?.field).toBe('name');
    expect(fieldOf(() => normalizeName('桃', { field: 'name', max: 40, min: 2 }))?.field).toBe('name');
  });
});

describe('assertCleanText', () => {
  it('allows newlines and tabs only when multi-line text is expected', () => {
    expect(() => assertCleanText('第一行\n\t第二行', 'description', { multiline: true })).not.toThrow();
    expect(fieldOf(() => assertCleanText('第一行\n第二行', 'title'))?.field).toBe('title');
    expect(fieldOf(() => assertCleanText('第一行\u202E', 'description', { multiline: true }))?.field).toBe(
      'description',
    );
  });
});
