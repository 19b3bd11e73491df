import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { SignUpStatus } from './enums';

@ObjectType('SignUp', { description: 'A volunteer’s place (or waitlist place) on a shift' })
export class SignUpType {
  @Field(() => ID)
  id!: string;

  @Field(() => SignUpStatus)
  status!: SignUpStatus;

  @Field(() => Int, { nullable: true, description: 'While WAITLISTED: 1 = next to get a place' })
  waitlistPosition!: number | null;

  @Field(() => DateTimeISOResolver)
  signedUpAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When a place freed up and it left the waitlist' })
  promotedAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  checkedInAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  checkedOutAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  cancelledAt!: Date | null;
}

@ObjectType('Attendance', { description: 'Hours an organizer verified, and the points they earned' })
export class AttendanceType {
  @Field(() => ID)
  id!: string;

  @Field(() => Float)
  hours!: number;

  @Field(() => Int, { description: 'After the daily cap; 0 when the cap was already reached that day' })
  pointsAwarded!: number;

  @Field({ description: 'Calendar day of the shift in China Standard Time (YYYY-MM-DD), the day the cap counts' })
  serviceDate!: string;

  @Field(() => DateTimeISOResolver)
  verifiedAt!: Date;
}

export const SignUpConnection = ConnectionType(SignUpType, 'SignUp');
