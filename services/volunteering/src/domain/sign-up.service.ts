import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  isUniqueViolation,
  NotFoundError,
  requireCaller,
  type AuthContext,
  type Caller,
} from '@taoyuan/service-kit';
import { OUTBOX_CHANNEL, OUTBOX_COLUMNS } from '@taoyuan/events';
import type { DataSource, EntityManager } from 'typeorm';
import { OpportunityEntity } from '../entities/opportunity.entity';
import { ShiftEntity } from '../entities/shift.entity';
import { SignUpEntity } from '../entities/sign-up.entity';
import type { VolunteeringEvents } from '../events/volunteering-events';
import type { OrganizerPolicy } from './organizer-policy';
import { OpportunityStatus, PLACE_HOLDING_STATUSES, SignUpStatus, TIME_HOLDING_STATUSES } from './vocabulary';
import { lockSignUp, lockSignUpToOrganize } from './sign-up-locks';

/** A volunteer may check in from this long before the shift starts until it ends. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;

export const MAX_CHECK_IN_FAILURES = 5;

function checkInLocked(): ConflictError {
  return new ConflictError(
    'CHECK_IN_LOCKED',
    `Too many wrong check-in codes (${MAX_CHECK_IN_FAILURES}); ask the organizer to reset your check-in`,
  );
}

/**
 * Signing up, cancelling, checking in and out, no-shows. Capacity is decided while the shift row is locked
 * (SELECT … FOR UPDATE), so simultaneous sign-ups queue on it: the first `capacity` get SIGNED_UP, the rest are
 * WAITLISTED in the order they got the lock, and a cancellation promotes waitlist position 1 in the same transaction.
 */
export class SignUpService {
  constructor(
    private readonly db: DataSource,
    private readonly organizers: OrganizerPolicy,
    private readonly events: VolunteeringEvents,
  ) {}

