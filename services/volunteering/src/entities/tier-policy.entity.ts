import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('tier_policies')
export class TierPolicyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('integer')
  version!: number;

  @Column('integer')
  activist!: number;

  @Column('integer')
  backbone!: number;

  @Column('integer')
  leader!: number;

  @Column('timestamptz', { name: 'effective_from' })
  effectiveFrom!: Date;

  @Column('uuid', { name: 'changed_by' })
  changedBy!: string;
}
