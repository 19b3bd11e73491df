import {
  MemberJoined,
  MemberLeft,
  MemberPromoted,
  OrganizationApproved,
  OrganizationStatusChanged,
  Outbox,
  PromotionCandidateRaised,
  PromotionDeclined,
} from '@taoyuan/events';
import type { EntityManager } from 'typeorm';
import type { EventIdentity, OrganizationEventSink } from '../domain/event-sink';
import type { MembershipRole } from '../domain/ladder';
import type { MembershipEntity } from '../entities/membership.entity';
import type { OrganizationEntity } from '../entities/organization.entity';
import type { PromotionCandidateEntity } from '../entities/promotion-candidate.entity';

export const organizationsOutbox = new Outbox('/taoyuan/organizations');

function required(value: Date | null, what: string): string {
  if (!value) throw new Error(`${what} is not set`);
  return value.toISOString();
}

function requiredId(value: string | null, what: string): string {
  if (!value) throw new Error(`${what} is not set`);
  return value;
}

/** What organizations tells the rest of the system. All public: ids, roles and times, never names or phones. */
export class OrganizationsEvents implements OrganizationEventSink {
  async organizationApproved(
    manager: EntityManager,
    organization: OrganizationEntity,
    identity: EventIdentity = {},
  ): Promise<void> {
    await organizationsOutbox.publish(
      manager,
      OrganizationApproved,
      {
        organizationId: organization.id,
        communityId: organization.communityId,
        name: organization.name,
        kind: organization.kind,
        approvedBy: requiredId(organization.approvedBy, 'approvedBy'),
        approvedAt: required(organization.approvedAt, 'approvedAt'),
      },
      { communityId: organization.communityId, id: identity.eventId },
    );
  }

  async organizationStatusChanged(
    manager: EntityManager,
    organization: OrganizationEntity,
    change: { from: OrganizationEntity['status']; changedBy: string },
  ): Promise<void> {
    await organizationsOutbox.publish(
      manager,
      OrganizationStatusChanged,
      {
        organizationId: organization.id,
        communityId: organization.communityId,
        fromStatus: change.from,
        toStatus: organization.status,
        changedBy: change.changedBy,
        changedAt: organization.updatedAt.toISOString(),
        statusVersion: organization.statusVersion,
      },
      { communityId: organization.communityId },
    );
  }

  async memberJoined(manager: EntityManager, membership: MembershipEntity, identity: EventIdentity = {}) {
    await organizationsOutbox.publish(
      manager,
      MemberJoined,
      {
        membershipId: membership.id,
        organizationId: membership.organizationId,
        userId: membership.userId,
        communityId: membership.communityId,
        role: membership.role,
        joinedAt: required(membership.joinedAt, 'joinedAt'),
        membershipVersion: membership.version,
      },
      { communityId: membership.communityId, id: identity.eventId },
    );
  }

  async memberLeft(manager: EntityManager, membership: MembershipEntity, reason: 'LEFT' | 'REMOVED') {
    await organizationsOutbox.publish(
      manager,
      MemberLeft,
      {
        membershipId: membership.id,
        organizationId: membership.organizationId,
        userId: membership.userId,
        communityId: membership.communityId,
        role: membership.role,
        reason,
        leftAt: required(membership.endedAt, 'endedAt'),
        membershipVersion: membership.version,
      },
      { communityId: membership.communityId },
    );
  }

  async memberPromoted(
    manager: EntityManager,
    membership: MembershipEntity,
    change: { fromRole: MembershipRole; toRole: MembershipRole; decidedBy: string; decidedAt: Date },
    identity: EventIdentity = {},
  ) {
    await organizationsOutbox.publish(
      manager,
      MemberPromoted,
      {
        membershipId: membership.id,
        organizationId: membership.organizationId,
        userId: membership.userId,
        communityId: membership.communityId,
        fromRole: change.fromRole,
        toRole: change.toRole,
        decidedBy: change.decidedBy,
        decidedAt: change.decidedAt.toISOString(),
        membershipVersion: membership.version,
      },
      { communityId: membership.communityId, id: identity.eventId },
    );
  }

  async promotionCandidateRaised(manager: EntityManager, candidate: PromotionCandidateEntity) {
    await organizationsOutbox.publish(
      manager,
      PromotionCandidateRaised,
      {
        candidateId: candidate.id,
        membershipId: candidate.membershipId,
        organizationId: candidate.organizationId,
        userId: candidate.userId,
        communityId: candidate.communityId,
        fromRole: candidate.fromRole,
        targetRole: candidate.targetRole,
        raisedAt: candidate.raisedAt.toISOString(),
      },
      { communityId: candidate.communityId },
    );
  }

  async promotionDeclined(manager: EntityManager, candidate: PromotionCandidateEntity) {
    await organizationsOutbox.publish(
      manager,
      PromotionDeclined,
      {
        candidateId: candidate.id,
        membershipId: candidate.membershipId,
        organizationId: candidate.organizationId,
        userId: candidate.userId,
        communityId: candidate.communityId,
        targetRole: candidate.targetRole,
        decidedBy: requiredId(candidate.decidedBy, 'decidedBy'),
        decidedAt: required(candidate.decidedAt, 'decidedAt'),
      },
      { communityId: candidate.communityId },
    );
  }
}
