import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, type Caller } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { DataConsentEntity, DataConsentStatus, type DataConsentScope } from '../entities/data-consent.entity';
import { PartnerClientEntity, PartnerClientStatus } from '../entities/partner-client.entity';
import { UserEntity } from '../entities/user.entity';

export interface DataConsentEvents {
  consentGranted(manager: EntityManager, consent: DataConsentEntity, displayName: string): Promise<void>;
  consentRevoked(manager: EntityManager, consent: DataConsentEntity): Promise<void>;
}

/**
 * A resident decides, alone, which partner receives their records. Only an active partner serving the resident's
 * community and approved for the scope can be chosen. Granting again after a revocation is a new consent version.
 */
export class DataConsentService {
  constructor(
    private readonly db: DataSource,
    private readonly events: DataConsentEvents,
  ) {}

  grant(caller: Caller, partnerClientId: string, scope: DataConsentScope): Promise<DataConsentEntity> {
    return this.db.transaction(async (manager) => {
      const user = await manager.findOne(UserEntity, {
        where: { id: caller.userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw new NotFoundError('User', caller.userId);
      const client = await manager.findOneBy(PartnerClientEntity, { id: partnerClientId });
      if (!client || client.status === PartnerClientStatus.PENDING || !client.communityIds.includes(user.communityId))
        throw new NotFoundError('PartnerClient', partnerClientId);
      if (client.status === PartnerClientStatus.REVOKED)
        throw new ConflictError('PARTNER_CLIENT_REVOKED', 'This partner client was revoked');
      if (!client.scopes.map(String).includes(scope))
        throw new ConflictError('SCOPE_NOT_APPROVED', `This partner is not approved for ${scope}`);
      const existing = await manager.findOneBy(DataConsentEntity, { userId: user.id, partnerClientId, scope });
      if (existing?.status === DataConsentStatus.GRANTED) return existing;
      await manager.query(
        `INSERT INTO data_consents (user_id, partner_client_id, scope, id, community_id, status, granted_at)
         VALUES ($1, $2, $3, $4, $5, 'GRANTED', now())
         ON CONFLICT (user_id, partner_client_id, scope) DO UPDATE
           SET status = 'GRANTED', granted_at = now(), revoked_at = NULL,
               version = nextval('data_consent_version_seq')`,
        [user.id, partnerClientId, scope, existing?.id ?? randomUUID(), user.communityId],
      );
      const consent = await manager.findOneByOrFail(DataConsentEntity, { userId: user.id, partnerClientId, scope });
      await this.events.consentGranted(manager, consent, user.displayName);
      return consent;
    });
  }

  revoke(caller: Caller, partnerClientId: string, scope: DataConsentScope): Promise<DataConsentEntity> {
    return this.db.transaction(async (manager) => {
      const consent = await manager.findOne(DataConsentEntity, {
        where: { userId: caller.userId, partnerClientId, scope },
        lock: { mode: 'pessimistic_write' },
      });
      if (!consent) throw new NotFoundError('DataConsent', partnerClientId);
      if (consent.status === DataConsentStatus.REVOKED) return consent;
      await manager.query(
        `UPDATE data_consents SET status = 'REVOKED', revoked_at = now(), version = nextval('data_consent_version_seq')
          WHERE user_id = $1 AND partner_client_id = $2 AND scope = $3`,
        [caller.userId, partnerClientId, scope],
      );
      const revoked = await manager.findOneByOrFail(DataConsentEntity, {
        userId: caller.userId,
        partnerClientId,
        scope,
      });
      await this.events.consentRevoked(manager, revoked);
      return revoked;
    });
  }
}
