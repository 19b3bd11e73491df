import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MembershipRole } from '../domain/ladder';

/** A membership's role history: who changed which role to what, when, and why. The first row is the joining role. */
@Entity('membership_role_changes')
export class MembershipRoleChangeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'membership_id' })
  membershipId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text', { name: 'from_role', nullable: true })
  fromRole!: MembershipRole | null;

  @Column('text', { name: 'to_role' })
  toRole!: MembershipRole;

  /** The promotion candidate this change approved, when it was a promotion. */
  @Column('uuid', { name: 'candidate_id', nullable: true })
  candidateId!: string | null;

  @Column('uuid', { name: 'changed_by' })
  changedBy!: string;

  @Column('text')
  reason!: string;

  @Column({ type: 'timestamptz', name: 'changed_at', insert: false, update: false })
  changedAt!: Date;
}
