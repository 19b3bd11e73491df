import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Tier } from '../domain/vocabulary';

@Entity('points_accounts')
export class PointsAccountEntity {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  /** Spendable points; the database refuses a negative balance. */
  @Column('integer')
  balance!: number;

  /** Everything ever earned; only a REVERSAL lowers it. Tiers are measured on tierPoints (decision 0007). */
  @Column('integer', { name: 'lifetime_earned' })
  lifetimeEarned!: number;

  /** The part of lifetimeEarned that counts toward tiers; the rest is held until the residence is confirmed. */
  @Column('integer', { name: 'tier_points' })
  tierPoints!: number;

  @Column('text')
  tier!: Tier;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
