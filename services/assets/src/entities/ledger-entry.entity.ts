import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Direction, LedgerCategory, LedgerSource } from '../domain/vocabulary';
import { fenColumn } from './fen-column';

/** One line of the append-only ledger (the database refuses UPDATE and DELETE; corrections are reversals). */
@Entity('ledger_entries')
export class LedgerEntryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'fund_id' })
  fundId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  direction!: Direction;

  @Column('text')
  category!: LedgerCategory;

  @Column('bigint', { name: 'amount_fen', transformer: fenColumn })
  amountFen!: number;

  @Column('text', { name: 'source_type' })
  sourceType!: LedgerSource;

  @Column('text', { name: 'source_id' })
  sourceId!: string;

  @Column('uuid', { name: 'campaign_id', nullable: true })
  campaignId!: string | null;

  @Column('uuid', { name: 'reverses_entry_id', nullable: true })
  reversesEntryId!: string | null;

  @Column('text')
  memo!: string;

  @Column('uuid', { name: 'recorded_by', nullable: true })
  recordedBy!: string | null;

  @Column('uuid', { name: 'approved_by', nullable: true })
  approvedBy!: string | null;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @Column('timestamptz', { name: 'recorded_at' })
  recordedAt!: Date;
}
