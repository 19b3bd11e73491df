import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SignUpCancelReason, SignUpStatus } from '../domain/vocabulary';

@Entity('sign_ups')
export class SignUpEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'shift_id' })
  shiftId!: string;

  @Column('uuid', { name: 'opportunity_id' })
  opportunityId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  status!: SignUpStatus;

  /** 1 = next to be promoted; set only while WAITLISTED. */
  @Column('integer', { name: 'waitlist_position', nullable: true })
  waitlistPosition!: number | null;

  @Column('timestamptz', { name: 'signed_up_at' })
  signedUpAt!: Date;

  @Column('timestamptz', { name: 'promoted_at', nullable: true })
  promotedAt!: Date | null;

  @Column('timestamptz', { name: 'checked_in_at', nullable: true })
  checkedInAt!: Date | null;

  @Column('timestamptz', { name: 'checked_out_at', nullable: true })
  checkedOutAt!: Date | null;

  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;

  @Column('text', { name: 'cancel_reason', nullable: true })
  cancelReason!: SignUpCancelReason | null;

  /** Wrong check-in codes entered; at MAX_CHECK_IN_FAILURES the sign-up is locked until an organizer resets it. */
  @Column('integer', { name: 'check_in_failures' })
  checkInFailures!: number;
}
