import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ResidenceStatus } from './residence.entity';

/** Audit trail of residence claims and decisions: who claimed or decided what, when, and why. Append-only. */
@Entity('residence_changes')
export class ResidenceChangeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('uuid', { name: 'household_id', nullable: true })
  householdId!: string | null;

  @Column('text')
  action!: ResidenceStatus;

  @Column('integer')
  version!: number;

  @Column('uuid', { name: 'changed_by' })
  changedBy!: string;

  @Column('text', { nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}
