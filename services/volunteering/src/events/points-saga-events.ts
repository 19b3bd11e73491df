import { PointsDebited, PointsDebitRejected, PointsRefunded, type PayloadOf } from '@taoyuan/events';
import type { EntityManager } from 'typeorm';
import { volunteeringOutbox } from './volunteering-events';

/**
 * volunteering's answers in the marketplace's points saga, written to volunteering's outbox with the caller's manager
 * (inside the inbox transaction of the event they answer), so an answer exists if and only if the ledger changed.
 */
export class PointsSagaEvents {
  async debited(manager: EntityManager, payload: PayloadOf<typeof PointsDebited>, causationId: string): Promise<void> {
    await volunteeringOutbox.publish(manager, PointsDebited, payload, {
      communityId: payload.communityId,
      causationId,
    });
  }

  async debitRejected(
    manager: EntityManager,
    payload: PayloadOf<typeof PointsDebitRejected>,
    causationId: string,
  ): Promise<void> {
    await volunteeringOutbox.publish(manager, PointsDebitRejected, payload, {
      communityId: payload.communityId,
      causationId,
    });
  }

  async refunded(
    manager: EntityManager,
    payload: PayloadOf<typeof PointsRefunded>,
    causationId: string,
  ): Promise<void> {
    await volunteeringOutbox.publish(manager, PointsRefunded, payload, {
      communityId: payload.communityId,
      causationId,
    });
  }
}
