import { randomUUID } from 'node:crypto';
import { BadUserInputError, ConflictError, isUniqueViolation, NotFoundError, type Caller } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { MembershipEntity } from '../entities/membership.entity';
import type { OrganizationEntity } from '../entities/organization.entity';
import type { OrganizationEventSink } from './event-sink';
import { MembershipRole, MembershipStatus } from './ladder';
import { normaliseReason } from './organization-input';
import { requireOrganizer, requireRemover, requireSameCommunity } from './organization-policy';
import { JoinPolicy } from './organization-values';
import type { PromotionService } from './promotion.service';
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

/** Joining, applications, leaving and removal. */
export class MembershipService {
  constructor(
    private readonly db: DataSource,
    private readonly events: OrganizationEventSink,
    private readonly promotions: PromotionService,
  ) {}

  /** OPEN organizations take the resident at once; APPROVAL ones record an application for their organizers. */
  async join(caller: Caller, organizationId: string): Promise<MembershipEntity> {
    try {
      return await this.db.transaction(async (manager) => {
        const organization = await lockOrganization(manager, organizationId);
        requireSameCommunity(caller, organization);
        requireActive(organization);
        await lockResident(manager, caller.userId);
        const existing = await findOpenMembership(manager, organization.id, caller.userId);
        if (existing) throw this.alreadyIn(existing, organization);
        const membership = manager.create(MembershipEntity, {
          id: randomUUID(),
          communityId: organization.communityId,
          organizationId: organization.id,
          userId: caller.userId,
          role: MembershipRole.MEMBER,
          status: MembershipStatus.PENDING,
          requestedAt: new Date(),
          joinedAt: null,
          endedAt: null,
          endReason: null,
          version: 1,
        });
        await manager.insert(MembershipEntity, membership);
        if (organization.joinPolicy === JoinPolicy.OPEN)
          await this.activate(manager, membership, caller.userId, 'joined');
        return membership;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'memberships_open_key'))
        throw new ConflictError('ALREADY_MEMBER', 'You already belong to or applied to this organization');
      throw error;
    }
  }

  async approve(caller: Caller, membershipId: string): Promise<MembershipEntity> {
    return this.db.transaction(async (manager) => {
      const { organization, membership } = await this.lockPending(manager, caller, membershipId);
      requireActive(organization);
      await this.activate(manager, membership, caller.userId, 'application approved');
      return membership;
    });
  }

  async reject(caller: Caller, membershipId: string, reason: string): Promise<MembershipEntity> {
    const endReason = normaliseReason(reason);
    return this.db.transaction(async (manager) => {
      const { membership } = await this.lockPending(manager, caller, membershipId);
      await updateMembership(manager, membership, {
        status: MembershipStatus.REJECTED,
        endedAt: new Date(),
        endReason,
      });
      return membership;
    });
  }

  /** Leave (or withdraw an application). The last LEADER stays until someone else leads. */
  async leave(caller: Caller, organizationId: string): Promise<MembershipEntity> {
    return this.db.transaction(async (manager) => {
      const organization = await lockOrganization(manager, organizationId);
      await lockResident(manager, caller.userId);
      const open = await findOpenMembership(manager, organization.id, caller.userId);
      if (!open) throw new NotFoundError(`Your membership of ${organization.name}`);
      const membership = await lockMembership(manager, open.id);
      if (membership.status === MembershipStatus.PENDING) {
        await this.end(manager, membership, MembershipStatus.LEFT, 'application withdrawn');
        return membership;
      }
      await this.requireAnotherLeader(
        manager,
        membership,
        `You are the last leader of ${organization.name}: a committee member must first approve another member's promotion to LEADER before you can leave`,
      );
      await this.end(manager, membership, MembershipStatus.LEFT, 'left');
      return membership;
    });
  }

  async remove(caller: Caller, membershipId: string, reason: string): Promise<MembershipEntity> {
    const endReason = normaliseReason(reason);
    return this.db.transaction(async (manager) => {
      const unlocked = await manager.findOneBy(MembershipEntity, { id: membershipId });
      if (!unlocked) throw new NotFoundError('Membership', membershipId);
      if (unlocked.userId === caller.userId)
        throw new BadUserInputError('To end your own membership use leaveOrganization', 'membershipId');
      const organization = await lockOrganization(manager, unlocked.organizationId);
      const callerMembership = await findOpenMembership(manager, organization.id, caller.userId);
      requireRemover(caller, organization, callerMembership, unlocked);
      await lockResident(manager, unlocked.userId);
      const membership = await lockMembership(manager, membershipId);
      if (membership.status !== MembershipStatus.ACTIVE)
        throw new ConflictError(
          'INVALID_STATE',
          `Only active members can be removed; this membership is ${membership.status}`,
        );
      await this.requireAnotherLeader(manager, membership, `This is the last leader of ${organization.name}`);
      await this.end(manager, membership, MembershipStatus.REMOVED, endReason);
      return membership;
    });
  }

  /** PENDING → ACTIVE: role history starts, volunteering hears about it, and the resident's tier may already count. */
  async activate(manager: EntityManager, membership: MembershipEntity, changedBy: string, reason: string) {
    await updateMembership(manager, membership, { status: MembershipStatus.ACTIVE, joinedAt: new Date() });
    await recordRoleChange(manager, membership, { fromRole: null, toRole: membership.role, changedBy, reason });
    await this.events.memberJoined(manager, membership);
    await this.promotions.raiseIfEligible(manager, membership);
  }

  /** Ends a pending or active membership; an active one closes its open candidate and announces MemberLeft. */
  async end(
    manager: EntityManager,
    membership: MembershipEntity,
    status: MembershipStatus.LEFT | MembershipStatus.REMOVED | MembershipStatus.REJECTED,
    endReason: string,
  ): Promise<void> {
    const wasActive = membership.status === MembershipStatus.ACTIVE;
    await updateMembership(manager, membership, { status, endedAt: new Date(), endReason });
    if (!wasActive) return;
    await this.promotions.supersedeOpenCandidates(manager, membership.id);
    await this.events.memberLeft(manager, membership, status === MembershipStatus.LEFT ? 'LEFT' : 'REMOVED');
  }

  private async requireAnotherLeader(manager: EntityManager, membership: MembershipEntity, message: string) {
    if (membership.role !== MembershipRole.LEADER) return;
    if ((await countActiveLeaders(manager, membership.organizationId)) <= 1)
      throw new ConflictError('LAST_LEADER', message);
  }

  private async lockPending(manager: EntityManager, caller: Caller, membershipId: string) {
    const unlocked = await manager.findOneBy(MembershipEntity, { id: membershipId });
    if (!unlocked) throw new NotFoundError('Membership', membershipId);
    const organization = await lockOrganization(manager, unlocked.organizationId);
    requireOrganizer(caller, organization, await findOpenMembership(manager, organization.id, caller.userId));
    await lockResident(manager, unlocked.userId);
    const membership = await lockMembership(manager, membershipId);
    if (membership.status !== MembershipStatus.PENDING)
      throw new ConflictError('ALREADY_DECIDED', `This application was already decided (${membership.status})`);
    return { organization, membership };
  }

  private alreadyIn(existing: MembershipEntity, organization: OrganizationEntity): ConflictError {
    return existing.status === MembershipStatus.PENDING
      ? new ConflictError(
          'APPLICATION_PENDING',
          `Your application to ${organization.name} is waiting for its organizers`,
        )
      : new ConflictError('ALREADY_MEMBER', `You are already a member of ${organization.name}`);
  }
}
