import type { EntityManager } from 'typeorm';
import type { AuthEvents } from '../domain/auth.service';
import type { RoleEvents } from '../domain/role.service';
import type { UserEntity } from '../entities/user.entity';

/**
 * What identity tells the rest of the system. The hooks run inside the state change's transaction, which is where
 * the transactional outbox (packages/events) writes; until that package lands they publish nothing.
 */
export class IdentityEvents implements AuthEvents, RoleEvents {
  async userRegistered(_manager: EntityManager, _user: UserEntity): Promise<void> {}

  async rolesChanged(_manager: EntityManager, _user: UserEntity): Promise<void> {}
}
