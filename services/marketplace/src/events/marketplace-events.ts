import {
  MarketplaceIncomeRecorded,
  NeedCancelled,
  NeedFulfilled,
  NeedPosted,
  OfferingPublished,
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  OrderPlaced,
  Outbox,
  ProviderVerified,
  type EventDefinition,
  type PayloadOf,
} from '@taoyuan/events';
import type { EntityManager } from 'typeorm';

export const marketplaceOutbox = new Outbox('/taoyuan/marketplace');

/**
 * What marketplace tells the rest of the system. Every method writes to the outbox with the caller's manager, so an
 * event exists if and only if the state change it describes committed.
 */
export class MarketplaceEvents {
  private async publish<Definition extends EventDefinition>(
    manager: EntityManager,
    definition: Definition,
    payload: PayloadOf<Definition> & { communityId: string },
    causationId?: string,
  ): Promise<void> {
    await marketplaceOutbox.publish(manager, definition, payload, {
      communityId: payload.communityId,
      causationId: causationId ?? null,
    });
  }

  orderPlaced = (manager: EntityManager, payload: PayloadOf<typeof OrderPlaced>) =>
    this.publish(manager, OrderPlaced, payload);

  orderConfirmed = (manager: EntityManager, payload: PayloadOf<typeof OrderConfirmed>, causationId?: string) =>
    this.publish(manager, OrderConfirmed, payload, causationId);

  orderCompleted = (manager: EntityManager, payload: PayloadOf<typeof OrderCompleted>) =>
    this.publish(manager, OrderCompleted, payload);

  orderCancelled = (manager: EntityManager, payload: PayloadOf<typeof OrderCancelled>, causationId?: string) =>
    this.publish(manager, OrderCancelled, payload, causationId);

  needPosted = (manager: EntityManager, payload: PayloadOf<typeof NeedPosted>) =>
    this.publish(manager, NeedPosted, payload);

  needFulfilled = (manager: EntityManager, payload: PayloadOf<typeof NeedFulfilled>) =>
    this.publish(manager, NeedFulfilled, payload);

  needCancelled = (manager: EntityManager, payload: PayloadOf<typeof NeedCancelled>, causationId?: string) =>
    this.publish(manager, NeedCancelled, payload, causationId);

  incomeRecorded = (manager: EntityManager, payload: PayloadOf<typeof MarketplaceIncomeRecorded>) =>
    this.publish(manager, MarketplaceIncomeRecorded, payload);

  providerVerified = (manager: EntityManager, payload: PayloadOf<typeof ProviderVerified>) =>
    this.publish(manager, ProviderVerified, payload);

  offeringPublished = (manager: EntityManager, payload: PayloadOf<typeof OfferingPublished>) =>
    this.publish(manager, OfferingPublished, payload);
}
