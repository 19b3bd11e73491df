import {
  ForbiddenError,
  pageArgs,
  requireCaller,
  sequenceCursor,
  toConnection,
  type AuthContext,
  type Connection,
} from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { NotificationEntity } from '../entities/notification.entity';

/**
 * Reads of notifications: a resident's own only. Staff see nobody else's either — a notification is the resident's
 * mail, not a record of the community.
 */
export class NotificationQueries {
  constructor(private readonly db: DataSource) {}

  private requireOwner(context: AuthContext, userId: string): void {
    const caller = requireCaller(context);
    if (caller.userId !== userId.toLowerCase())
      throw new ForbiddenError('NOT_YOURS', 'Notifications are read only by the resident they were sent to');
  }

  /** Newest first (highest sequence first). */
  async pageOf(
    context: AuthContext,
    userId: string,
    first: number | null,
    after: string | null,
    unreadOnly: boolean,
  ): Promise<Connection<NotificationEntity>> {
    this.requireOwner(context, userId);
    const page = pageArgs(first, after, sequenceCursor);
    const query = this.db
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.recipient_id = :userId', { userId: userId.toLowerCase() })
      .orderBy('n.sequence', 'DESC')
      .limit(page.limit + 1);
    if (unreadOnly) query.andWhere('n.read_at IS NULL');
    if (page.after) query.andWhere('n.sequence < :sequence', { sequence: page.after[0] });
    const rows = await query.getMany();
    return toConnection(rows, page.limit, (row) => [row.sequence], undefined, page.after !== null);
  }

  async unreadCount(context: AuthContext, userId: string): Promise<number> {
    this.requireOwner(context, userId);
    const [{ count }] = await this.db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM notifications WHERE recipient_id = $1 AND read_at IS NULL`,
      [userId.toLowerCase()],
    );
    return count;
  }

  /** The resident's newest sequence number (kept even when old notifications are pruned), '0' before the first. */
  async newestSequence(recipientId: string): Promise<string> {
    const [row] = await this.db.query<{ newest: string }[]>(
      'SELECT last_sequence::text AS newest FROM notification_recipients WHERE recipient_id = $1',
      [recipientId],
    );
    return row?.newest ?? '0';
  }

  /** For the live stream: the recipient's notifications numbered after `sequence`, oldest first. */
  afterSequence(recipientId: string, sequence: string, limit: number): Promise<NotificationEntity[]> {
    return this.db
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.recipient_id = :recipientId AND n.sequence > :sequence', { recipientId, sequence })
      .orderBy('n.sequence', 'ASC')
      .limit(limit)
      .getMany();
  }
}
