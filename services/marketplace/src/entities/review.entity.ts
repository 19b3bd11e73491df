import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('reviews')
export class ReviewEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'order_id' })
  orderId!: string;

  @Column('uuid', { name: 'offering_id' })
  offeringId!: string;

  @Column('uuid', { name: 'provider_id' })
  providerId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'author_id' })
  authorId!: string;

  @Column('integer')
  rating!: number;

  @Column('text')
  comment!: string;

  @Column('text', { nullable: true })
  reply!: string | null;

  @Column('timestamptz', { name: 'replied_at', nullable: true })
  repliedAt!: Date | null;

  @Column('boolean')
  hidden!: boolean;

  @Column('text', { name: 'hidden_reason', nullable: true })
  hiddenReason!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
