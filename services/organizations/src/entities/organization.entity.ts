import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { JoinPolicy, OrganizationKind, OrganizationStatus } from '../domain/organization-values';

/** A community social organization (社会组织): a volunteer team, a club, an association… */
@Entity('organizations')
export class OrganizationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: OrganizationKind;

  @Column('text')
  description!: string;

  @Column('text', { nullable: true })
  contact!: string | null;

  @Column('text', { name: 'join_policy' })
  joinPolicy!: JoinPolicy;

  @Column('text')
  status!: OrganizationStatus;

  /** 1 at registration, +1 per status change; organizations.organization.status-changed carries it. */
  @Column('integer', { name: 'status_version' })
  statusVersion!: number;

  @Column('uuid', { name: 'registered_by' })
  registeredBy!: string;

  @Column('uuid', { name: 'approved_by', nullable: true })
  approvedBy!: string | null;

  @Column('timestamptz', { name: 'approved_at', nullable: true })
  approvedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
