import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NotificationKind, NotificationParameters } from '../domain/vocabulary';

/** One thing a resident was told, once per source event; its text is rendered when read, in the reader's language. */
@Entity('notifications')
export class NotificationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'recipient_id' })
  recipientId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  /** 1, 2, 3 … per recipient, in commit order: the SSE event id and the list's order. Decimal string (bigint). */
  @Column('bigint')
  sequence!: string;

  @Column('text')
  kind!: NotificationKind;

  @Column('jsonb')
  parameters!: NotificationParameters;

  @Column('uuid', { name: 'source_event_id' })
  sourceEventId!: string;

  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false })
  createdAt!: Date;

  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt!: Date | null;
}
