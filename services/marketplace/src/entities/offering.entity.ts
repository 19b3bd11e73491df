import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OfferingStatus, ServiceCategory, TargetGroup } from '../domain/vocabulary';

@Entity('offerings')
export class OfferingEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'provider_id' })
  providerId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  title!: string;

  @Column('text')
  description!: string;

  @Column('text')
  category!: ServiceCategory;

  @Column('text', { name: 'target_groups', array: true })
  targetGroups!: TargetGroup[];

  @Column('boolean')
  free!: boolean;

  @Column('integer', { name: 'price_points', nullable: true })
  pricePoints!: number | null;

  @Column('integer', { name: 'price_fen', nullable: true })
  priceFen!: number | null;

  @Column('text')
  status!: OfferingStatus;

  @Column('uuid', { name: 'created_by' })
  createdBy!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt!: Date | null;
}
