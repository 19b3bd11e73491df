import { In, type DataSource } from 'typeorm';
import { DataConsentEntity } from '../entities/data-consent.entity';
import { PartnerClientEntity, PartnerClientStatus } from '../entities/partner-client.entity';

export interface DataConsentView extends DataConsentEntity {
  partnerName: string;
}

/** A resident's consents, granted and revoked, newest first, with each partner's name. */
export async function consentsOf(db: DataSource, userId: string): Promise<DataConsentView[]> {
  const consents = await db.getRepository(DataConsentEntity).find({ where: { userId }, order: { grantedAt: 'DESC' } });
  if (consents.length === 0) return [];
  const clients = await db
    .getRepository(PartnerClientEntity)
    .findBy({ id: In([...new Set(consents.map((consent) => consent.partnerClientId))]) });
  const names = new Map(clients.map((client) => [client.id, client.name]));
  return consents.map((consent) => ({ ...consent, partnerName: names.get(consent.partnerClientId) ?? '' }));
}

/** Active partners of a community a resident may consent to (approved for at least one consent scope). */
export function consentablePartners(db: DataSource, communityId: string): Promise<PartnerClientEntity[]> {
  return db
    .getRepository(PartnerClientEntity)
    .createQueryBuilder('client')
    .where('client.status = :status', { status: PartnerClientStatus.ACTIVE })
    .andWhere(':community = ANY (client.community_ids)', { community: communityId })
    .andWhere(`'volunteer-records:read' = ANY (client.scopes)`)
    .orderBy('client.name')
    .limit(200)
    .getMany();
}
