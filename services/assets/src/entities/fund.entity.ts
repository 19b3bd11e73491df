import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FundKind } from '../domain/vocabulary';
import { fenColumn } from './fen-column';

/** A community fund; its balance moves only with ledger entries (a database trigger keeps it). */
@Entity('funds')
export class FundEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  kind!: FundKind;

  @Column('text')
  name!: string;

  @Column('uuid', { name: 'campaign_id', nullable: true })
  campaignId!: string | null;

  @Column('bigint', { name: 'balance_fen', transformer: fenColumn })
  balanceFen!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
