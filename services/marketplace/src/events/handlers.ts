import {
  MemberJoined,
  MemberLeft,
  MemberPromoted,
  on,
  PointsDebited,
  PointsDebitRejected,
  PointsRefunded,
  ResidenceChanged,
  type EventHandler,
} from '@taoyuan/events';
import type { Logger } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';
import type { NeedService } from '../domain/need.service';
import type { OrderService } from '../domain/order.service';

interface MembershipFact {
  membershipId: string;
  organizationId: string;
  userId: string;
  communityId: string;
  role: string;
  active: boolean;
  membershipVersion: number;
}

/**
 * Last writer wins on the membership's version: Kafka orders only within one partition of one topic, so a joined,
 * promoted and left event of one membership may arrive in any order, and only the newest fact may stand.
 */
async function applyMembership(manager: EntityManager, fact: MembershipFact): Promise<void> {
  await manager.query(
    `INSERT INTO organization_memberships
       (membership_id, organization_id, user_id, community_id, role, active, membership_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (membership_id) DO UPDATE
       SET role = CASE WHEN EXCLUDED.active THEN EXCLUDED.role ELSE organization_memberships.role END,
           active = EXCLUDED.active, membership_version = EXCLUDED.membership_version,
           updated_at = clock_timestamp()
     WHERE organization_memberships.membership_version < EXCLUDED.membership_version`,
    [
      fact.membershipId,
      fact.organizationId,
      fact.userId,
      fact.communityId,
      fact.role,
      fact.active,
      fact.membershipVersion,
    ],
  );
}

/**
 * What marketplace consumes: volunteering's answers in the points saga, organizations' membership facts (who leads
 * an organization, for SOCIAL_ORGANIZATION providers) and identity's residence facts (a household does not claim
 * its own need). Each runs inside the inbox transaction, so a redelivered event has no second effect.
 */
export function marketplaceHandlers(orders: OrderService, needs: NeedService, logger: Logger): EventHandler[] {
  return [
    on(PointsDebited, async ({ payload, envelope }, manager) => {
      if (payload.sourceType === 'ORDER') await orders.onDebited(manager, payload, envelope.id, logger);
      else await needs.onDebited(manager, payload, envelope.id, logger);
    }),
    on(PointsDebitRejected, async ({ payload, envelope }, manager) => {
      if (payload.sourceType === 'ORDER') await orders.onDebitRejected(manager, payload, envelope.id, logger);
      else await needs.onDebitRejected(manager, payload, envelope.id, logger);
    }),
    on(PointsRefunded, async ({ payload }, manager) => {
      if (payload.sourceType === 'ORDER') await orders.onRefunded(manager, payload, logger);
    }),
    on(MemberJoined, ({ payload }, manager) => applyMembership(manager, { ...payload, active: true })),
    on(MemberPromoted, ({ payload }, manager) =>
      applyMembership(manager, { ...payload, role: payload.toRole, active: true }),
    ),
    on(MemberLeft, ({ payload }, manager) => applyMembership(manager, { ...payload, active: false })),
    on(ResidenceChanged, async ({ payload }, manager) => {
      await manager.query(
        `INSERT INTO residences (user_id, community_id, household_id, residence_version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE
           SET community_id = EXCLUDED.community_id, household_id = EXCLUDED.household_id,
               residence_version = EXCLUDED.residence_version, updated_at = clock_timestamp()
         WHERE residences.residence_version < EXCLUDED.residence_version`,
        [
          payload.userId,
          payload.communityId,
          payload.status === 'CONFIRMED' ? payload.householdId : null,
          payload.residenceVersion,
        ],
      );
    }),
  ];
}
