import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrganizationStatus } from '../domain/organization-values';

/** Every status change of an organization, with who made it and why (suspensions and dissolutions need a reason). */
@Entity('organization_status_changes')
export class OrganizationStatusChangeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text', { name: 'from_status', nullable: true })
  fromStatus!: OrganizationStatus | null;

  @Column('text', { name: 'to_status' })
  toStatus!: OrganizationStatus;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('uuid', { name: 'changed_by' })
  changedBy!: string;

  @Column({ type: 'timestamptz', name: 'changed_at', insert: false, update: false })
  changedAt!: Date;
}
