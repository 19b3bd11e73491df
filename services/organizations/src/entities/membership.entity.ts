import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MembershipRole, MembershipStatus } from '../domain/ladder';
import type { OrganizationEntity } from './organization.entity';

@Entity('memberships')
export class MembershipEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Insertion order, the stable key of keyset pagination (timestamps lose microseconds on their way through JS). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  role!: MembershipRole;

  @Column('text')
  status!: MembershipStatus;

  @Column('timestamptz', { name: 'requested_at', default: () => 'now()' })
  requestedAt!: Date;

  @Column('timestamptz', { name: 'joined_at', nullable: true })
  joinedAt!: Date | null;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column('text', { name: 'end_reason', nullable: true })
  endReason!: string | null;

  /** 1 when created, +1 per change (see updateMembership); every membership event carries it. */
  @Column('integer')
  version!: number;

  /** Not a column: the organization when a read joined it in the same statement (see loadUserMemberships). */
  joinedOrganization?: OrganizationEntity | null;
}
