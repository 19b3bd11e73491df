import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  hasAnyRole,
  NotFoundError,
  normalizeName,
  Role,
  type Caller,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { GridEntity } from '../entities/grid.entity';
import { HouseholdEntity } from '../entities/household.entity';
import { ResidenceChangeEntity } from '../entities/residence-change.entity';
import { ResidenceEntity, ResidenceStatus } from '../entities/residence.entity';
import { UserEntity } from '../entities/user.entity';
import { normaliseReason } from './user-input';

export interface ResidenceEvents {
  /** A decision (never a claim): written to the outbox in the deciding transaction. */
  residenceChanged(manager: EntityManager, residence: ResidenceEntity, changedAt: Date): Promise<void>;
}

export type HouseholdChoice = { householdId: string } | { building: string; unit: string; room: string };

type Decision = ResidenceStatus.CONFIRMED | ResidenceStatus.REJECTED | ResidenceStatus.REVOKED;

/** Staff who may decide on residences at all; which households they may decide on is checked per household. */
const DECIDING_ROLES: readonly Role[] = [Role.COMMUNITY_WORKER, Role.COMMITTEE];

/**
 * Residence: a resident claims a household of their community; the community worker who leads that household's grid
 * or a committee member confirms or rejects the claim, and may later revoke a confirmation. Nobody decides on their
 * own residence. Every claim and decision is audited; every decision is announced with a growing residenceVersion.
 * All changes of one user's residence lock that user's row first, so they apply one at a time.
 */
export class ResidenceService {
  constructor(
    private readonly db: DataSource,
    private readonly events: ResidenceEvents,
  ) {}

  claimHousehold(caller: Caller, choice: HouseholdChoice): Promise<UserEntity> {
    return this.db.transaction(async (manager) => {
      const household = await findHousehold(manager, caller.communityId, choice);
      const user = await lockUser(manager, caller.userId);
      const current = await manager.findOneBy(ResidenceEntity, { userId: user.id });
      if (current?.householdId === household.id && current.status !== ResidenceStatus.REJECTED) return user;
      if (current?.status === ResidenceStatus.CONFIRMED)
        throw new ConflictError(
          'RESIDENCE_ALREADY_CONFIRMED',
          'Your residence is confirmed; ask your grid worker to revoke it before you claim another home',
        );
      const claimedAt = new Date();
      await manager.upsert(
        ResidenceEntity,
        {
          userId: user.id,
          communityId: user.communityId,
          householdId: household.id,
          status: ResidenceStatus.CLAIMED,
          version: current?.version ?? 0,
          claimedAt,
          decidedAt: null,
          decidedBy: null,
          reason: null,
        },
        ['userId'],
      );
      await manager.update(UserEntity, { id: user.id }, { householdId: household.id });
      await audit(manager, user, household.id, ResidenceStatus.CLAIMED, current?.version ?? 0, user.id, null);
      user.householdId = household.id;
      return user;
    });
  }

  confirm(caller: Caller, userId: string): Promise<UserEntity> {
    return this.decide(caller, userId, ResidenceStatus.CONFIRMED, null);
  }

  reject(caller: Caller, userId: string, reason: string): Promise<UserEntity> {
    return this.decide(caller, userId, ResidenceStatus.REJECTED, normaliseReason(reason));
  }

  revoke(caller: Caller, userId: string, reason: string): Promise<UserEntity> {
    return this.decide(caller, userId, ResidenceStatus.REVOKED, normaliseReason(reason));
  }

