import {
  AttendanceVerified,
  OpportunityPublished,
  Outbox,
  PointsAwarded,
  type OutboxRow,
  SignUpCancelled,
  SignUpConfirmed,
  TierReached,
  type PayloadOf,
} from '@taoyuan/events';
import type { EntityManager } from 'typeorm';

export const volunteeringOutbox = new Outbox('/taoyuan/volunteering');

/**
 * What volunteering tells the rest of the system. Every method writes to the outbox with the caller's manager, so
 * an event exists if and only if the state change it describes committed.
 */
export class VolunteeringEvents {
  async opportunityPublished(manager: EntityManager, payload: PayloadOf<typeof OpportunityPublished>): Promise<void> {
    await volunteeringOutbox.publish(manager, OpportunityPublished, payload, { communityId: payload.communityId });
  }

  async signUpConfirmed(manager: EntityManager, payload: PayloadOf<typeof SignUpConfirmed>): Promise<void> {
    await volunteeringOutbox.publish(manager, SignUpConfirmed, payload, { communityId: payload.communityId });
  }

  /** The confirmation as an outbox row, for the sign-up statement that writes it only when a place was given. */
  signUpConfirmedRow(payload: PayloadOf<typeof SignUpConfirmed>): OutboxRow<PayloadOf<typeof SignUpConfirmed>> {
    return volunteeringOutbox.prepare(SignUpConfirmed, payload, { communityId: payload.communityId });
  }

  async signUpCancelled(manager: EntityManager, payload: PayloadOf<typeof SignUpCancelled>): Promise<void> {
    await volunteeringOutbox.publish(manager, SignUpCancelled, payload, { communityId: payload.communityId });
  }

  async attendanceVerified(manager: EntityManager, payload: PayloadOf<typeof AttendanceVerified>): Promise<string> {
    const envelope = await volunteeringOutbox.publish(manager, AttendanceVerified, payload, {
      communityId: payload.communityId,
    });
    return envelope.id;
  }

  async pointsAwarded(
    manager: EntityManager,
    payload: PayloadOf<typeof PointsAwarded>,
    causationId?: string,
  ): Promise<string> {
    const envelope = await volunteeringOutbox.publish(manager, PointsAwarded, payload, {
      communityId: payload.communityId,
      causationId: causationId ?? null,
    });
    return envelope.id;
  }

  async tierReached(
    manager: EntityManager,
    payload: PayloadOf<typeof TierReached>,
    causationId?: string,
  ): Promise<void> {
    await volunteeringOutbox.publish(manager, TierReached, payload, {
      communityId: payload.communityId,
      causationId: causationId ?? null,
    });
  }
}
