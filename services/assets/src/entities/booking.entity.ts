import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BookingStatus } from '../domain/vocabulary';
import { fenColumn } from './fen-column';

@Entity('bookings')
export class BookingEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'facility_id' })
  facilityId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'booked_by' })
  bookedBy!: string;

  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Column('text')
  purpose!: string;

  @Column('integer')
  attendees!: number;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt!: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt!: Date;

  @Column('text')
  status!: BookingStatus;

  @Column('bigint', { name: 'fee_fen', transformer: fenColumn })
  feeFen!: number;

  @Column('timestamptz', { name: 'paid_at', nullable: true })
  paidAt!: Date | null;

  @Column('text', { name: 'payment_reference', nullable: true })
  paymentReference!: string | null;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column('text', { name: 'decision_reason', nullable: true })
  decisionReason!: string | null;

  @Column('uuid', { name: 'cancelled_by', nullable: true })
  cancelledBy!: string | null;

  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;

  @Column('text', { name: 'cancel_reason', nullable: true })
  cancelReason!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
