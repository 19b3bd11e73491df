import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, type Caller } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { MembershipEntity } from '../entities/membership.entity';
import { PromotionCandidateEntity } from '../entities/promotion-candidate.entity';
import { ResidentTierEntity } from '../entities/resident-tier.entity';
import type { OrganizationEventSink } from './event-sink';
import {
  highestRoleForTier,
  MembershipRole,
  MembershipStatus,
  PromotionStatus,
  promotionTarget,
  type Tier,
} from './ladder';
import type { LeaderLimit } from './leader-limit';
import { normaliseReason } from './organization-input';
import { requirePromotionDecider } from './organization-policy';
import {
  countActiveLeaders,
  findOpenMembership,
  lockMembership,
  lockOrganization,
  lockResident,
  recordRoleChange,
  requireActive,
  updateMembership,
} from './records';

export interface TierReachedFact {
  userId: string;
  communityId: string;
  tier: Tier;
  lifetimeEarned: number;
  reachedAt: string;
}

/**
 * The ladder in motion: tiers arrive from volunteering, become candidates on the resident's active memberships, and
 * are approved (the membership moves up one step) or declined.
 */
export class PromotionService {
  constructor(
    private readonly db: DataSource,
    private readonly events: OrganizationEventSink,
    private readonly leaderLimit: LeaderLimit,
  ) {}

  /**
   * points.tier-reached, inside the inbox transaction. The projection keeps the highest tier; a tier that is not
   * higher than the one on record (a late or repeated event) changes nothing and raises nothing.
   */
  async onTierReached(manager: EntityManager, fact: TierReachedFact, eventId: string): Promise<void> {
    await lockResident(manager, fact.userId);
    const raised: { user_id: string }[] = await manager.query(
      `INSERT INTO resident_tiers AS current (user_id, community_id, tier, lifetime_earned, reached_at, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (user_id) DO UPDATE
         SET tier = EXCLUDED.tier, lifetime_earned = EXCLUDED.lifetime_earned,
             reached_at = EXCLUDED.reached_at, source_event_id = EXCLUDED.source_event_id
         WHERE array_position($7::text[], EXCLUDED.tier) > array_position($7::text[], current.tier)
       RETURNING user_id`,
      [
        fact.userId,
        fact.communityId,
        fact.tier,
        fact.lifetimeEarned,
        fact.reachedAt,
        eventId,
        ['VOLUNTEER', 'ACTIVIST', 'BACKBONE', 'LEADER'],
      ],
    );
    if (raised.length === 0) return;
    const tier = await manager.findOneByOrFail(ResidentTierEntity, { userId: fact.userId });
    const memberships = await manager.find(MembershipEntity, {
      where: { userId: fact.userId, communityId: fact.communityId, status: MembershipStatus.ACTIVE },
      order: { seq: 'ASC' },
    });
    for (const membership of memberships) await this.raiseIfEligible(manager, membership, tier);
  }

