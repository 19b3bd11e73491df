import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MembershipRole, PromotionStatus } from '../domain/ladder';

/** One step up the ladder a member has earned with points, waiting for (or past) a decision. */
@Entity('promotion_candidates')
export class PromotionCandidateEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'membership_id' })
  membershipId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text', { name: 'from_role' })
  fromRole!: MembershipRole;

  @Column('text', { name: 'target_role' })
  targetRole!: MembershipRole;

  /** The highest role the resident's tier allowed when this was raised. */
  @Column('text', { name: 'eligible_up_to' })
  eligibleUpTo!: MembershipRole;

  @Column('text')
  status!: PromotionStatus;

  @Column('uuid', { name: 'source_event_id' })
  sourceEventId!: string;

  @Column({ type: 'timestamptz', name: 'raised_at', insert: false, update: false })
  raisedAt!: Date;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column('text', { name: 'decline_reason', nullable: true })
  declineReason!: string | null;
}
