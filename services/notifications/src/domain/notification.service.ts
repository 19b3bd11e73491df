import { randomUUID } from 'node:crypto';
import { BadUserInputError, isUuid, requireCaller, type AuthContext } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { NotificationKind, NotificationParameters } from './vocabulary';

/** The channel stream processes LISTEN on; the payload is the recipient's id (see stream/notification-feed.ts). */
export const NOTIFICATION_CHANNEL = 'taoyuan_notifications';

/** More ids than any screen shows at once: a bigger list is a client bug, not a request to honour. */
export const MAX_IDS_PER_MARK = 500;

export interface NewNotification {
  recipientId: string;
  communityId: string;
  kind: NotificationKind;
  parameters: NotificationParameters;
  sourceEventId: string;
}

/** Recording what a resident is told (from events), and their marking it read. */
export class NotificationService {
  constructor(private readonly db: DataSource) {}

  /**
   * Inside the inbox transaction of the source event. The event id is unique here too, so a copy that slipped past
   * the inbox (a replayed dead letter under the same id) tells nobody twice. The recipient's counter row stays
   * locked until commit: their numbers commit in order.
   */
  async record(manager: EntityManager, notification: NewNotification): Promise<boolean> {
    const [known] = await manager.query<unknown[]>(`SELECT 1 FROM notifications WHERE source_event_id = $1`, [
      notification.sourceEventId,
    ]);
    if (known) return false;
    const [{ last_sequence: sequence }] = await manager.query<{ last_sequence: string }[]>(
      `INSERT INTO notification_recipients (recipient_id, last_sequence) VALUES ($1, 1)
       ON CONFLICT (recipient_id) DO UPDATE SET last_sequence = notification_recipients.last_sequence + 1
       RETURNING last_sequence`,
      [notification.recipientId],
    );
    await manager.query(
      `INSERT INTO notifications (id, recipient_id, community_id, sequence, kind, parameters, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        randomUUID(),
        notification.recipientId,
        notification.communityId,
        sequence,
        notification.kind,
        JSON.stringify(notification.parameters),
        notification.sourceEventId,
      ],
    );
    // Delivered at commit, never for a rollback: the recipient's open streams fetch what is new.
    await manager.query(`SELECT pg_notify($1, $2)`, [NOTIFICATION_CHANNEL, notification.recipientId]);
    return true;
  }

  /** Marks the caller's own notifications among `ids` read; ids of anyone else's count for nothing. */
  async markRead(context: AuthContext, ids: readonly string[]): Promise<number> {
    const caller = requireCaller(context);
    if (ids.length > MAX_IDS_PER_MARK) throw new BadUserInputError(`at most ${MAX_IDS_PER_MARK} ids at a time`, 'ids');
    const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    if (wanted.length === 0) return 0;
    const [{ count }] = await this.db.query<{ count: number }[]>(
      `WITH updated AS (
         UPDATE notifications SET read_at = clock_timestamp()
          WHERE recipient_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL
          RETURNING 1)
       SELECT count(*)::int AS count FROM updated`,
      [caller.userId, wanted],
    );
    return count;
  }

  async markAllRead(context: AuthContext): Promise<number> {
    const caller = requireCaller(context);
    const [{ count }] = await this.db.query<{ count: number }[]>(
      `WITH updated AS (
         UPDATE notifications SET read_at = clock_timestamp() WHERE recipient_id = $1 AND read_at IS NULL RETURNING 1)
       SELECT count(*)::int AS count FROM updated`,
      [caller.userId],
    );
    return count;
  }
}
