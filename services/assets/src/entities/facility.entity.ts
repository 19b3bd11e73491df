import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Booker, OpeningHours } from '../domain/vocabulary';
import { fenColumn } from './fen-column';

/** A FACILITY asset's booking side: opening hours (local time of its time zone), capacity and rules. */
@Entity('facilities')
export class FacilityEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('integer')
  capacity!: number;

  @Column('text', { name: 'time_zone' })
  timeZone!: string;

  @Column('jsonb', { name: 'opening_hours' })
  openingHours!: OpeningHours[];

  @Column('text', { name: 'bookable_by', array: true })
  bookableBy!: Booker[];

  @Column('integer', { name: 'max_booking_minutes' })
  maxBookingMinutes!: number;

  @Column('integer', { name: 'max_days_ahead' })
  maxDaysAhead!: number;

  @Column('bigint', { name: 'fee_per_hour_fen', transformer: fenColumn })
  feePerHourFen!: number;

  @Column('boolean', { name: 'free_for_organizations' })
  freeForOrganizations!: boolean;

  @Column('integer', { name: 'approval_above_attendees', nullable: true })
  approvalAboveAttendees!: number | null;
}
