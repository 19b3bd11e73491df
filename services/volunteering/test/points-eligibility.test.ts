import {
  afterConfirmation,
  afterEarning,
  afterReversal,
  heldPoints,
  type TierCounting,
} from '../src/domain/points-eligibility';

/** Decision 0007 as arithmetic: no database, no service. */
describe('which points count toward tiers', () => {
  const fresh: TierCounting = { lifetimeEarned: 0, tierPoints: 0 };

  it('points earned before the household is confirmed are held, then all count from the confirmation on', () => {
    const unconfirmed = afterEarning(afterEarning(fresh, 60, false), 40, false);
    expect(unconfirmed).toEqual({ lifetimeEarned: 100, tierPoints: 0 });
    expect(heldPoints(unconfirmed)).toBe(100);
    const confirmed = afterConfirmation(unconfirmed);
    expect(confirmed).toEqual({ lifetimeEarned: 100, tierPoints: 100 });
    expect(afterEarning(confirmed, 30, true)).toEqual({ lifetimeEarned: 130, tierPoints: 130 });
  });

  it('a revocation keeps what counted and holds what follows; a second confirmation releases it', () => {
    const revoked = afterEarning({ lifetimeEarned: 100, tierPoints: 100 }, 450, false);
    expect(revoked).toEqual({ lifetimeEarned: 550, tierPoints: 100 });
    expect(afterConfirmation(revoked)).toEqual({ lifetimeEarned: 550, tierPoints: 550 });
  });

  it('a reversal lowers tier points only for an entry that counted, and never below zero or above lifetime', () => {
    const account = { lifetimeEarned: 150, tierPoints: 100 };
    expect(afterReversal(account, 50, true)).toEqual({ lifetimeEarned: 100, tierPoints: 100 });
    expect(afterReversal(account, 30, false)).toEqual({ lifetimeEarned: 120, tierPoints: 70 });
    expect(afterReversal({ lifetimeEarned: 20, tierPoints: 20 }, 50, false)).toEqual({
      lifetimeEarned: 0,
      tierPoints: 0,
    });
    expect(afterReversal({ lifetimeEarned: 60, tierPoints: 50 }, 40, true)).toEqual({
      lifetimeEarned: 20,
      tierPoints: 20,
    });
  });
});
