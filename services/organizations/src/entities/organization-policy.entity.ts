import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Limits a community sets for its organizations; a community without a row uses the service's configured default. */
@Entity('organization_policies')
export class OrganizationPolicyEntity {
  @PrimaryColumn('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('integer', { name: 'max_leaders_per_organization' })
  maxLeadersPerOrganization!: number;

  @Column('uuid', { name: 'updated_by' })
  updatedBy!: string;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
