import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export enum WebhookEndpointStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}

/** Where a partner client wants events delivered, and the `whsec_` key they are signed with. */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'client_id' })
  clientId!: string;

  @Column('text')
  url!: string;

  @Column('text', { name: 'event_types', array: true })
  eventTypes!: string[];

  @Column('uuid', { name: 'community_ids', array: true })
  communityIds!: string[];

  @Column('text')
  secret!: string;

  @Column('text')
  status!: WebhookEndpointStatus;

  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
