import { runPeriodically, type Logger } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';

const BATCH = 1_000;

/**
 * Notifications are a resident's recent news, not a record (points, orders and sign-ups keep their own history):
 * older than the retention period they are deleted, a batch at a time so no statement holds many rows. Sequence
 * numbers come from `notification_recipients`, so a resident's next notification still follows the last one sent.
 */
export class NotificationRetention {
  constructor(
    private readonly db: DataSource,
    private readonly retentionDays: number,
    private readonly logger: Logger,
  ) {}

  /** Deletes every notification past the retention period; returns how many. */
  async pruneOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ deleted }] = await this.db.query<{ deleted: number }[]>(
        `WITH gone AS (
           DELETE FROM notifications WHERE id IN (
             SELECT id FROM notifications WHERE created_at < now() - make_interval(days => $1) LIMIT $2)
           RETURNING 1)
         SELECT count(*)::int AS deleted FROM gone`,
        [this.retentionDays, BATCH],
      );
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }

  /** Prunes now and then every `intervalMs`, one run at a time; the returned function stops it. */
  start(intervalMs: number): () => Promise<void> {
    return runPeriodically(
      async () => {
        const deleted = await this.pruneOnce();
        if (deleted > 0) this.logger.info({ deleted, retentionDays: this.retentionDays }, 'old notifications pruned');
      },
      { what: 'pruning old notifications', intervalMs, immediately: true, logger: this.logger },
    );
  }
}
