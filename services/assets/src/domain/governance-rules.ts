/** Approvals an expense needs: two committee members above the threshold, one otherwise. */
export function approvalsRequired(amountFen: number, secondApprovalAboveFen: number): 1 | 2 {
  return amountFen > secondApprovalAboveFen ? 2 : 1;
}

export interface VoteTally {
  yes: number;
  no: number;
  abstain: number;
  /** Confirmed households of the community when the vote closed. */
  householdsEligible: number;
  quorumPercent: number;
}

/**
 * A household vote passes when enough households took part (ABSTAIN counts toward the quorum: the household voted)
 * and more said YES than NO. The quorum is rounded up, so 30% of 7 households is 3.
 */
export function votePasses(tally: VoteTally): boolean {
  const voted = tally.yes + tally.no + tally.abstain;
  const quorum = Math.ceil((tally.householdsEligible * tally.quorumPercent) / 100);
  return tally.householdsEligible > 0 && voted >= Math.max(quorum, 1) && tally.yes > tally.no;
}
