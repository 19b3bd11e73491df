import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OpportunityCategory } from '../domain/vocabulary';

@Entity('points_rules')
export class PointsRuleEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('integer')
  version!: number;

  @Column('integer', { name: 'points_per_hour' })
  pointsPerHour!: number;

  /** Only categories that differ from 1.0 are listed. */
  @Column('jsonb', { name: 'category_multipliers' })
  categoryMultipliers!: Partial<Record<OpportunityCategory, number>>;

  @Column('integer', { name: 'daily_cap' })
  dailyCap!: number;

  @Column('timestamptz', { name: 'effective_from' })
  effectiveFrom!: Date;

  @Column('uuid', { name: 'changed_by' })
  changedBy!: string;
}
