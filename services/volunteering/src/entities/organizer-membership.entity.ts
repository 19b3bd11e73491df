import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Local projection of organizations' memberships (from organizations.member.* events), so deciding who may organize
 * for a host organization needs no call to another service.
 */
@Entity('organizer_memberships')
export class OrganizerMembershipEntity {
  @PrimaryColumn('uuid', { name: 'membership_id' })
  membershipId!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  role!: 'MEMBER' | 'ACTIVIST' | 'BACKBONE' | 'LEADER';

  @Column('boolean')
  active!: boolean;

  /** organizations' version of the membership this row shows (the newest fact wins, whatever the arrival order). */
  @Column('integer', { name: 'membership_version' })
  membershipVersion!: number;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
