import { randomUUID } from 'node:crypto';
import { BadUserInputError, ConflictError, ForbiddenError, isUniqueViolation, type Caller } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { MembershipEntity } from '../entities/membership.entity';
import { OrganizationPolicyEntity } from '../entities/organization-policy.entity';
import { OrganizationStatusChangeEntity } from '../entities/organization-status-change.entity';
import { OrganizationEntity } from '../entities/organization.entity';
import type { OrganizationEventSink } from './event-sink';
import { MembershipRole, MembershipStatus } from './ladder';
import type { MembershipService } from './membership.service';
import {
  normaliseContact,
  normaliseDescription,
  normaliseOrganizationName,
  normaliseReason,
} from './organization-input';
import { requireCommittee, requireCommitteeOfCommunity } from './organization-policy';
import { JoinPolicy, OrganizationStatus, type OrganizationKind } from './organization-values';
import { lockOrganization, lockResident, recordRoleChange } from './records';

export interface RegisterOrganizationCommand {
  name: string;
  kind: OrganizationKind;
  description: string;
  contact?: string | null;
  joinPolicy?: JoinPolicy | null;
}

export const MAX_LEADERS_LIMIT = 50;

/** An organization's life: registration by a resident, the committee's decisions, and dissolution. */
export class OrganizationService {
  constructor(
    private readonly db: DataSource,
    private readonly events: OrganizationEventSink,
    private readonly memberships: MembershipService,
  ) {}

