import {
  AssetsIncomeRecorded,
  BookingCancelled,
  BookingConfirmed,
  CampaignClosed,
  CampaignOpened,
  DonationReceived,
  ExpenseRecorded,
  Outbox,
  type EventDefinition,
  type PayloadOf,
} from '@taoyuan/events';
import type { EntityManager } from 'typeorm';

export const assetsOutbox = new Outbox('/taoyuan/assets');

/**
 * What assets tells the rest of the system. Every method writes to the outbox with the caller's manager, so an event
 * exists if and only if the state change it describes committed. Public events carry amounts, never donors.
 */
export class AssetsEvents {
  bookingConfirmed(manager: EntityManager, payload: PayloadOf<typeof BookingConfirmed>): Promise<void> {
    return this.publish(manager, BookingConfirmed, payload);
  }

  bookingCancelled(manager: EntityManager, payload: PayloadOf<typeof BookingCancelled>): Promise<void> {
    return this.publish(manager, BookingCancelled, payload);
  }

  incomeRecorded(manager: EntityManager, payload: PayloadOf<typeof AssetsIncomeRecorded>): Promise<void> {
    return this.publish(manager, AssetsIncomeRecorded, payload);
  }

  expenseRecorded(manager: EntityManager, payload: PayloadOf<typeof ExpenseRecorded>): Promise<void> {
    return this.publish(manager, ExpenseRecorded, payload);
  }

  donationReceived(manager: EntityManager, payload: PayloadOf<typeof DonationReceived>): Promise<void> {
    return this.publish(manager, DonationReceived, payload);
  }

  campaignOpened(manager: EntityManager, payload: PayloadOf<typeof CampaignOpened>): Promise<void> {
    return this.publish(manager, CampaignOpened, payload);
  }

  campaignClosed(manager: EntityManager, payload: PayloadOf<typeof CampaignClosed>): Promise<void> {
    return this.publish(manager, CampaignClosed, payload);
  }

  private async publish<Definition extends EventDefinition>(
    manager: EntityManager,
    definition: Definition,
    payload: PayloadOf<Definition> & { communityId: string },
  ): Promise<void> {
    await assetsOutbox.publish(manager, definition, payload, { communityId: payload.communityId });
  }
}
