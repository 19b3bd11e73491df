import { Outbox, ResidenceChanged, UserRegistered, UserRolesChanged } from '@taoyuan/events';
import type { Role } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';
import type { AuthEvents } from '../domain/auth.service';
import type { ResidenceEvents } from '../domain/residence.service';
import type { RoleEvents } from '../domain/role.service';
import type { ResidenceEntity, ResidenceStatus } from '../entities/residence.entity';
import type { UserEntity } from '../entities/user.entity';

export const identityOutbox = new Outbox('/taoyuan/identity');

/** What identity tells the rest of the system, written to its outbox inside the state change's transaction. */
export class IdentityEvents implements AuthEvents, RoleEvents, ResidenceEvents {
  async userRegistered(manager: EntityManager, user: UserEntity): Promise<void> {
    // Public: no phone, no name.
    await identityOutbox.publish(
      manager,
      UserRegistered,
      { userId: user.id, communityId: user.communityId, registeredAt: user.createdAt.toISOString() },
      { communityId: user.communityId },
    );
  }

  async rolesChanged(
    manager: EntityManager,
    user: UserEntity,
    change: { role: Role; action: 'GRANTED' | 'REVOKED'; changedBy: string },
  ): Promise<void> {
    await identityOutbox.publish(
      manager,
      UserRolesChanged,
      {
        userId: user.id,
        communityId: user.communityId,
        roles: user.roles,
        role: change.role,
        action: change.action,
        changedBy: change.changedBy,
        changedAt: new Date().toISOString(),
      },
      { communityId: user.communityId },
    );
  }

  /** Internal: a claim itself is not announced, only the decisions on it, each with the residence's new version. */
  async residenceChanged(
    manager: EntityManager,
    residence: ResidenceEntity,
    changedAt: Date,
    options: { eventId?: string } = {},
  ): Promise<void> {
    if (!residence.decidedBy) throw new Error('residence.changed needs the deciding user');
    await identityOutbox.publish(
      manager,
      ResidenceChanged,
      {
        userId: residence.userId,
        communityId: residence.communityId,
        householdId: residence.householdId,
        status: residence.status as Exclude<ResidenceStatus, ResidenceStatus.CLAIMED>,
        residenceVersion: residence.version,
        changedBy: residence.decidedBy,
        changedAt: changedAt.toISOString(),
      },
      { communityId: residence.communityId, ...(options.eventId ? { id: options.eventId } : {}) },
    );
  }
}
