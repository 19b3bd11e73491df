import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NeedStatus, ServiceCategory } from '../domain/vocabulary';

@Entity('needs')
export class NeedEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'posted_by' })
  postedBy!: string;

  @Column('text')
  title!: string;

  @Column('text')
  description!: string;

  @Column('text')
  category!: ServiceCategory;

  @Column('timestamptz', { name: 'needed_by' })
  neededBy!: Date;

  @Column('integer', { name: 'reward_points' })
  rewardPoints!: number;

  @Column('text')
  status!: NeedStatus;

  /** Whether volunteering holds the reward (points.debited seen). */
  @Column('boolean')
  escrowed!: boolean;

  @Column('uuid', { name: 'claimed_by', nullable: true })
  claimedBy!: string | null;

  @Column('timestamptz', { name: 'claimed_at', nullable: true })
  claimedAt!: Date | null;

  @Column('timestamptz', { name: 'fulfilled_at', nullable: true })
  fulfilledAt!: Date | null;

  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;

  @Column('text', { name: 'cancel_reason', nullable: true })
  cancelReason!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
