import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Tier } from '../domain/ladder';

/** Projection of volunteering's points tiers (from points.tier-reached): the highest tier each resident reached. */
@Entity('resident_tiers')
export class ResidentTierEntity {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  tier!: Tier;

  @Column('integer', { name: 'lifetime_earned' })
  lifetimeEarned!: number;

  @Column('timestamptz', { name: 'reached_at' })
  reachedAt!: Date;

  /** The tier-reached event that set this tier: candidates raised from it cite it, so it raises each step once. */
  @Column('uuid', { name: 'source_event_id' })
  sourceEventId!: string;
}
