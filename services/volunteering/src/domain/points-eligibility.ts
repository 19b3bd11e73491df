/**
 * Which earned points count toward tiers (decision 0007): those earned while the resident's household was confirmed,
 * and those held before, once a confirmation releases them. Pure arithmetic on the account, so the ledger and the
 * unit tests share one rule.
 */
export interface TierCounting {
  /** Everything earned (balance aside); only a reversal lowers it. */
  lifetimeEarned: number;
  /** The part of lifetimeEarned that counts toward tiers. */
  tierPoints: number;
}

/** Points earned but not counted toward tiers yet. */
export function heldPoints(account: TierCounting): number {
  return account.lifetimeEarned - account.tierPoints;
}

/** After an earning: it counts only while the residence is confirmed; otherwise it is held. */
export function afterEarning(account: TierCounting, points: number, residenceConfirmed: boolean): TierCounting {
  return {
    lifetimeEarned: account.lifetimeEarned + points,
    tierPoints: residenceConfirmed ? account.tierPoints + points : account.tierPoints,
  };
}

/** After a confirmation: everything held counts. */
export function afterConfirmation(account: TierCounting): TierCounting {
  return { lifetimeEarned: account.lifetimeEarned, tierPoints: account.lifetimeEarned };
}

/**
 * After reversing a wrong earning of `points`: lifetime drops by it (never below zero); tier points drop too unless
 * the wrong entry is still held (it never counted).
 */
export function afterReversal(account: TierCounting, points: number, stillHeld: boolean): TierCounting {
  const lifetimeEarned = Math.max(0, account.lifetimeEarned - points);
  const tierPoints = stillHeld ? account.tierPoints : Math.max(0, account.tierPoints - points);
  return { lifetimeEarned, tierPoints: Math.min(lifetimeEarned, tierPoints) };
}
