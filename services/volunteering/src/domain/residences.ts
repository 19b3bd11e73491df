import { applyIfNewer, type OrderedProjection } from '@taoyuan/events';
import type { EntityManager } from 'typeorm';

export type ResidenceStatus = 'CONFIRMED' | 'REJECTED' | 'REVOKED';

export interface ResidenceFact {
  userId: string;
  communityId: string;
  householdId: string | null;
  status: ResidenceStatus;
  residenceVersion: number;
  changedBy: string | null;
  changedAt: string;
}

type ResidenceRow = {
  user_id: string;
  community_id: string;
  household_id: string | null;
  status: ResidenceStatus;
  residence_version: number;
  changed_by: string | null;
  changed_at: string;
};

const RESIDENCES: OrderedProjection<ResidenceRow> = {
  table: 'residences',
  key: ['user_id'],
  version: 'residence_version',
};

/**
 * The projection of identity.residence.changed (decision 0007): points count toward tiers only while a grid worker
 * or committee member has confirmed that the resident lives in a household of the account's community.
 */
export const residences = {
  /** Applies the fact if it is newer than the one held; true when it was. */
  apply(manager: EntityManager, fact: ResidenceFact): Promise<boolean> {
    return applyIfNewer(manager, RESIDENCES, {
      user_id: fact.userId,
      community_id: fact.communityId,
      household_id: fact.householdId,
      status: fact.status,
      residence_version: fact.residenceVersion,
      changed_by: fact.changedBy,
      changed_at: fact.changedAt,
    });
  },

  async isConfirmed(manager: EntityManager, userId: string, communityId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM residences WHERE user_id = $1 AND community_id = $2 AND status = 'CONFIRMED'`,
      [userId, communityId],
    );
    return rows.length > 0;
  },

  /** `isConfirmed` for many residents at once: the `userId:communityId` keys that are confirmed. */
  async confirmedAmong(
    manager: EntityManager,
    residents: readonly { userId: string; communityId: string }[],
  ): Promise<Set<string>> {
    const rows: { user_id: string; community_id: string }[] = await manager.query(
      `SELECT user_id, community_id FROM residences WHERE user_id = ANY($1) AND status = 'CONFIRMED'`,
      [[...new Set(residents.map((resident) => resident.userId))]],
    );
    return new Set(rows.map((row) => `${row.user_id}:${row.community_id}`));
  },
};
