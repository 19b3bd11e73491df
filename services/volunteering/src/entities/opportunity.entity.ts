import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OpportunityCategory, OpportunityStatus } from '../domain/vocabulary';

@Entity('opportunities')
export class OpportunityEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  /** Host organization, owned by the organizations subgraph; only its id is kept here. */
  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Column('text')
  title!: string;

  @Column('text')
  description!: string;

  @Column('text')
  category!: OpportunityCategory;

  @Column('text')
  location!: string;

  @Column('text')
  status!: OpportunityStatus;

  @Column('uuid', { name: 'created_by' })
  createdBy!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt!: Date | null;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;
}
