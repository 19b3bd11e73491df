import type { PartnerScope } from '@taoyuan/service-kit';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export enum PartnerKind {
  GOVERNMENT = 'GOVERNMENT',
  FOUNDATION = 'FOUNDATION',
  ENTERPRISE = 'ENTERPRISE',
  SOCIAL_ORGANIZATION = 'SOCIAL_ORGANIZATION',
}

export enum PartnerClientStatus {
  /** Waiting for a committee member of every community it serves. */
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
}

/** A partner agency's OAuth client (client credentials). Only the SHA-256 of its secret is kept. */
@Entity('partner_clients')
export class PartnerClientEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: PartnerKind;

  @Column('uuid', { name: 'community_ids', array: true })
  communityIds!: string[];

  @Column('text', { array: true })
  scopes!: PartnerScope[];

  @Column('text')
  status!: PartnerClientStatus;

  @Column('text', { name: 'secret_hash' })
  secretHash!: string;

  @Column('timestamptz', { name: 'secret_rotated_at' })
  secretRotatedAt!: Date;

  @Column('uuid', { name: 'registered_by' })
  registeredBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('uuid', { name: 'revoked_by', nullable: true })
  revokedBy!: string | null;
}

/** One committee member's approval on behalf of one community the client serves. */
@Entity('partner_client_approvals')
export class PartnerClientApprovalEntity {
  @PrimaryColumn('uuid', { name: 'client_id' })
  clientId!: string;

  @PrimaryColumn('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'approved_by' })
  approvedBy!: string;

  @CreateDateColumn({ name: 'approved_at', type: 'timestamptz' })
  approvedAt!: Date;
}
