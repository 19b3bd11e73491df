import { randomInt, randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  requireCaller,
  Role,
  loadKeyed,
  type AuthContext,
  type Caller,
  type LoaderRegistry,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { OpportunityEntity } from '../entities/opportunity.entity';
import { ShiftEntity } from '../entities/shift.entity';
import type { VolunteeringEvents } from '../events/volunteering-events';
import { requireText, requireTimeZone, requireValidDate } from './input';
import type { OrganizerPolicy } from './organizer-policy';
import { type OpportunityCategory, OpportunityStatus, POINTS_TIME_ZONE } from './vocabulary';

export interface OpportunityInput {
  title: string;
  description: string;
  category: OpportunityCategory;
  location: string;
  organizationId?: string | null;
}

export interface OpportunityPatch {
  title?: string | null;
  description?: string | null;
  category?: OpportunityCategory | null;
  location?: string | null;
}

export interface ShiftInput {
  startsAt: Date;
  endsAt: Date;
  timeZone?: string | null;
  capacity: number;
}

export const MAX_SHIFT_HOURS = 24;
export const MAX_SHIFT_CAPACITY = 500;

/** Six random digits, shown by the organizer on site. */
function newCheckInCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Creating, editing, publishing, completing and cancelling opportunities and their shifts. */
export class OpportunityService {
  constructor(
    private readonly db: DataSource,
    private readonly organizers: OrganizerPolicy,
    private readonly events: VolunteeringEvents,
  ) {}

  async create(context: AuthContext, input: OpportunityInput): Promise<OpportunityEntity> {
    const caller = requireCaller(context);
    const values = {
      title: requireText(input.title, 'title', 1, 80),
      description: requireText(input.description, 'description', 0, 2000, true),
      category: input.category,
      location: requireText(input.location, 'location', 1, 120),
    };
    const organizationId = input.organizationId ?? null;
    return this.db.transaction(async (manager) => {
      await this.organizers.requireOrganizer(manager, caller, { communityId: caller.communityId, organizationId });
      if (organizationId) await this.organizers.requireHostOrganization(manager, caller.communityId, organizationId);
      const id = randomUUID();
      await manager.insert(OpportunityEntity, {
        id,
        communityId: caller.communityId,
        organizationId,
        ...values,
        status: OpportunityStatus.DRAFT,
        createdBy: caller.userId,
      });
      return manager.findOneByOrFail(OpportunityEntity, { id });
    });
  }

  async update(context: AuthContext, id: string, patch: OpportunityPatch): Promise<OpportunityEntity> {
    const caller = requireCaller(context);
    const changes: Partial<OpportunityEntity> = {};
    if (patch.title != null) changes.title = requireText(patch.title, 'title', 1, 80);
    if (patch.description != null) changes.description = requireText(patch.description, 'description', 0, 2000, true);
    if (patch.category != null) changes.category = patch.category;
    if (patch.location != null) changes.location = requireText(patch.location, 'location', 1, 120);
    return this.db.transaction(async (manager) => {
      const opportunity = await this.lockForOrganizer(manager, caller, id);
      if (opportunity.status !== OpportunityStatus.DRAFT && opportunity.status !== OpportunityStatus.PUBLISHED)
        throw new ConflictError('INVALID_STATE', `A ${opportunity.status.toLowerCase()} opportunity cannot be edited`);
      if (Object.keys(changes).length > 0)
        await manager.update(OpportunityEntity, { id }, { ...changes, updatedAt: () => 'clock_timestamp()' });
      return manager.findOneByOrFail(OpportunityEntity, { id });
    });
  }

  async publish(context: AuthContext, id: string): Promise<OpportunityEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const opportunity = await this.lockForOrganizer(manager, caller, id);
      if (opportunity.status === OpportunityStatus.PUBLISHED) return opportunity;
      if (opportunity.status !== OpportunityStatus.DRAFT)
        throw new ConflictError(
          'INVALID_STATE',
          `A ${opportunity.status.toLowerCase()} opportunity cannot be published`,
        );
      const upcoming: unknown[] = await manager.query(
        `SELECT 1 FROM shifts WHERE opportunity_id = $1 AND starts_at > now() LIMIT 1`,
        [id],
      );
      if (upcoming.length === 0)
        throw new ConflictError(
          'NO_UPCOMING_SHIFT',
          'Add at least one upcoming shift before publishing, so residents can sign up',
        );
      await manager.update(
        OpportunityEntity,
        { id },
        {
          status: OpportunityStatus.PUBLISHED,
          publishedAt: () => 'clock_timestamp()',
          updatedAt: () => 'clock_timestamp()',
        },
      );
      const published = await manager.findOneByOrFail(OpportunityEntity, { id });
      await this.events.opportunityPublished(manager, {
        opportunityId: published.id,
        communityId: published.communityId,
        organizationId: published.organizationId,
        category: published.category,
        publishedAt: (published.publishedAt ?? new Date()).toISOString(),
      });
      return published;
    });
  }

  /** After the last shift has ended: no more sign-ups, attendance may still be verified. */
  async complete(context: AuthContext, id: string): Promise<OpportunityEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const opportunity = await this.lockForOrganizer(manager, caller, id);
      if (opportunity.status === OpportunityStatus.COMPLETED) return opportunity;
      if (opportunity.status !== OpportunityStatus.PUBLISHED)
        throw new ConflictError(
          'INVALID_STATE',
          `A ${opportunity.status.toLowerCase()} opportunity cannot be completed`,
        );
      const [{ running }] = await manager.query<{ running: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM shifts WHERE opportunity_id = $1 AND ends_at > now()) AS running`,
        [id],
      );
      if (running)
        throw new ConflictError('SHIFTS_NOT_ENDED', 'An opportunity is completed only after its last shift has ended');
      await manager.update(
        OpportunityEntity,
        { id },
        {
          status: OpportunityStatus.COMPLETED,
          completedAt: () => 'clock_timestamp()',
          updatedAt: () => 'clock_timestamp()',
        },
      );
      return manager.findOneByOrFail(OpportunityEntity, { id });
    });
  }

  /**
   * Cancels the opportunity and, in the same transaction, every sign-up still waiting for a shift (SIGNED_UP or
   * WAITLISTED), each with a `volunteering.signup.cancelled` event (OPPORTUNITY_CANCELLED) so volunteers are told.
   */
  async cancel(context: AuthContext, id: string): Promise<OpportunityEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const opportunity = await this.lockForOrganizer(manager, caller, id);
      if (opportunity.status === OpportunityStatus.CANCELLED) return opportunity;
      if (opportunity.status === OpportunityStatus.COMPLETED)
        throw new ConflictError('INVALID_STATE', 'A completed opportunity cannot be cancelled');
      // Shift locks in id order, as sign-ups take them one at a time: no sign-up slips in while this runs.
      await manager.query(`SELECT id FROM shifts WHERE opportunity_id = $1 ORDER BY id FOR UPDATE`, [id]);
      const cancelled = await manager.query<{ id: string; shift_id: string; user_id: string; cancelled_at: Date }[]>(
        // Wrapped in a CTE so the driver returns the rows themselves (a bare UPDATE yields [rows, count]).
        `WITH cancelled AS (
           UPDATE sign_ups
              SET status = 'CANCELLED', waitlist_position = NULL, cancelled_at = clock_timestamp(),
                  cancel_reason = 'OPPORTUNITY_CANCELLED'
            WHERE opportunity_id = $1 AND status IN ('SIGNED_UP', 'WAITLISTED')
            RETURNING id, shift_id, user_id, cancelled_at)
         SELECT * FROM cancelled ORDER BY id`,
        [id],
      );
      await manager.update(
        OpportunityEntity,
        { id },
        {
          status: OpportunityStatus.CANCELLED,
          cancelledAt: () => 'clock_timestamp()',
          updatedAt: () => 'clock_timestamp()',
        },
      );
      for (const signUp of cancelled) {
        await this.events.signUpCancelled(manager, {
          signUpId: signUp.id,
          shiftId: signUp.shift_id,
          opportunityId: id,
          userId: signUp.user_id,
          communityId: opportunity.communityId,
          reason: 'OPPORTUNITY_CANCELLED',
          cancelledAt: new Date(signUp.cancelled_at).toISOString(),
        });
      }
      return manager.findOneByOrFail(OpportunityEntity, { id });
    });
  }

  async addShift(context: AuthContext, opportunityId: string, input: ShiftInput): Promise<ShiftEntity> {
    const caller = requireCaller(context);
    const startsAt = requireValidDate(input.startsAt, 'startsAt');
    const endsAt = requireValidDate(input.endsAt, 'endsAt');
    const timeZone = requireTimeZone(input.timeZone ?? POINTS_TIME_ZONE);
    if (startsAt.getTime() <= Date.now()) throw new BadUserInputError('startsAt must be in the future', 'startsAt');
    if (endsAt.getTime() <= startsAt.getTime()) throw new BadUserInputError('endsAt must be after startsAt', 'endsAt');
    if (endsAt.getTime() - startsAt.getTime() > MAX_SHIFT_HOURS * 3600_000)
      throw new BadUserInputError(`A shift lasts at most ${MAX_SHIFT_HOURS} hours`, 'endsAt');
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_SHIFT_CAPACITY)
      throw new BadUserInputError(`capacity must be from 1 to ${MAX_SHIFT_CAPACITY}`, 'capacity');
    return this.db.transaction(async (manager) => {
      const opportunity = await this.lockForOrganizer(manager, caller, opportunityId);
      if (opportunity.status !== OpportunityStatus.DRAFT && opportunity.status !== OpportunityStatus.PUBLISHED)
        throw new ConflictError(
          'INVALID_STATE',
          `A ${opportunity.status.toLowerCase()} opportunity takes no new shifts`,
        );
      const id = randomUUID();
      await manager.insert(ShiftEntity, {
        id,
        opportunityId,
        communityId: opportunity.communityId,
        startsAt,
        endsAt,
        timeZone,
        capacity: input.capacity,
        checkInCode: newCheckInCode(),
      });
      return manager.findOneByOrFail(ShiftEntity, { id });
    });
  }

  /** What the caller may see: published (or completed) opportunities of their community, drafts if they organize them. */
  async canSee(manager: EntityManager, caller: Caller | null, opportunity: OpportunityEntity): Promise<boolean> {
    if (!caller || caller.communityId !== opportunity.communityId) return false;
    if (opportunity.status === OpportunityStatus.PUBLISHED || opportunity.status === OpportunityStatus.COMPLETED)
      return true;
    if (opportunity.createdBy === caller.userId) return true;
    return this.organizers.canOrganize(manager, caller, opportunity);
  }

  /**
   * With the request's loaders (a list of opportunities or shifts), the host organizations of the whole list are
   * checked in one statement instead of one per row.
   */
  async canOrganize(caller: Caller | null, opportunity: OpportunityEntity, loaders?: LoaderRegistry): Promise<boolean> {
    if (!caller) return false;
    const { organizationId, communityId } = opportunity;
    if (
      !loaders ||
      !organizationId ||
      caller.communityId !== communityId ||
      caller.roles.includes(Role.COMMUNITY_WORKER)
    )
      return this.organizers.canOrganize(this.db.manager, caller, opportunity);
    return loadKeyed(
      loaders,
      `organizes:${communityId}`,
      organizationId,
      async (organizationIds) => {
        const organized = await this.organizers.organizedAmong(this.db.manager, caller, communityId, organizationIds);
        return new Map(organizationIds.map((id) => [id, organized.has(id)]));
      },
      false,
    );
  }

  /** Staff see every opportunity of their community in a listing; others see the non-public ones they created. */
  seesAllDrafts(caller: Caller): boolean {
    return caller.roles.includes(Role.COMMUNITY_WORKER);
  }

  private async lockForOrganizer(manager: EntityManager, caller: Caller, id: string): Promise<OpportunityEntity> {
    const opportunity = await manager.findOne(OpportunityEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!opportunity) throw new NotFoundError('Opportunity', id);
    if (opportunity.communityId !== caller.communityId)
      throw new ForbiddenError('OTHER_COMMUNITY', 'This opportunity belongs to another community');
    await this.organizers.requireOrganizer(manager, caller, opportunity);
    return opportunity;
  }
}