  async signUp(context: AuthContext, shiftId: string): Promise<SignUpEntity> {
    const caller = requireCaller(context);
    try {
      return await this.db.transaction(async (manager) => {
        // Per-volunteer lock first: two sign-ups of one person for overlapping shifts cannot both pass the check.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext('sign_ups:user:' || $1))`, [caller.userId]);
        const unlocked = await manager.findOneBy(ShiftEntity, { id: shiftId });
        if (!unlocked) throw new NotFoundError('Shift', shiftId);
        if (unlocked.communityId !== caller.communityId)
          throw new ForbiddenError('OTHER_COMMUNITY', 'This shift belongs to another community');
        // The volunteer's own checks need only the per-volunteer lock: done before the shift's lock, which every
        // sign-up for this shift waits for, so that lock is held for as few statements as possible.
        const [mine] = await manager.query<{ status: string }[]>(
          `SELECT status FROM sign_ups WHERE shift_id = $1 AND user_id = $2 AND status <> 'CANCELLED'`,
          [shiftId, caller.userId],
        );
        if (mine)
          throw new ConflictError('ALREADY_SIGNED_UP', `You are already ${mine.status.toLowerCase()} for this shift`);
        const [overlap] = await manager.query<{ shift_id: string }[]>(
          `SELECT su.shift_id FROM sign_ups su JOIN shifts s ON s.id = su.shift_id
            WHERE su.user_id = $1 AND su.status = ANY($2) AND s.starts_at < $4 AND s.ends_at > $3 LIMIT 1`,
          [caller.userId, TIME_HOLDING_STATUSES, unlocked.startsAt, unlocked.endsAt],
        );
        if (overlap)
          throw new ConflictError('OVERLAPPING_SHIFT', 'You are already signed up for a shift at an overlapping time');
        // Opportunity (shared) before shift (exclusive): the order cancelOpportunity takes them in, so no deadlock.
        const opportunity = await manager.findOne(OpportunityEntity, {
          where: { id: unlocked.opportunityId },
          lock: { mode: 'pessimistic_read' },
        });
        if (!opportunity) throw new NotFoundError('Opportunity', unlocked.opportunityId);
        const shift = await manager.findOneOrFail(ShiftEntity, {
          where: { id: shiftId },
          lock: { mode: 'pessimistic_write' },
        });
        if (opportunity.status !== OpportunityStatus.PUBLISHED)
          throw new ConflictError(
            'SIGN_UPS_CLOSED',
            `Sign-ups are closed: the opportunity is ${opportunity.status.toLowerCase()}`,
          );
        if (shift.startsAt.getTime() <= Date.now())
          throw new ConflictError('SHIFT_STARTED', 'This shift has already started');
        // Counted, inserted and (with a place) announced in one statement: its snapshot is taken after the lock
        // above, so it sees every sign-up committed before, and every other sign-up for this shift waits for only
        // this statement and the commit.
        const id = randomUUID();
        const signedUpAt = new Date();
        const confirmation = this.events.signUpConfirmedRow({
          signUpId: id,
          shiftId,
          opportunityId: shift.opportunityId,
          userId: caller.userId,
          communityId: shift.communityId,
          fromWaitlist: false,
          confirmedAt: signedUpAt.toISOString(),
        });
        const [placed] = await manager.query<{ status: SignUpStatus; waitlist_position: number | null }[]>(
          `WITH held AS (
             SELECT count(*) FILTER (WHERE status = ANY($10)) AS taken,
                    max(waitlist_position) FILTER (WHERE status = $8) AS last_position
               FROM sign_ups WHERE shift_id = $2),
           placed AS (
             INSERT INTO sign_ups (id, shift_id, opportunity_id, community_id, user_id, status, waitlist_position,
                                   signed_up_at, check_in_failures)
             SELECT $1, $2, $3, $4, $5,
                    CASE WHEN held.taken < $6 THEN $7 ELSE $8 END,
                    CASE WHEN held.taken < $6 THEN NULL ELSE coalesce(held.last_position, 0) + 1 END,
                    $9, 0
               FROM held
             RETURNING status, waitlist_position),
           announced AS (
             INSERT INTO outbox ${OUTBOX_COLUMNS}
             SELECT $11, $12, $13, $14, $15, $16 FROM placed WHERE placed.status = $7
             RETURNING event_id)
           SELECT placed.status, placed.waitlist_position,
                  (SELECT pg_notify($17, '') FROM announced) AS woken
             FROM placed`,
          [
            id,
            shiftId,
            shift.opportunityId,
            shift.communityId,
            caller.userId,
            shift.capacity,
            SignUpStatus.SIGNED_UP,
            SignUpStatus.WAITLISTED,
            signedUpAt,
            PLACE_HOLDING_STATUSES,
            ...confirmation.values,
            OUTBOX_CHANNEL,
          ],
        );
        // Every column is known here (the same millisecond clock as the column's default): no second read.
        const created = manager.create(SignUpEntity, {
          id,
          shiftId,
          opportunityId: shift.opportunityId,
          communityId: shift.communityId,
          userId: caller.userId,
          status: placed.status,
          waitlistPosition: placed.waitlist_position,
          signedUpAt,
          promotedAt: null,
          checkedInAt: null,
          checkedOutAt: null,
          cancelledAt: null,
          cancelReason: null,
          checkInFailures: 0,
        });
        return created;
      });
    } catch (error) {
      // The partial unique index is the last line behind the check above.
      if (isUniqueViolation(error))
        throw new ConflictError('ALREADY_SIGNED_UP', 'You are already signed up for this shift');
      throw error;
    }
  }

