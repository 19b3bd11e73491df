import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericColumn } from './numeric-column';

/** An organizer's confirmation of a volunteer's hours: the source the points entry is keyed by. */
@Entity('attendances')
export class AttendanceEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'sign_up_id' })
  signUpId!: string;

  @Column('uuid', { name: 'shift_id' })
  shiftId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** Calendar day of the shift in Asia/Shanghai, the day the daily cap counts against. */
  @Column('date', { name: 'service_date' })
  serviceDate!: string;

  @Column('numeric', { precision: 5, scale: 2, transformer: numericColumn })
  hours!: number;

  @Column('integer', { name: 'points_awarded' })
  pointsAwarded!: number;

  @Column('integer', { name: 'points_rule_version' })
  pointsRuleVersion!: number;

  @Column('uuid', { name: 'verified_by' })
  verifiedBy!: string;

  @Column('timestamptz', { name: 'verified_at' })
  verifiedAt!: Date;
}
