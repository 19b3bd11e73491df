import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AssetKind, AssetStatus } from '../domain/vocabulary';
import { fenColumn } from './fen-column';

/** One item of the community's asset register. */
@Entity('assets')
export class AssetEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  kind!: AssetKind;

  @Column('text')
  name!: string;

  /** COMMUNITY (the community's self-governing organization) or another named owner. */
  @Column('text')
  owner!: string;

  @Column('bigint', { name: 'value_fen', transformer: fenColumn })
  valueFen!: number;

  @Column('text')
  status!: AssetStatus;

  @Column('text')
  note!: string;

  @Column('uuid', { name: 'created_by' })
  createdBy!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