  async cancel(context: AuthContext, signUpId: string): Promise<SignUpEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const unlocked = await manager.findOneBy(SignUpEntity, { id: signUpId });
      if (!unlocked) throw new NotFoundError('Sign-up', signUpId);
      if (unlocked.userId !== caller.userId)
        throw new ForbiddenError('NOT_YOURS', 'Only the volunteer can cancel their sign-up');
      const shift = await manager.findOneOrFail(ShiftEntity, {
        where: { id: unlocked.shiftId },
        lock: { mode: 'pessimistic_write' },
      });
      const signUp = await manager.findOneOrFail(SignUpEntity, {
        where: { id: signUpId },
        lock: { mode: 'pessimistic_write' },
      });
      if (signUp.status === SignUpStatus.CANCELLED) return signUp;
      if (signUp.status !== SignUpStatus.SIGNED_UP && signUp.status !== SignUpStatus.WAITLISTED)
        throw new ConflictError(
          'INVALID_STATE',
          `A sign-up that is ${signUp.status.toLowerCase()} cannot be cancelled`,
        );
      if (shift.startsAt.getTime() <= Date.now())
        throw new ConflictError('SHIFT_STARTED', 'The shift has started; ask the organizer instead of cancelling');
      await manager.query(
        `UPDATE sign_ups SET status = 'CANCELLED', waitlist_position = NULL, cancelled_at = clock_timestamp(),
                cancel_reason = 'VOLUNTEER_CANCELLED'
          WHERE id = $1`,
        [signUpId],
      );
      if (signUp.status === SignUpStatus.WAITLISTED) {
        await this.closeWaitlistGap(manager, shift.id, signUp.waitlistPosition ?? 0);
      } else {
        await this.promoteFirstWaitlisted(manager, shift.id);
      }
      const cancelled = await manager.findOneByOrFail(SignUpEntity, { id: signUpId });
      await this.events.signUpCancelled(manager, {
        signUpId,
        shiftId: shift.id,
        opportunityId: shift.opportunityId,
        userId: cancelled.userId,
        communityId: cancelled.communityId,
        reason: 'VOLUNTEER_CANCELLED',
        cancelledAt: (cancelled.cancelledAt ?? new Date()).toISOString(),
      });
      return cancelled;
    });
  }

  /**
   * Six digits are guessable, so each sign-up gets MAX_CHECK_IN_FAILURES wrong codes; then it is locked
   * (CHECK_IN_LOCKED) until an organizer resets it. A wrong code is counted in its own committed transaction before
   * the error is returned, so parallel guesses cannot outrun the count (the sign-up row lock queues them).
   */
  async checkIn(context: AuthContext, signUpId: string, code: string): Promise<SignUpEntity> {
    const caller = requireCaller(context);
    const outcome = await this.db.transaction(async (manager) => {
      const { signUp, shift } = await this.lockOwnSignUp(manager, caller, signUpId);
      if (signUp.status === SignUpStatus.WAITLISTED)
        throw new ConflictError('ON_WAITLIST', 'You are on the waitlist for this shift, not signed up');
      if (signUp.status !== SignUpStatus.SIGNED_UP)
        throw new ConflictError('INVALID_STATE', `A sign-up that is ${signUp.status.toLowerCase()} cannot check in`);
      const now = Date.now();
      if (now < shift.startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS)
        throw new ConflictError('CHECK_IN_NOT_OPEN', 'Check-in opens 30 minutes before the shift starts');
      if (now >= shift.endsAt.getTime()) throw new ConflictError('SHIFT_ENDED', 'The shift has ended');
      if (signUp.checkInFailures >= MAX_CHECK_IN_FAILURES) throw checkInLocked();
      if (code.trim() !== shift.checkInCode) {
        await manager.query(`UPDATE sign_ups SET check_in_failures = check_in_failures + 1 WHERE id = $1`, [signUpId]);
        return { wrongCode: true as const, attemptsLeft: MAX_CHECK_IN_FAILURES - signUp.checkInFailures - 1 };
      }
      await manager.query(
        `UPDATE sign_ups SET status = 'CHECKED_IN', checked_in_at = clock_timestamp() WHERE id = $1`,
        [signUpId],
      );
      return { wrongCode: false as const, signUp: await manager.findOneByOrFail(SignUpEntity, { id: signUpId }) };
    });
    if (!outcome.wrongCode) return outcome.signUp;
    if (outcome.attemptsLeft <= 0) throw checkInLocked();
    throw new BadUserInputError(
      `The check-in code is not this shift’s code (${outcome.attemptsLeft} attempt(s) left)`,
      'code',
    );
  }

  /** An organizer lets a volunteer who mistyped the code too often try again. */
  async resetCheckInAttempts(context: AuthContext, signUpId: string): Promise<SignUpEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const { signUp } = await lockSignUpToOrganize(manager, this.organizers, caller, signUpId);
      if (signUp.userId === caller.userId)
        throw new ForbiddenError('SELF_CHECK_IN_RESET', 'Another organizer must reset your own check-in attempts');
      await manager.query(`UPDATE sign_ups SET check_in_failures = 0 WHERE id = $1`, [signUpId]);
      return manager.findOneByOrFail(SignUpEntity, { id: signUpId });
    });
  }

  async checkOut(context: AuthContext, signUpId: string): Promise<SignUpEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const { signUp } = await this.lockOwnSignUp(manager, caller, signUpId);
      if (signUp.status !== SignUpStatus.CHECKED_IN)
        throw new ConflictError(
          'INVALID_STATE',
          `Only a checked-in sign-up can check out; this one is ${signUp.status.toLowerCase()}`,
        );
      await manager.query(
        `UPDATE sign_ups SET status = 'CHECKED_OUT', checked_out_at = clock_timestamp() WHERE id = $1`,
        [signUpId],
      );
      return manager.findOneByOrFail(SignUpEntity, { id: signUpId });
    });
  }

  async markNoShow(context: AuthContext, signUpId: string): Promise<SignUpEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const { signUp } = await lockSignUpToOrganize(manager, this.organizers, caller, signUpId);
      const shift = await manager.findOneByOrFail(ShiftEntity, { id: signUp.shiftId });
      if (shift.startsAt.getTime() > Date.now())
        throw new ConflictError(
          'SHIFT_NOT_STARTED',
          'A volunteer can be marked absent only after the shift has started',
        );
      if (signUp.status === SignUpStatus.NO_SHOW) return signUp;
      if (signUp.status !== SignUpStatus.SIGNED_UP)
        throw new ConflictError(
          'INVALID_STATE',
          `A sign-up that is ${signUp.status.toLowerCase()} cannot be marked as a no-show`,
        );
      await manager.query(`UPDATE sign_ups SET status = 'NO_SHOW' WHERE id = $1`, [signUpId]);
      return manager.findOneByOrFail(SignUpEntity, { id: signUpId });
    });
  }

  /** Waitlist position 1 takes the freed place; everyone behind moves up one. Runs under the shift lock. */
  private async promoteFirstWaitlisted(manager: EntityManager, shiftId: string): Promise<void> {
    const promoted = await manager.query<{ id: string }[]>(
      `WITH promoted AS (
         UPDATE sign_ups SET status = 'SIGNED_UP', waitlist_position = NULL, promoted_at = clock_timestamp()
          WHERE id = (SELECT id FROM sign_ups WHERE shift_id = $1 AND status = 'WAITLISTED'
                       ORDER BY waitlist_position LIMIT 1)
          RETURNING id)
       SELECT id FROM promoted`,
      [shiftId],
    );
    if (promoted.length === 0) return;
    await this.closeWaitlistGap(manager, shiftId, 1);
    const signUp = await manager.findOneByOrFail(SignUpEntity, { id: promoted[0].id });
    await this.announceConfirmed(manager, signUp, true);
  }

  /** A place is the volunteer's: they hear it at once, whether they took a free place or moved up the waitlist. */
  private async announceConfirmed(manager: EntityManager, signUp: SignUpEntity, fromWaitlist: boolean): Promise<void> {
    await this.events.signUpConfirmed(manager, {
      signUpId: signUp.id,
      shiftId: signUp.shiftId,
      opportunityId: signUp.opportunityId,
      userId: signUp.userId,
      communityId: signUp.communityId,
      fromWaitlist,
      confirmedAt: (signUp.promotedAt ?? signUp.signedUpAt).toISOString(),
    });
  }

  private async closeWaitlistGap(manager: EntityManager, shiftId: string, freedPosition: number): Promise<void> {
    await manager.query(
      `UPDATE sign_ups SET waitlist_position = waitlist_position - 1
        WHERE shift_id = $1 AND status = 'WAITLISTED' AND waitlist_position > $2`,
      [shiftId, freedPosition],
    );
  }

  private async lockOwnSignUp(
    manager: EntityManager,
    caller: Caller,
    signUpId: string,
  ): Promise<{ signUp: SignUpEntity; shift: ShiftEntity }> {
    const signUp = await lockSignUp(manager, signUpId);
    if (signUp.userId !== caller.userId) throw new ForbiddenError('NOT_YOURS', 'This is another volunteer’s sign-up');
    const shift = await manager.findOneByOrFail(ShiftEntity, { id: signUp.shiftId });
    return { signUp, shift };
  }
}