  private decide(caller: Caller, userId: string, decision: Decision, reason: string | null): Promise<UserEntity> {
    if (!hasAnyRole(caller, DECIDING_ROLES))
      throw new ForbiddenError(
        'RESIDENCE_DECISION_NOT_ALLOWED',
        'Only a grid worker or a committee member decides on residences',
      );
    if (userId === caller.userId)
      throw new ForbiddenError('SELF_RESIDENCE_DECISION', 'Nobody decides on their own residence; ask a colleague');
    return this.db.transaction(async (manager) => {
      const user = await lockUser(manager, userId);
      if (user.communityId !== caller.communityId)
        throw new ForbiddenError('OTHER_COMMUNITY', 'This user belongs to another community');
      const residence = await manager.findOneBy(ResidenceEntity, { userId });
      if (residence?.householdId) await assertDecidesFor(manager, caller, residence.householdId);
      const expected = decision === ResidenceStatus.REVOKED ? ResidenceStatus.CONFIRMED : ResidenceStatus.CLAIMED;
      // Confirming twice (two staff at once, or a retried request) is the same decision: nothing new to announce.
      if (decision === ResidenceStatus.CONFIRMED && residence?.status === ResidenceStatus.CONFIRMED) return user;
      if (!residence?.householdId || residence.status !== expected)
        throw expected === ResidenceStatus.CLAIMED
          ? new ConflictError('NO_PENDING_CLAIM', 'This resident has no household claim waiting for a decision')
          : new ConflictError('RESIDENCE_NOT_CONFIRMED', 'This resident’s residence is not confirmed');
      const decidedAt = new Date();
      residence.status = decision;
      residence.version += 1;
      residence.decidedAt = decidedAt;
      residence.decidedBy = caller.userId;
      residence.reason = reason;
      const claimed = residence.householdId;
      if (decision === ResidenceStatus.REVOKED) residence.householdId = null;
      await manager.save(ResidenceEntity, residence);
      if (decision === ResidenceStatus.REVOKED) {
        await manager.update(UserEntity, { id: user.id }, { householdId: null });
        user.householdId = null;
      }
      await audit(manager, user, claimed, decision, residence.version, caller.userId, reason);
      await this.events.residenceChanged(manager, residence, decidedAt);
      return user;
    });
  }
}

async function lockUser(manager: EntityManager, userId: string): Promise<UserEntity> {
  const user = await manager.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
  if (!user) throw new NotFoundError('User', userId);
  return user;
}

async function findHousehold(
  manager: EntityManager,
  communityId: string,
  choice: HouseholdChoice,
): Promise<HouseholdEntity> {
  const where =
    'householdId' in choice
      ? { id: choice.householdId, communityId }
      : {
          communityId,
          building: normalizeName(choice.building, { field: 'building', max: 40 }),
          unit: normalizeName(choice.unit, { field: 'unit', max: 40 }),
          room: normalizeName(choice.room, { field: 'room', max: 40 }),
        };
  const household = await manager.findOneBy(HouseholdEntity, where);
  // Another community's household is answered like a missing one.
  if (!household) throw new NotFoundError('Household', 'householdId' in choice ? choice.householdId : undefined);
  return household;
}

/** The community worker leading the household's grid, or any committee member of the community. */
async function assertDecidesFor(manager: EntityManager, caller: Caller, householdId: string): Promise<void> {
  if (caller.roles.includes(Role.COMMITTEE)) return;
  const household = await manager.findOneByOrFail(HouseholdEntity, { id: householdId });
  const grid = await manager.findOneByOrFail(GridEntity, { id: household.gridId });
  if (caller.roles.includes(Role.COMMUNITY_WORKER) && grid.leaderUserId === caller.userId) return;
  throw new ForbiddenError(
    'NOT_GRID_WORKER',
    'Only the community worker who leads this household’s grid, or a committee member, decides on it',
  );
}

async function audit(
  manager: EntityManager,
  user: UserEntity,
  householdId: string | null,
  action: ResidenceStatus,
  version: number,
  changedBy: string,
  reason: string | null,
): Promise<void> {
  await manager.insert(ResidenceChangeEntity, {
    id: randomUUID(),
    communityId: user.communityId,
    userId: user.id,
    householdId,
    action,
    version,
    changedBy,
    reason,
  });
}
