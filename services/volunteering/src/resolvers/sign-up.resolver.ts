import { requireUuid, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, Float, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { AttendanceService } from '../domain/attendance.service';
import type { SignUpService } from '../domain/sign-up.service';
import type { AttendanceEntity } from '../entities/attendance.entity';
import type { ShiftEntity } from '../entities/shift.entity';
import type { SignUpEntity } from '../entities/sign-up.entity';
import { ShiftType } from '../schema/opportunity.type';
import { UserRef } from '../schema/refs.type';
import { AttendanceType, SignUpType } from '../schema/sign-up.type';
import { loadAttendanceOfSignUp, loadShift } from './loaders';

@Resolver(() => SignUpType)
export class SignUpResolver {
  constructor(
    private readonly db: DataSource,
    private readonly signUps: SignUpService,
    private readonly attendanceService: AttendanceService,
  ) {}

  @Mutation(() => SignUpType, {
    description:
      'Take a place on a shift of your community (WAITLISTED when it is full). Not twice, not for overlapping ' +
      'shifts, not after the shift started',
  })
  signUp(@Ctx() context: ServiceContext, @Arg('shiftId', () => ID) shiftId: string): Promise<SignUpEntity> {
    return this.signUps.signUp(context, requireUuid(shiftId, 'shiftId'));
  }

  @Mutation(() => SignUpType, {
    description: 'Give up your place before the shift starts; the first waitlisted volunteer gets it',
  })
  cancelSignUp(@Ctx() context: ServiceContext, @Arg('signUpId', () => ID) signUpId: string): Promise<SignUpEntity> {
    return this.signUps.cancel(context, requireUuid(signUpId, 'signUpId'));
  }

  @Mutation(() => SignUpType, {
    description: 'Check in on site with the code the organizer shows (from 30 minutes before the start)',
  })
  checkIn(
    @Ctx() context: ServiceContext,
    @Arg('signUpId', () => ID) signUpId: string,
    @Arg('code', () => String) code: string,
  ): Promise<SignUpEntity> {
    return this.signUps.checkIn(context, requireUuid(signUpId, 'signUpId'), code);
  }

  @Mutation(() => SignUpType, {
    description:
      'Organizers: let a volunteer whose sign-up is locked after too many wrong check-in codes (CHECK_IN_LOCKED) try again',
  })
  resetCheckInAttempts(
    @Ctx() context: ServiceContext,
    @Arg('signUpId', () => ID) signUpId: string,
  ): Promise<SignUpEntity> {
    return this.signUps.resetCheckInAttempts(context, requireUuid(signUpId, 'signUpId'));
  }

  @Mutation(() => SignUpType, { description: 'Check out when you leave' })
  checkOut(@Ctx() context: ServiceContext, @Arg('signUpId', () => ID) signUpId: string): Promise<SignUpEntity> {
    return this.signUps.checkOut(context, requireUuid(signUpId, 'signUpId'));
  }

  @Mutation(() => SignUpType, {
    description:
      'Organizers confirm a volunteer’s hours (at most the shift’s length, never their own); points are awarded ' +
      'by the community’s points rule in the same step',
  })
  async verifyAttendance(
    @Ctx() context: ServiceContext,
    @Arg('signUpId', () => ID) signUpId: string,
    @Arg('hours', () => Float, { description: 'Hours worked, up to two decimals' }) hours: number,
    @Arg('withoutCheckInReason', () => String, {
      nullable: true,
      description:
        'Community workers only: verify a volunteer who never checked in, with the reason (4–200 characters; kept in ' +
        'the ledger memo and the audit). Without it a sign-up must have been checked in.',
    })
    withoutCheckInReason: string | null,
  ): Promise<SignUpEntity> {
    return (
      await this.attendanceService.verify(context, requireUuid(signUpId, 'signUpId'), hours, withoutCheckInReason)
    ).signUp;
  }

  @Mutation(() => SignUpType, { description: 'Organizers record that a signed-up volunteer did not come' })
  markNoShow(@Ctx() context: ServiceContext, @Arg('signUpId', () => ID) signUpId: string): Promise<SignUpEntity> {
    return this.signUps.markNoShow(context, requireUuid(signUpId, 'signUpId'));
  }

  @FieldResolver(() => ShiftType)
  shift(@Root() signUp: SignUpEntity, @Ctx() context: ServiceContext): Promise<ShiftEntity | null> {
    return loadShift(this.db, context, signUp.shiftId);
  }

  @FieldResolver(() => UserRef, { description: 'The volunteer' })
  user(@Root() signUp: SignUpEntity): UserRef {
    return { id: signUp.userId };
  }

  @FieldResolver(() => AttendanceType, { nullable: true, description: 'Once VERIFIED' })
  attendance(@Root() signUp: SignUpEntity, @Ctx() context: ServiceContext): Promise<AttendanceEntity | null> {
    return loadAttendanceOfSignUp(this.db, context, signUp.id);
  }
}
