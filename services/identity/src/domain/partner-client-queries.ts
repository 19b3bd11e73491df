import type { Caller } from '@taoyuan/service-kit';
import { ArrayContains, In, type DataSource } from 'typeorm';
import { PartnerClientApprovalEntity, PartnerClientEntity } from '../entities/partner-client.entity';

export interface PartnerClientView extends PartnerClientEntity {
  approvedCommunityIds: string[];
}

export async function withApprovals(db: DataSource, clients: PartnerClientEntity[]): Promise<PartnerClientView[]> {
  if (clients.length === 0) return [];
  const approvals = await db
    .getRepository(PartnerClientApprovalEntity)
    .findBy({ clientId: In(clients.map((client) => client.id)) });
  return clients.map((client) => ({
    ...client,
    approvedCommunityIds: approvals.filter((a) => a.clientId === client.id).map((a) => a.communityId),
  }));
}

/** Partner clients serving the caller's community, newest first (staff only; checked by the resolver's role). */
export async function partnerClientsOfCommunity(db: DataSource, caller: Caller): Promise<PartnerClientView[]> {
  const clients = await db.getRepository(PartnerClientEntity).find({
    where: { communityIds: ArrayContains([caller.communityId]) },
    order: { createdAt: 'DESC' },
    take: 200,
  });
  return withApprovals(db, clients);
}
