import { AppError } from '@taoyuan/service-kit';
import { requireSearchTerm, textCondition } from '../src/domain/input';
import { requirePrice } from '../src/domain/offering.service';
import { maskContact } from '../src/resolvers/provider.resolver';

const fieldOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error.extensions.field;
    throw error;
  }
  throw new Error('expected BAD_USER_INPUT');
};

describe('prices', () => {
  it('free, points, cash or several (the buyer picks); never none, never zero or negative', () => {
    expect(requirePrice({ free: true })).toEqual({ free: true, pricePoints: null, priceFen: null });
    expect(requirePrice({ free: true, pricePoints: 20 })).toEqual({ free: true, pricePoints: 20, priceFen: null });
    expect(requirePrice({ pricePoints: 200, priceFen: 5000 })).toEqual({
      free: false,
      pricePoints: 200,
      priceFen: 5000,
    });
    expect(fieldOf(() => requirePrice({}))).toBe('pricePoints');
    expect(fieldOf(() => requirePrice({ pricePoints: -1 }))).toBe('pricePoints');
    expect(fieldOf(() => requirePrice({ priceFen: 0 }))).toBe('priceFen');
    expect(fieldOf(() => requirePrice({ priceFen: 12.5 }))).toBe('priceFen');
  });
});

describe('Chinese text search', () => {
  it('two characters use the bigram index, three or more the trigram index; wildcards are literal', () => {
    const parameters: unknown[] = [];
    expect(textCondition(requireSearchTerm(' 陪诊 '), 'o', parameters)).toBe('o.search_bigrams @> $1::text[]');
    expect(textCondition(requireSearchTerm('点半课'), 'o', parameters)).toBe('o.search_text LIKE $2');
    expect(textCondition(requireSearchTerm('100%_'), 'o', parameters)).toBe('o.search_text LIKE $3');
    expect(parameters).toEqual([['陪诊'], '%点半课%', '%100\\%\\_%']);
  });

  it('one character, or an invisible one, is BAD_USER_INPUT', () => {
    expect(fieldOf(() => requireSearchTerm('课'))).toBe('text');
    expect(fieldOf(() => requireSearchTerm('陪\u200B诊'))).toBe('text');
  });
});

describe('contact masking', () => {
  it('keeps too little to call: the first three and last two characters', () => {
    expect(maskContact('13800000014')).toBe('138****14');
    expect(maskContact('0755-27880002')).toBe('075****02');
    expect(maskContact('活动室')).toBe('****');
  });
});
