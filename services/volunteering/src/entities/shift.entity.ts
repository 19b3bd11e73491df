import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('shifts')
export class ShiftEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'opportunity_id' })
  opportunityId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt!: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt!: Date;

  /** IANA zone the shift is announced in, e.g. Asia/Shanghai; the instants themselves are absolute. */
  @Column('text', { name: 'time_zone' })
  timeZone!: string;

  @Column('integer')
  capacity!: number;

  /** Six digits the organizer shows on site; checking in needs it, so a check-in means being there. */
  @Column('text', { name: 'check_in_code' })
  checkInCode!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
