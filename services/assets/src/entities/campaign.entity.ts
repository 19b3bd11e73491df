import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CampaignStatus } from '../domain/vocabulary';
import { fenColumn } from './fen-column';

@Entity('campaigns')
export class CampaignEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  title!: string;

  @Column('text')
  purpose!: string;

  @Column('bigint', { name: 'goal_fen', transformer: fenColumn })
  goalFen!: number;

  @Column('timestamptz', { name: 'opens_at' })
  opensAt!: Date;

  @Column('timestamptz', { name: 'closes_at' })
  closesAt!: Date;

  @Column('boolean', { name: 'requires_vote' })
  requiresVote!: boolean;

  @Column('integer', { name: 'quorum_percent' })
  quorumPercent!: number;

  @Column('text')
  status!: CampaignStatus;

  @Column('uuid', { name: 'proposed_by' })
  proposedBy!: string;

  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column('integer', { name: 'yes_votes', nullable: true })
  yesVotes!: number | null;

  @Column('integer', { name: 'no_votes', nullable: true })
  noVotes!: number | null;

  @Column('integer', { name: 'abstain_votes', nullable: true })
  abstainVotes!: number | null;

  @Column('integer', { name: 'households_eligible', nullable: true })
  householdsEligible!: number | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
