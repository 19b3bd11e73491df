import type { EntityManager } from 'typeorm';
import { OrganizationPolicyEntity } from '../entities/organization-policy.entity';

/**
 * How many LEADERs an organization may have: the community's own setting (organization_policies, set by its
 * committee) or, when it has none, the service default (MAX_LEADERS_PER_ORGANIZATION, 3 unless configured).
 */
export class LeaderLimit {
  constructor(readonly defaultLimit: number) {}

  async forCommunity(manager: EntityManager, communityId: string): Promise<number> {
    const policy = await manager.findOneBy(OrganizationPolicyEntity, { communityId });
    return policy?.maxLeadersPerOrganization ?? this.defaultLimit;
  }
}
