import { randomUUID } from 'node:crypto';
import { BadUserInputError, ForbiddenError, NotFoundError, Role, type Caller } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { RoleChangeEntity } from '../entities/role-change.entity';
import { UserEntity } from '../entities/user.entity';

export interface RoleEvents {
  rolesChanged(
    manager: EntityManager,
    user: UserEntity,
    change: { role: Role; action: 'GRANTED' | 'REVOKED'; changedBy: string },
  ): Promise<void>;
}

const ROLE_MANAGERS: readonly Role[] = [Role.COMMITTEE, Role.ADMIN];

/**
 * Who may change whose roles, in one place: committee or admin of the same community; ADMIN only by an ADMIN; and
 * never on oneself (two-person rule: a role you hold or give yourself is always someone else's decision).
 */
export class RoleService {
  constructor(
    private readonly db: DataSource,
    private readonly events: RoleEvents,
  ) {}

  grant(caller: Caller, userId: string, role: Role): Promise<UserEntity> {
    return this.change(caller, userId, role, 'GRANTED');
  }

  revoke(caller: Caller, userId: string, role: Role): Promise<UserEntity> {
    if (role === Role.RESIDENT)
      throw new BadUserInputError('RESIDENT cannot be revoked: every user is a resident', 'role');
    return this.change(caller, userId, role, 'REVOKED');
  }

  private async change(caller: Caller, userId: string, role: Role, action: 'GRANTED' | 'REVOKED'): Promise<UserEntity> {
    if (!caller.roles.some((r) => ROLE_MANAGERS.includes(r)))
      throw new ForbiddenError('ROLE_CHANGE_NOT_ALLOWED', 'Only committee members or admins can change roles');
    if (role === Role.ADMIN && !caller.roles.includes(Role.ADMIN))
      throw new ForbiddenError('ADMIN_ONLY', 'Only an admin can grant or revoke ADMIN');
    if (userId === caller.userId)
      throw new ForbiddenError(
        'SELF_ROLE_CHANGE',
        'Nobody grants or revokes their own roles; ask another committee member',
      );
    return this.db.transaction(async (manager) => {
      // Locked so that two simultaneous changes to one user's roles cannot overwrite each other.
      const user = await manager.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('User', userId);
      if (user.communityId !== caller.communityId)
        throw new ForbiddenError('OTHER_COMMUNITY', 'This user belongs to another community');
      const has = user.roles.includes(role);
      if ((action === 'GRANTED' && has) || (action === 'REVOKED' && !has)) return user;
      user.roles = action === 'GRANTED' ? [...user.roles, role] : user.roles.filter((r) => r !== role);
      await manager.update(UserEntity, { id: user.id }, { roles: user.roles });
      await manager.insert(RoleChangeEntity, {
        id: randomUUID(),
        communityId: user.communityId,
        userId: user.id,
        role,
        action,
        changedBy: caller.userId,
      });
      await this.events.rolesChanged(manager, user, { role, action, changedBy: caller.userId });
      return user;
    });
  }
}