  /**
   * Offers the membership its next step if the resident's tier allows it and no candidate is open. A step already
   * raised from the same tier event (and perhaps declined) is not raised again: only a new tier brings it back.
   * Callers hold the resident lock.
   */
  async raiseIfEligible(
    manager: EntityManager,
    membership: MembershipEntity,
    knownTier?: ResidentTierEntity | null,
  ): Promise<PromotionCandidateEntity | null> {
    if (membership.status !== MembershipStatus.ACTIVE) return null;
    const tier =
      knownTier === undefined ? await manager.findOneBy(ResidentTierEntity, { userId: membership.userId }) : knownTier;
    if (!tier || tier.communityId !== membership.communityId) return null;
    const target = promotionTarget(membership.role, tier.tier);
    if (!target) return null;
    const open = await manager.existsBy(PromotionCandidateEntity, {
      membershipId: membership.id,
      status: PromotionStatus.ELIGIBLE,
    });
    if (open) return null;
    // A decline holds for the resident, the organization and the step, for as long as the tier that raised it:
    // leaving and rejoining (a new membership) does not bring it back; only a new tier does.
    const declined = await manager.existsBy(PromotionCandidateEntity, {
      userId: membership.userId,
      organizationId: membership.organizationId,
      targetRole: target,
      sourceEventId: tier.sourceEventId,
      status: PromotionStatus.DECLINED,
    });
    if (declined) return null;
    const id = randomUUID();
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO promotion_candidates
         (id, community_id, organization_id, membership_id, user_id, from_role, target_role, eligible_up_to, status,
          source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ELIGIBLE', $9)
       ON CONFLICT (membership_id, target_role, source_event_id) DO NOTHING
       RETURNING id`,
      [
        id,
        membership.communityId,
        membership.organizationId,
        membership.id,
        membership.userId,
        membership.role,
        target,
        highestRoleForTier(tier.tier),
        tier.sourceEventId,
      ],
    );
    if (inserted.length === 0) return null;
    const candidate = await manager.findOneByOrFail(PromotionCandidateEntity, { id });
    await this.events.promotionCandidateRaised(manager, candidate);
    return candidate;
  }

  /** When a membership ends, its open candidate closes without a decision. */
  async supersedeOpenCandidates(manager: EntityManager, membershipId: string): Promise<void> {
    await manager.update(
      PromotionCandidateEntity,
      { membershipId, status: PromotionStatus.ELIGIBLE },
      { status: PromotionStatus.SUPERSEDED, decidedAt: new Date() },
    );
  }

  async approve(caller: Caller, candidateId: string): Promise<PromotionCandidateEntity> {
    return this.db.transaction(async (manager) => {
      const { candidate, membership } = await this.lockForDecision(manager, caller, candidateId);
      if (candidate.targetRole === MembershipRole.LEADER) {
        const limit = await this.leaderLimit.forCommunity(manager, candidate.communityId);
        const leaders = await countActiveLeaders(manager, candidate.organizationId);
        if (leaders >= limit)
          throw new ConflictError(
            'LEADER_LIMIT',
            `This organization already has ${leaders} leader(s), the most its community allows (${limit})`,
          );
      }
      const decidedAt = new Date();
      const fromRole = membership.role;
      await updateMembership(manager, membership, { role: candidate.targetRole });
      await recordRoleChange(manager, membership, {
        fromRole,
        toRole: membership.role,
        changedBy: caller.userId,
        reason: 'promotion approved',
        candidateId: candidate.id,
      });
      Object.assign(candidate, { status: PromotionStatus.APPROVED, decidedBy: caller.userId, decidedAt });
      await manager.update(
        PromotionCandidateEntity,
        { id: candidate.id },
        { status: candidate.status, decidedBy: caller.userId, decidedAt },
      );
      await this.events.memberPromoted(manager, membership, {
        fromRole,
        toRole: membership.role,
        decidedBy: caller.userId,
        decidedAt,
      });
      // The tier may allow more than one step: the next one becomes eligible right away.
      await this.raiseIfEligible(manager, membership);
      return candidate;
    });
  }

  async decline(caller: Caller, candidateId: string, reason: string): Promise<PromotionCandidateEntity> {
    const declineReason = normaliseReason(reason);
    return this.db.transaction(async (manager) => {
      const { candidate } = await this.lockForDecision(manager, caller, candidateId);
      const decidedAt = new Date();
      Object.assign(candidate, {
        status: PromotionStatus.DECLINED,
        decidedBy: caller.userId,
        decidedAt,
        declineReason,
      });
      await manager.update(
        PromotionCandidateEntity,
        { id: candidate.id },
        { status: candidate.status, decidedBy: caller.userId, decidedAt, declineReason },
      );
      await this.events.promotionDeclined(manager, candidate);
      return candidate;
    });
  }

  /** Locks organization, membership and candidate (in that order), then checks the caller may decide it. */
  private async lockForDecision(manager: EntityManager, caller: Caller, candidateId: string) {
    const unlocked = await manager.findOneBy(PromotionCandidateEntity, { id: candidateId });
    if (!unlocked) throw new NotFoundError('Promotion candidate', candidateId);
    const organization = await lockOrganization(manager, unlocked.organizationId);
    const callerMembership = await findOpenMembership(manager, organization.id, caller.userId);
    requirePromotionDecider(caller, organization, callerMembership, unlocked);
    await lockResident(manager, unlocked.userId);
    const membership = await lockMembership(manager, unlocked.membershipId);
    const candidate = await manager.findOne(PromotionCandidateEntity, {
      where: { id: candidateId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!candidate || candidate.status !== PromotionStatus.ELIGIBLE)
      throw new ConflictError(
        'ALREADY_DECIDED',
        `This promotion was already ${candidate?.status.toLowerCase() ?? 'closed'}`,
      );
    requireActive(organization);
    if (membership.status !== MembershipStatus.ACTIVE || membership.role !== candidate.fromRole)
      throw new ConflictError('MEMBERSHIP_CHANGED', 'The membership changed since this promotion was raised');
    return { organization, membership, candidate };
  }
}
