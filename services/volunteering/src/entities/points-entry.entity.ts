import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PointsEntryKind } from '../domain/vocabulary';

/** One line of the append-only points ledger (the database refuses UPDATE and DELETE). */
@Entity('points_entries')
export class PointsEntryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('integer')
  delta!: number;

  @Column('text')
  kind!: PointsEntryKind;

  /** What caused the entry, e.g. ATTENDANCE + attendance id; unique together, so one source never pays twice. */
  @Column('text', { name: 'source_type' })
  sourceType!: string;

  @Column('text', { name: 'source_id' })
  sourceId!: string;

  @Column('integer', { name: 'balance_after' })
  balanceAfter!: number;

  @Column('integer', { name: 'lifetime_after' })
  lifetimeAfter!: number;

  @Column('text')
  memo!: string;

  @Column('uuid', { name: 'caused_by', nullable: true })
  causedBy!: string | null;

  /** Earned while the resident's residence was unconfirmed: it did not count toward tiers when written. */
  @Column('boolean')
  held!: boolean;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
