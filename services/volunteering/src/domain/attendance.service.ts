import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  requireCaller,
  Role,
  type AuthContext,
} from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { AttendanceEntity } from '../entities/attendance.entity';
import { ShiftEntity } from '../entities/shift.entity';
import { SignUpEntity } from '../entities/sign-up.entity';
import type { VolunteeringEvents } from '../events/volunteering-events';
import { requireText } from './input';
import type { OrganizerPolicy } from './organizer-policy';
import type { PointsLedger } from './points-ledger';
import { pointsForHours, type PointsRules } from './points-rules';
import { PointsEntryKind, POINTS_TIME_ZONE, SignUpStatus } from './vocabulary';
import { lockSignUpToOrganize } from './sign-up-locks';

export const ATTENDANCE_SOURCE_TYPE = 'ATTENDANCE';

/** Statuses that prove the volunteer was on site: they entered the shift's code (decision 0007). */
const CHECKED_IN: readonly SignUpStatus[] = [SignUpStatus.CHECKED_IN, SignUpStatus.CHECKED_OUT];

export interface Verification {
  signUp: SignUpEntity;
  attendance: AttendanceEntity;
}

/**
 * An organizer confirms a volunteer's hours. In one transaction: the attendance row (unique per sign-up), the
 * points award by the community's rule in force (capped per volunteer per calendar day), the ledger entry keyed by
 * the attendance id, and the events `volunteering.attendance.verified`, `points.awarded` and any
 * `points.tier-reached`. Either all of it happens or none.
 */
export class AttendanceService {
  constructor(
    private readonly db: DataSource,
    private readonly organizers: OrganizerPolicy,
    private readonly rules: PointsRules,
    private readonly ledger: PointsLedger,
    private readonly events: VolunteeringEvents,
  ) {}

  /**
   * `withoutCheckInReason`: a community worker confirms hours of a volunteer who never checked in (a phone that died
   * on site). Nobody else can; the reason goes into the ledger memo and verification_overrides.
   */
  async verify(
    context: AuthContext,
    signUpId: string,
    hours: number,
    withoutCheckInReason?: string | null,
  ): Promise<Verification> {
    const caller = requireCaller(context);
    const overrideReason =
      withoutCheckInReason == null ? null : requireText(withoutCheckInReason, 'withoutCheckInReason', 4, 200);
    if (overrideReason && !caller.roles.includes(Role.COMMUNITY_WORKER))
      throw new ForbiddenError(
        'CHECK_IN_OVERRIDE_NOT_ALLOWED',
        'Only a community worker can verify attendance without a check-in',
      );
    if (!Number.isFinite(hours) || hours <= 0) throw new BadUserInputError('hours must be more than 0', 'hours');
    if (Math.abs(Math.round(hours * 100) - hours * 100) > 1e-6)
      throw new BadUserInputError('hours are counted to at most two decimals (0.25 = a quarter hour)', 'hours');
    return this.db.transaction(async (manager) => {
      const { signUp, opportunity } = await lockSignUpToOrganize(manager, this.organizers, caller, signUpId);
      if (signUp.userId === caller.userId)
        throw new ForbiddenError(
          'SELF_VERIFICATION',
          'Nobody verifies their own attendance; another organizer must confirm it',
        );
      if (signUp.status === SignUpStatus.VERIFIED)
        throw new ConflictError('ALREADY_VERIFIED', 'This attendance has already been verified');
      if (signUp.status === SignUpStatus.SIGNED_UP && !overrideReason)
        throw new ConflictError(
          'NOT_CHECKED_IN',
          'The volunteer never checked in with the shift’s code; a community worker may verify with a reason',
        );
      if (!CHECKED_IN.includes(signUp.status) && signUp.status !== SignUpStatus.SIGNED_UP)
        throw new ConflictError('INVALID_STATE', `A sign-up that is ${signUp.status.toLowerCase()} cannot be verified`);
      const overridden = signUp.status === SignUpStatus.SIGNED_UP ? overrideReason : null;
      const shift = await manager.findOneByOrFail(ShiftEntity, { id: signUp.shiftId });
      if (shift.startsAt.getTime() > Date.now())
        throw new ConflictError('SHIFT_NOT_STARTED', 'Attendance can be verified only once the shift has started');
      const shiftHours = (shift.endsAt.getTime() - shift.startsAt.getTime()) / 3600_000;
      if (hours > shiftHours + 1e-9)
        throw new BadUserInputError(`hours cannot exceed the shift's length of ${shiftHours} hours`, 'hours');

      // Lock the account before reading today's awards, so two verifications for one volunteer cannot both fit
      // under the daily cap.
      await this.ledger.lockAccount(manager, signUp.userId, signUp.communityId);
      const rule = await this.rules.ruleInForce(manager, signUp.communityId);
      const [{ service_date: serviceDate, awarded }] = await manager.query<{ service_date: string; awarded: number }[]>(
        `SELECT d.service_date::text AS service_date,
                COALESCE((SELECT sum(points_awarded) FROM attendances
                           WHERE user_id = $1 AND service_date = d.service_date), 0)::int AS awarded
           FROM (SELECT ($2::timestamptz AT TIME ZONE $3)::date AS service_date) d`,
        [signUp.userId, shift.startsAt, POINTS_TIME_ZONE],
      );
      const points = Math.max(0, Math.min(pointsForHours(rule, opportunity.category, hours), rule.dailyCap - awarded));

      const attendanceId = randomUUID();
      await manager.insert(AttendanceEntity, {
        id: attendanceId,
        signUpId,
        shiftId: shift.id,
        communityId: signUp.communityId,
        userId: signUp.userId,
        serviceDate,
        hours,
        pointsAwarded: points,
        pointsRuleVersion: rule.version,
        verifiedBy: caller.userId,
      });
      await manager.query(`UPDATE sign_ups SET status = 'VERIFIED' WHERE id = $1`, [signUpId]);
      if (overridden)
        await manager.query(
          `INSERT INTO verification_overrides (id, attendance_id, sign_up_id, community_id, user_id, decided_by, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [randomUUID(), attendanceId, signUpId, signUp.communityId, signUp.userId, caller.userId, overridden],
        );
      const attendance = await manager.findOneByOrFail(AttendanceEntity, { id: attendanceId });
      const verifiedEventId = await this.events.attendanceVerified(manager, {
        attendanceId,
        signUpId,
        shiftId: shift.id,
        opportunityId: opportunity.id,
        userId: signUp.userId,
        communityId: signUp.communityId,
        category: opportunity.category,
        hours,
        verifiedBy: caller.userId,
        verifiedAt: attendance.verifiedAt.toISOString(),
      });
      if (points > 0) {
        const credit = await this.ledger.credit(manager, {
          userId: signUp.userId,
          communityId: signUp.communityId,
          points,
          kind: PointsEntryKind.EARNED_VOLUNTEERING,
          sourceType: ATTENDANCE_SOURCE_TYPE,
          sourceId: attendanceId,
          memo: overridden
            ? `${opportunity.title} · ${hours} 小时 · 未签到，社工确认：${overridden}`
            : `${opportunity.title} · ${hours} 小时`,
          causedBy: caller.userId,
          causationId: verifiedEventId,
        });
        if (!credit) throw new ConflictError('ALREADY_AWARDED', 'These hours have already been awarded');
      }
      return { signUp: await manager.findOneByOrFail(SignUpEntity, { id: signUpId }), attendance };
    });
  }
}
