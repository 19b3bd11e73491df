import type { Caller } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';

/** One row per staff decision (verifying a provider, hiding a review), written in the decision's transaction. */
export async function recordAudit(
  manager: EntityManager,
  actor: Caller,
  action: string,
  subjectType: string,
  subjectId: string,
  reason: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO audit_entries (community_id, actor_id, action, subject_type, subject_id, reason)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [actor.communityId, actor.userId, action, subjectType, subjectId, reason],
  );
}
