import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ExpenseStatus, SpendingCategory } from '../domain/vocabulary';
import { fenColumn } from './fen-column';

@Entity('expenses')
export class ExpenseEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'fund_id' })
  fundId!: string;

  @Column('text')
  category!: SpendingCategory;

  @Column('bigint', { name: 'amount_fen', transformer: fenColumn })
  amountFen!: number;

  @Column('text')
  payee!: string;

  @Column('text')
  purpose!: string;

  @Column('text', { name: 'receipt_reference' })
  receiptReference!: string;

  @Column('text')
  status!: ExpenseStatus;

  @Column('integer', { name: 'approvals_required' })
  approvalsRequired!: number;

  @Column('uuid', { name: 'proposed_by' })
  proposedBy!: string;

  @Column('uuid', { name: 'rejected_by', nullable: true })
  rejectedBy!: string | null;

  @Column('text', { name: 'reject_reason', nullable: true })
  rejectReason!: string | null;

  @Column('uuid', { name: 'entry_id', nullable: true })
  entryId!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;
}
