import { eventBackbone } from '@taoyuan/events';
import { startSubgraph, type SubgraphDefinition } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { AttendanceService } from './domain/attendance.service';
import { Leaderboard } from './domain/leaderboard';
import { OpportunityQueries } from './domain/opportunity-queries';
import { OpportunityService } from './domain/opportunity.service';
import { OrganizerPolicy } from './domain/organizer-policy';
import { PointsAccounts } from './domain/points-accounts';
import { PointsLedger } from './domain/points-ledger';
import { PointsRules } from './domain/points-rules';
import { SignUpService } from './domain/sign-up.service';
import { TransparencyQueries } from './domain/transparency-queries';
import { volunteeringEntities } from './entities';
import { volunteeringHandlers } from './events/handlers';
import { marketplaceHandlers } from './events/marketplace-handlers';
import { VolunteeringEvents } from './events/volunteering-events';
import { volunteeringMigrations } from './migrations';
import { OpportunityResolver, OrganizationResolver } from './resolvers/opportunity.resolver';
import { PointsAccountResolver, PointsEntryResolver, PointsResolver } from './resolvers/points.resolver';
import { ShiftResolver } from './resolvers/shift.resolver';
import { SignUpResolver } from './resolvers/sign-up.resolver';
import { TransparencyReportRef, TransparencyReportResolver } from './resolvers/transparency-report.resolver';
import { UserResolver } from './resolvers/user.resolver';
import { seedVolunteeringDemo } from './seed/demo-seed';
import type { VolunteeringConfig } from './config';

// What other packages' tests need to start volunteering beside them (e.g. marketplace's saga tests).
export { loadVolunteeringConfig, type VolunteeringConfig } from './config';
export { PointsEntryKind } from './domain/vocabulary';

/** The ledger and its collaborators, shared by the schema, the event handlers and the seed. */
export function pointsLedgerFor(db: DataSource): { ledger: PointsLedger; rules: PointsRules } {
  const rules = new PointsRules(db);
  return { ledger: new PointsLedger(rules, new VolunteeringEvents()), rules };
}

export function volunteeringSubgraph(): SubgraphDefinition<VolunteeringConfig> {
  return {
    name: 'volunteering',
    entities: volunteeringEntities,
    migrations: volunteeringMigrations,
    schema: ({ dataSource }) => {
      const events = new VolunteeringEvents();
      const organizers = new OrganizerPolicy();
      const { ledger, rules } = pointsLedgerFor(dataSource);
      const opportunities = new OpportunityService(dataSource, organizers, events);
      const queries = new OpportunityQueries(dataSource);
      const accounts = new PointsAccounts(dataSource, rules, ledger);
      const opportunityResolver = new OpportunityResolver(dataSource, opportunities, queries);
      return {
        resolvers: [
          opportunityResolver,
          new OrganizationResolver(queries),
          new ShiftResolver(dataSource, opportunities),
          new SignUpResolver(
            dataSource,
            new SignUpService(dataSource, organizers, events),
            new AttendanceService(dataSource, organizers, rules, ledger, events),
          ),
          new UserResolver(accounts, queries),
          new PointsAccountResolver(accounts),
          new PointsEntryResolver(),
          new PointsResolver(accounts, rules, new Leaderboard(dataSource)),
          new TransparencyReportResolver(new TransparencyQueries(dataSource)),
        ],
        // assets' public report: nothing of volunteering returns it, the gateway reaches it through its key.
        orphanedTypes: [TransparencyReportRef],
        references: {
          // User and Organization belong to other subgraphs: their id is all volunteering needs to add its fields.
          User: async (reference) => ({ id: reference.id }),
          Organization: async (reference) => ({ id: reference.id }),
          // The very resolver of `opportunity(id)` (drafts only for their organizers), batched by its DataLoader.
          Opportunity: (reference, context) => opportunityResolver.opportunity(reference.id, context),
        },
      };
    },
    seedDemoData: ({ dataSource, logger }) => seedVolunteeringDemo(dataSource, logger),
    background: eventBackbone({
      service: 'volunteering',
      handlers: ({ dataSource }) => {
        const { ledger } = pointsLedgerFor(dataSource);
        return [...volunteeringHandlers(ledger), ...marketplaceHandlers(ledger)];
      },
    }),
  };
}

export function startVolunteering(config: VolunteeringConfig) {
  return startSubgraph(volunteeringSubgraph(), config);
}
