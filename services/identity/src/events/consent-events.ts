import { ConsentGranted, ConsentRevoked } from '@taoyuan/events';
import type { EntityManager } from 'typeorm';
import type { DataConsentEvents } from '../domain/data-consent.service';
import type { DataConsentEntity } from '../entities/data-consent.entity';
import { identityOutbox } from './identity-events';

/**
 * Internal events for the partners service. The grant carries the resident's display name: the one piece of
 * personal data the resident agreed this partner may see (decision 0008); the revocation tells partners to erase it.
 */
export class ConsentEvents implements DataConsentEvents {
  async consentGranted(manager: EntityManager, consent: DataConsentEntity, displayName: string): Promise<void> {
    await identityOutbox.publish(
      manager,
      ConsentGranted,
      {
        consentId: consent.id,
        userId: consent.userId,
        communityId: consent.communityId,
        partnerClientId: consent.partnerClientId,
        scope: consent.scope,
        displayName,
        consentVersion: consent.version,
        grantedAt: consent.grantedAt.toISOString(),
      },
      { communityId: consent.communityId },
    );
  }

  async consentRevoked(manager: EntityManager, consent: DataConsentEntity): Promise<void> {
    if (!consent.revokedAt) throw new Error('consent.revoked needs its time');
    await identityOutbox.publish(
      manager,
      ConsentRevoked,
      {
        consentId: consent.id,
        userId: consent.userId,
        communityId: consent.communityId,
        partnerClientId: consent.partnerClientId,
        scope: consent.scope,
        consentVersion: consent.version,
        revokedAt: consent.revokedAt.toISOString(),
      },
      { communityId: consent.communityId },
    );
  }
}
