import {
  MarketplaceIncomeRecorded,
  MemberJoined,
  MemberLeft,
  MemberPromoted,
  on,
  ResidenceChanged,
  type EventHandler,
} from '@taoyuan/events';
import type { EntityManager } from 'typeorm';
import type { Ledger } from '../domain/ledger';
import { Direction, FundKind, IncomeCategory } from '../domain/vocabulary';

/** Applies one membership fact when it is newer than what the projection holds (Kafka orders only per partition). */
async function applyMembership(
  manager: EntityManager,
  fact: {
    membershipId: string;
    organizationId: string;
    userId: string;
    communityId: string;
    membershipVersion: number;
  },
  role: string | null,
  active: boolean,
): Promise<void> {
  await manager.query(
    `INSERT INTO organization_members (membership_id, organization_id, user_id, community_id, role, active, membership_version)
     VALUES ($1, $2, $3, $4, COALESCE($5, 'MEMBER'), $6, $7)
     ON CONFLICT (membership_id) DO UPDATE
       SET role = COALESCE($5, organization_members.role), active = EXCLUDED.active,
           membership_version = EXCLUDED.membership_version
     WHERE organization_members.membership_version < EXCLUDED.membership_version`,
    [fact.membershipId, fact.organizationId, fact.userId, fact.communityId, role, active, fact.membershipVersion],
  );
}

/**
 * What assets consumes. Each handler runs inside the inbox transaction, so a redelivered event has no second effect;
 * the shared consumer already refuses event types from any producer but their catalogue one.
 */
export function assetsHandlers(ledger: Ledger): EventHandler[] {
  return [
    on(MarketplaceIncomeRecorded, async ({ payload }, manager) => {
      // Community-run business income belongs to the PUBLIC_WELFARE fund; the income id is the entry's unique
      // source, so even a copy of the event under a new event id pays once.
      if (payload.amountFen <= 0) return;
      const fund = await ledger.generalFund(manager, payload.communityId, FundKind.PUBLIC_WELFARE);
      await ledger.appendOnce(manager, {
        fundId: fund.id,
        communityId: payload.communityId,
        direction: Direction.IN,
        category: IncomeCategory.SERVICE_BUSINESS_INCOME,
        amountFen: payload.amountFen,
        source: { type: 'MARKETPLACE_INCOME', id: payload.incomeId },
        memo: `社区服务经营收入（${payload.category}）`.slice(0, 500),
        recordedBy: null,
        approvedBy: null,
        occurredAt: new Date(Math.min(Date.parse(payload.recordedAt), Date.now())),
      });
    }),
    on(ResidenceChanged, async ({ payload }, manager) => {
      await manager.query(
        `INSERT INTO household_residents (user_id, community_id, household_id, status, residence_version)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE
           SET community_id = EXCLUDED.community_id, household_id = EXCLUDED.household_id,
               status = EXCLUDED.status, residence_version = EXCLUDED.residence_version
         WHERE household_residents.residence_version < EXCLUDED.residence_version`,
        [payload.userId, payload.communityId, payload.householdId, payload.status, payload.residenceVersion],
      );
    }),
    on(MemberJoined, ({ payload }, manager) => applyMembership(manager, payload, payload.role, true)),
    on(MemberPromoted, ({ payload }, manager) => applyMembership(manager, payload, payload.toRole, true)),
    on(MemberLeft, ({ payload }, manager) => applyMembership(manager, payload, null, false)),
  ];
}
