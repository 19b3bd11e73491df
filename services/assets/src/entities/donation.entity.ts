import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DonationStatus } from '../domain/vocabulary';
import { fenColumn } from './fen-column';

@Entity('donations')
export class DonationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'campaign_id' })
  campaignId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'donor_id' })
  donorId!: string;

  @Column('bigint', { name: 'amount_fen', transformer: fenColumn })
  amountFen!: number;

  @Column('boolean')
  anonymous!: boolean;

  @Column('text')
  message!: string;

  @Column('text')
  status!: DonationStatus;

  @Column('text', { name: 'payment_reference', nullable: true })
  paymentReference!: string | null;

  @Column('text', { name: 'receipt_number', nullable: true })
  receiptNumber!: string | null;

  @Column('uuid', { name: 'entry_id', nullable: true })
  entryId!: string | null;

  @Column('uuid', { name: 'confirmed_by', nullable: true })
  confirmedBy!: string | null;

  @Column('timestamptz', { name: 'confirmed_at', nullable: true })
  confirmedAt!: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
