import { eventBackbone, on, TierReached, type EventHandler } from '@taoyuan/events';
import { startSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@taoyuan/service-kit';
import { LeaderLimit } from './domain/leader-limit';
import { MembershipService } from './domain/membership.service';
import { OrganizationService } from './domain/organization.service';
import { PromotionService } from './domain/promotion.service';
import { organizationsEntities } from './entities';
import { OrganizationsEvents } from './events/organizations-events';
import { organizationsMigrations } from './migrations';
import { MembershipResolver, MembershipRoleChangeResolver } from './resolvers/membership.resolver';
import { OrganizationResolver } from './resolvers/organization.resolver';
import { PromotionResolver } from './resolvers/promotion.resolver';
import { UserMembershipsResolver } from './resolvers/user.resolver';
import { seedOrganizationsDemo } from './seed/demo-seed';
import type { OrganizationsConfig } from './config';

export interface OrganizationsDomain {
  organizations: OrganizationService;
  memberships: MembershipService;
  promotions: PromotionService;
  leaderLimit: LeaderLimit;
}

export function organizationsDomain({ dataSource, config }: SubgraphDeps<OrganizationsConfig>): OrganizationsDomain {
  const events = new OrganizationsEvents();
  const leaderLimit = new LeaderLimit(config.MAX_LEADERS_PER_ORGANIZATION);
  const promotions = new PromotionService(dataSource, events, leaderLimit);
  const memberships = new MembershipService(dataSource, events, promotions);
  const organizations = new OrganizationService(dataSource, events, memberships);
  return { organizations, memberships, promotions, leaderLimit };
}

/** What organizations consumes: volunteering's tiers become promotion candidates (inside the inbox transaction). */
export function organizationsEventHandlers(promotions: PromotionService): EventHandler[] {
  return [on(TierReached, (event, manager) => promotions.onTierReached(manager, event.payload, event.envelope.id))];
}

export const organizationsSubgraph: SubgraphDefinition<OrganizationsConfig> = {
  name: 'organizations',
  entities: organizationsEntities,
  migrations: organizationsMigrations,
  schema: (deps) => {
    const { dataSource } = deps;
    const domain = organizationsDomain(deps);
    const organizationResolver = new OrganizationResolver(dataSource, domain.organizations, domain.leaderLimit);
    return {
      resolvers: [
        organizationResolver,
        new MembershipResolver(dataSource, domain.memberships),
        new MembershipRoleChangeResolver(dataSource),
        new PromotionResolver(dataSource, domain.promotions),
        new UserMembershipsResolver(dataSource),
      ],
      references: {
        // The very resolver of `organization(id)`, so the gateway's path shows exactly what the query shows.
        Organization: (reference, context) => organizationResolver.organization(reference.id, context),
        // identity owns User; this subgraph only needs the id to resolve memberships and promotion history.
        User: async (reference) => ({ id: reference.id }),
      },
    };
  },
  seedDemoData: (deps) => seedOrganizationsDemo(deps.dataSource, organizationsDomain(deps).promotions, deps.logger),
  background: eventBackbone<OrganizationsConfig>({
    service: 'organizations',
    handlers: (deps) => organizationsEventHandlers(organizationsDomain(deps).promotions),
  }),
};

export function startOrganizations(config: OrganizationsConfig) {
  return startSubgraph(organizationsSubgraph, config);
}
