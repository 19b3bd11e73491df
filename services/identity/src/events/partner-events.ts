import { PartnerClientActivated, PartnerClientRevoked } from '@taoyuan/events';
import type { EntityManager } from 'typeorm';
import type { PartnerClientEvents } from '../domain/partner-client.service';
import type { PartnerClientEntity } from '../entities/partner-client.entity';
import { identityOutbox } from './identity-events';

/** What identity tells the partners service about partner clients (internal events; partners never read them). */
export class PartnerEvents implements PartnerClientEvents {
  async partnerClientActivated(manager: EntityManager, client: PartnerClientEntity): Promise<void> {
    await identityOutbox.publish(
      manager,
      PartnerClientActivated,
      {
        clientId: client.id,
        name: client.name,
        communityIds: client.communityIds,
        scopes: client.scopes,
        activatedAt: new Date().toISOString(),
      },
      // Events have one community header; a client serving several carries them all in the payload.
      { communityId: client.communityIds[0] },
    );
  }

  async partnerClientRevoked(manager: EntityManager, client: PartnerClientEntity): Promise<void> {
    if (!client.revokedBy || !client.revokedAt) throw new Error('partner-client.revoked needs who and when');
    await identityOutbox.publish(
      manager,
      PartnerClientRevoked,
      { clientId: client.id, revokedBy: client.revokedBy, revokedAt: client.revokedAt.toISOString() },
      { communityId: client.communityIds[0] },
    );
  }
}
