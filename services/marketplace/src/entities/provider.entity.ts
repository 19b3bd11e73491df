import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ProviderKind, ProviderStatus } from '../domain/vocabulary';

@Entity('providers')
export class ProviderEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  kind!: ProviderKind;

  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  /** Phone or address of the provider; masked for everyone but staff and the provider's managers. */
  @Column('text')
  contact!: string;

  @Column('boolean', { name: 'community_owned' })
  communityOwned!: boolean;

  /** A SOCIAL_ORGANIZATION provider is an organization of the organizations subgraph. */
  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  /** Who registered it and manages it (with an organization's current leaders). */
  @Column('uuid', { name: 'owner_id' })
  ownerId!: string;

  @Column('text')
  status!: ProviderStatus;

  @Column('text', { name: 'status_reason', nullable: true })
  statusReason!: string | null;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