  async register(caller: Caller, command: RegisterOrganizationCommand): Promise<OrganizationEntity> {
    const name = normaliseOrganizationName(command.name);
    const organization: OrganizationEntity = {
      id: randomUUID(),
      communityId: caller.communityId,
      name,
      kind: command.kind,
      description: normaliseDescription(command.description),
      contact: normaliseContact(command.contact),
      joinPolicy: command.joinPolicy ?? JoinPolicy.APPROVAL,
      status: OrganizationStatus.PENDING_APPROVAL,
      statusVersion: 1,
      registeredBy: caller.userId,
      approvedBy: null,
      approvedAt: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    try {
      return await this.db.transaction(async (manager) => {
        await this.requireFreeName(manager, caller.communityId, name);
        await manager.insert(OrganizationEntity, organization);
        await this.recordStatus(manager, organization, null, caller.userId, null);
        return organization;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'organizations_name_key')) throw this.nameTaken(name);
      throw error;
    }
  }

  /** The committee approves: the organization becomes ACTIVE and its registrant its first LEADER. */
  async approve(caller: Caller, organizationId: string): Promise<OrganizationEntity> {
    return this.db.transaction(async (manager) => {
      const organization = await this.lockForDecision(manager, caller, organizationId, [
        OrganizationStatus.PENDING_APPROVAL,
      ]);
      // Two people: the registrant becomes the first LEADER, so a committee member cannot approve their own.
      if (organization.registeredBy === caller.userId)
        throw new ForbiddenError(
          'SELF_APPROVAL',
          'You registered this organization; another committee member must approve it',
        );
      const approvedAt = new Date();
      await this.changeStatus(manager, organization, OrganizationStatus.ACTIVE, caller.userId, null, {
        approvedBy: caller.userId,
        approvedAt,
      });
      await this.events.organizationApproved(manager, organization);
      await lockResident(manager, organization.registeredBy);
      const leader = manager.create(MembershipEntity, {
        id: randomUUID(),
        communityId: organization.communityId,
        organizationId: organization.id,
        userId: organization.registeredBy,
        role: MembershipRole.LEADER,
        status: MembershipStatus.ACTIVE,
        requestedAt: approvedAt,
        joinedAt: approvedAt,
        endedAt: null,
        endReason: null,
        version: 1,
      });
      await manager.insert(MembershipEntity, leader);
      await recordRoleChange(manager, leader, {
        fromRole: null,
        toRole: MembershipRole.LEADER,
        changedBy: caller.userId,
        reason: 'registered the organization',
      });
      await this.events.memberJoined(manager, leader);
      return organization;
    });
  }

  async reject(caller: Caller, organizationId: string, reason: string): Promise<OrganizationEntity> {
    return this.decide(
      caller,
      organizationId,
      reason,
      [OrganizationStatus.PENDING_APPROVAL],
      OrganizationStatus.REJECTED,
    );
  }

  async suspend(caller: Caller, organizationId: string, reason: string): Promise<OrganizationEntity> {
    return this.decide(caller, organizationId, reason, [OrganizationStatus.ACTIVE], OrganizationStatus.SUSPENDED);
  }

  async reinstate(caller: Caller, organizationId: string, reason: string): Promise<OrganizationEntity> {
    return this.decide(caller, organizationId, reason, [OrganizationStatus.SUSPENDED], OrganizationStatus.ACTIVE);
  }

  /** Dissolution ends every membership: applications are rejected, members removed (volunteering hears of each). */
  async dissolve(caller: Caller, organizationId: string, reason: string): Promise<OrganizationEntity> {
    const why = normaliseReason(reason);
    return this.db.transaction(async (manager) => {
      const organization = await this.lockForDecision(manager, caller, organizationId, [
        OrganizationStatus.ACTIVE,
        OrganizationStatus.SUSPENDED,
      ]);
      await this.changeStatus(manager, organization, OrganizationStatus.DISSOLVED, caller.userId, why);
      const open = await manager
        .createQueryBuilder(MembershipEntity, 'membership')
        .where('membership.organization_id = :id', { id: organization.id })
        .andWhere(`membership.status IN ('PENDING', 'ACTIVE')`)
        .orderBy('membership.seq')
        .getMany();
      for (const membership of open) {
        await lockResident(manager, membership.userId);
        const ended =
          membership.status === MembershipStatus.PENDING ? MembershipStatus.REJECTED : MembershipStatus.REMOVED;
        await this.memberships.end(manager, membership, ended, `organization dissolved: ${why}`);
      }
      return organization;
    });
  }

  /** The community's leader limit per organization (committee only). */
  async setLeaderLimit(caller: Caller, maxLeadersPerOrganization: number): Promise<OrganizationPolicyEntity> {
    requireCommitteeOfCommunity(caller, caller.communityId);
    if (
      !Number.isInteger(maxLeadersPerOrganization) ||
      maxLeadersPerOrganization < 1 ||
      maxLeadersPerOrganization > MAX_LEADERS_LIMIT
    )
      throw new BadUserInputError(
        `maxLeadersPerOrganization must be between 1 and ${MAX_LEADERS_LIMIT}`,
        'maxLeadersPerOrganization',
      );
    const policy: OrganizationPolicyEntity = {
      communityId: caller.communityId,
      maxLeadersPerOrganization,
      updatedBy: caller.userId,
      updatedAt: new Date(),
    };
    await this.db.getRepository(OrganizationPolicyEntity).upsert(policy, ['communityId']);
    return policy;
  }

  private async decide(
    caller: Caller,
    organizationId: string,
    reason: string,
    from: OrganizationStatus[],
    to: OrganizationStatus,
  ): Promise<OrganizationEntity> {
    const why = normaliseReason(reason);
    try {
      return await this.db.transaction(async (manager) => {
        const organization = await this.lockForDecision(manager, caller, organizationId, from);
        await this.changeStatus(manager, organization, to, caller.userId, why);
        return organization;
      });
    } catch (error) {
      // Reinstating can collide with a newer organization that took the name meanwhile.
      if (isUniqueViolation(error, 'organizations_name_key'))
        throw new ConflictError(
          'NAME_TAKEN',
          'Another organization of this community uses this name now; it cannot be reinstated',
        );
      throw error;
    }
  }

  private async lockForDecision(
    manager: EntityManager,
    caller: Caller,
    organizationId: string,
    from: OrganizationStatus[],
  ): Promise<OrganizationEntity> {
    const organization = await lockOrganization(manager, organizationId);
    requireCommittee(caller, organization);
    if (!from.includes(organization.status))
      throw new ConflictError(
        'INVALID_STATE',
        `${organization.name} is ${organization.status}; this needs ${from.join(' or ')}`,
      );
    return organization;
  }

  private async changeStatus(
    manager: EntityManager,
    organization: OrganizationEntity,
    to: OrganizationStatus,
    changedBy: string,
    reason: string | null,
    extra: Partial<Pick<OrganizationEntity, 'approvedBy' | 'approvedAt'>> = {},
  ): Promise<void> {
    const from = organization.status;
    const updatedAt = new Date();
    // The status and its version change in one statement: every status the event announces has its own version.
    await manager
      .createQueryBuilder()
      .update(OrganizationEntity)
      .set({ status: to, updatedAt, ...extra, statusVersion: () => 'status_version + 1' })
      .where('id = :id', { id: organization.id })
      .execute();
    const { statusVersion } = await manager.findOneOrFail(OrganizationEntity, {
      where: { id: organization.id },
      select: ['id', 'statusVersion'],
    });
    Object.assign(organization, { status: to, updatedAt, ...extra, statusVersion });
    await this.recordStatus(manager, organization, from, changedBy, reason);
    // The reason stays here (it may name people); the event carries only the fact.
    await this.events.organizationStatusChanged(manager, organization, { from, changedBy });
  }

  private async recordStatus(
    manager: EntityManager,
    organization: OrganizationEntity,
    from: OrganizationStatus | null,
    changedBy: string,
    reason: string | null,
  ): Promise<void> {
    await manager.insert(OrganizationStatusChangeEntity, {
      id: randomUUID(),
      organizationId: organization.id,
      communityId: organization.communityId,
      fromStatus: from,
      toStatus: organization.status,
      reason,
      changedBy,
    });
  }

  private async requireFreeName(manager: EntityManager, communityId: string, name: string): Promise<void> {
    const taken = await manager
      .createQueryBuilder(OrganizationEntity, 'organization')
      .where('organization.community_id = :communityId AND lower(organization.name) = lower(:name)', {
        communityId,
        name,
      })
      .andWhere(`organization.status NOT IN ('REJECTED', 'DISSOLVED')`)
      .getExists();
    if (taken) throw this.nameTaken(name);
  }

  private nameTaken(name: string): ConflictError {
    return new ConflictError('NAME_TAKEN', `An organization named ${name} already exists in this community`);
  }
}
