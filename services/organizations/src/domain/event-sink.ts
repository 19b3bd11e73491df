import type { EntityManager } from 'typeorm';
import type { MembershipEntity } from '../entities/membership.entity';
import type { PromotionCandidateEntity } from '../entities/promotion-candidate.entity';
import type { OrganizationEntity } from '../entities/organization.entity';
import type { MembershipRole } from './ladder';

/** Fixes an event's id, so that writing the same fact twice (re-seeding) is recognisable as the same event. */
export interface EventIdentity {
  eventId?: string;
}

/** What the organizations domain announces; written inside the state change's transaction (the outbox). */
export interface OrganizationEventSink {
  organizationApproved(
    manager: EntityManager,
    organization: OrganizationEntity,
    identity?: EventIdentity,
  ): Promise<void>;
  organizationStatusChanged(
    manager: EntityManager,
    organization: OrganizationEntity,
    change: { from: OrganizationEntity['status']; changedBy: string },
  ): Promise<void>;
  memberJoined(manager: EntityManager, membership: MembershipEntity, identity?: EventIdentity): Promise<void>;
  memberLeft(manager: EntityManager, membership: MembershipEntity, reason: 'LEFT' | 'REMOVED'): Promise<void>;
  memberPromoted(
    manager: EntityManager,
    membership: MembershipEntity,
    change: { fromRole: MembershipRole; toRole: MembershipRole; decidedBy: string; decidedAt: Date },
    identity?: EventIdentity,
  ): Promise<void>;
  promotionCandidateRaised(manager: EntityManager, candidate: PromotionCandidateEntity): Promise<void>;
  promotionDeclined(manager: EntityManager, candidate: PromotionCandidateEntity): Promise<void>;
}
