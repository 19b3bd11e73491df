import {
  MemberJoined,
  MemberLeft,
  MemberPromoted,
  on,
  PointsDebited,
  PointsDebitRejected,
  PointsRefunded,
  ResidenceChanged,
  versionedUpsert,
  type EventHandler,
  type OrderedProjection,
} from '@taoyuan/events';
import type { Logger } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';
import type { NeedService } from '../domain/need.service';
import type { OrderService } from '../domain/order.service';

interface MembershipRow extends Record<string, unknown> {
  membership_id: string;
  organization_id: string;
  user_id: string;
  community_id: string;
  role: string;
  active: boolean;
  membership_version: number;
}

interface ResidenceRow extends Record<string, unknown> {
  user_id: string;
  community_id: string;
  household_id: string | null;
  residence_version: number;
}

/**
 * Last writer wins on the membership's version: Kafka orders only within one partition of one topic, so a joined,
 * promoted and left event of one membership may arrive in any order, and only the newest fact may stand.
 */
const MEMBERSHIPS: OrderedProjection<MembershipRow> = {
  table: 'organization_memberships',
  key: ['membership_id'],
  version: 'membership_version',
};
const RESIDENCES: OrderedProjection<ResidenceRow> = {
  table: 'residences',
  key: ['user_id'],
  version: 'residence_version',
};

async function apply<Row extends Record<string, unknown>>(
  manager: EntityManager,
  projection: OrderedProjection<Row>,
  row: Row,
): Promise<void> {
  const { sql, parameters } = versionedUpsert(projection, row);
  await manager.query(sql, parameters);
}

const membership = (
  fact: {
    membershipId: string;
    organizationId: string;
    userId: string;
    communityId: string;
    membershipVersion: number;
  },
  role: string,
  active: boolean,
): MembershipRow => ({
  membership_id: fact.membershipId,
  organization_id: fact.organizationId,
  user_id: fact.userId,
  community_id: fact.communityId,
  role,
  active,
  membership_version: fact.membershipVersion,
});

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
    on(MemberJoined, ({ payload }, manager) => apply(manager, MEMBERSHIPS, membership(payload, payload.role, true))),
    on(MemberPromoted, ({ payload }, manager) =>
      apply(manager, MEMBERSHIPS, membership(payload, payload.toRole, true)),
    ),
    on(MemberLeft, ({ payload }, manager) => apply(manager, MEMBERSHIPS, membership(payload, payload.role, false))),
    on(ResidenceChanged, ({ payload }, manager) =>
      apply(manager, RESIDENCES, {
        user_id: payload.userId,
        community_id: payload.communityId,
        household_id: payload.status === 'CONFIRMED' ? payload.householdId : null,
        residence_version: payload.residenceVersion,
      }),
    ),
  ];
}
