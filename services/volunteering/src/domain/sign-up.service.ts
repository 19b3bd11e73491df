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
import { OUTBOX_CHANNEL } from '@taoyuan/events';
import type { DataSource, EntityManager } from 'typeorm';
import { ShiftEntity } from '../entities/shift.entity';
import { SignUpEntity } from '../entities/sign-up.entity';
import type { VolunteeringEvents } from '../events/volunteering-events';
import type { OrganizerPolicy } from './organizer-policy';
import { PLACE_HOLDING_STATUSES, SignUpStatus, TIME_HOLDING_STATUSES } from './vocabulary';
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

/** The GraphQL error for sign_up_for_shift()'s refusals (SQLSTATE P0001, the reason as message, detail as hint). */
function signUpRefusal(error: unknown, shiftId: string): Error | undefined {
  // The partial unique index is the last line behind the function's own check.
  if (isUniqueViolation(error))
    return new ConflictError('ALREADY_SIGNED_UP', 'You are already signed up for this shift');
  const cause = (error as { driverError?: { code?: string; message?: string; hint?: string } }).driverError;
  if (cause?.code !== 'P0001') return undefined;
  const detail = (cause.hint ?? '').toLowerCase();
  switch (cause.message ?? '') {
    case 'SHIFT_NOT_FOUND':
      return new NotFoundError('Shift', shiftId);
    case 'OTHER_COMMUNITY':
      return new ForbiddenError('OTHER_COMMUNITY', 'This shift belongs to another community');
    case 'ALREADY_SIGNED_UP':
      return new ConflictError('ALREADY_SIGNED_UP', `You are already ${detail} for this shift`);
    case 'OVERLAPPING_SHIFT':
      return new ConflictError('OVERLAPPING_SHIFT', 'You are already signed up for a shift at an overlapping time');
    case 'OPPORTUNITY_NOT_FOUND':
      return new NotFoundError('Opportunity', cause.hint ?? '');
    case 'SIGN_UPS_CLOSED':
      return new ConflictError('SIGN_UPS_CLOSED', `Sign-ups are closed: the opportunity is ${detail}`);
    case 'SHIFT_STARTED':
      return new ConflictError('SHIFT_STARTED', 'This shift has already started');
    default:
      return undefined;
  }
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

  /**
   * One statement, sign_up_for_shift() (migration 1764576480000): it takes the volunteer's lock, checks, locks the
   * opportunity and the shift, counts, inserts and (with a place) writes the confirmation. The shift's lock is held
   * across no round trip but the commit's, so a burst of sign-ups for one shift drains at nearly the database's
   * pace (decision 0015).
   */
  async signUp(context: AuthContext, shiftId: string): Promise<SignUpEntity> {
    const caller = requireCaller(context);
    // A shift's opportunity and community never change: read before, to prepare the confirmation event. Every rule
    // (the community's included) is the function's.
    const shift = await this.db.getRepository(ShiftEntity).findOneBy({ id: shiftId });
    if (!shift) throw new NotFoundError('Shift', shiftId);
    const id = randomUUID();
    // The function sets the confirmation's confirmedAt to the moment its place was given.
    const confirmation = this.events.signUpConfirmedRow({
      signUpId: id,
      shiftId,
      opportunityId: shift.opportunityId,
      userId: caller.userId,
      communityId: shift.communityId,
      fromWaitlist: false,
      confirmedAt: new Date().toISOString(),
    });
    const [eventId, topic, messageKey, , headers, payload] = confirmation.values;
    let placed: { placed_status: SignUpStatus; placed_position: number | null; placed_at: Date };
    try {
      // Inside a transaction, so a sign-up commits only once this process has its answer: a request cut off
      // (a stopping process, a lost connection) leaves nothing behind. The shift's lock is then held across one
      // round trip, the commit.
      [placed] = await this.db.transaction((manager) =>
        manager.query<(typeof placed)[]>(
          `SELECT placed_status, placed_position, placed_at
           FROM sign_up_for_shift($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            id,
            shiftId,
            caller.userId,
            caller.communityId,
            PLACE_HOLDING_STATUSES,
            TIME_HOLDING_STATUSES,
            eventId,
            topic,
            messageKey,
            headers,
            payload,
            OUTBOX_CHANNEL,
          ],
        ),
      );
    } catch (error) {
      throw signUpRefusal(error, shiftId) ?? error;
    }
    // Every column is known here: no second read.
    return this.db.getRepository(SignUpEntity).create({
      id,
      shiftId,
      opportunityId: shift.opportunityId,
      communityId: shift.communityId,
      userId: caller.userId,
      status: placed.placed_status,
      waitlistPosition: placed.placed_position,
      signedUpAt: placed.placed_at,
      promotedAt: null,
      checkedInAt: null,
      checkedOutAt: null,
      cancelledAt: null,
      cancelReason: null,
      checkInFailures: 0,
    });
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
