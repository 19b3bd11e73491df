import { eventBackbone } from '@taoyuan/events';
import { AppError, isUuid, startSubgraph, type SubgraphDefinition } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import type { AssetsConfig } from './config';
import { BookingService } from './domain/booking.service';
import { CampaignQueries } from './domain/campaign-queries';
import { CampaignService } from './domain/campaign.service';
import { FacilityQueries } from './domain/facility-queries';
import { FacilityService } from './domain/facility.service';
import { FundQueries } from './domain/fund-queries';
import { FundService } from './domain/fund.service';
import { Ledger } from './domain/ledger';
import { reportCsv, reportHtml } from './domain/report-documents';
import { lastTwelveMonths } from './domain/report-period';
import { ReportQueries } from './domain/report-queries';
import { assetsEntities } from './entities';
import { AssetsEvents } from './events/assets-events';
import { assetsHandlers } from './events/handlers';
import { assetsMigrations } from './migrations';
import { BookingResolver } from './resolvers/booking.resolver';
import { CampaignResolver, DonationResolver } from './resolvers/campaign.resolver';
import { CommunityResolver, OrganizationResolver, UserResolver } from './resolvers/entity.resolver';
import { FacilityResolver } from './resolvers/facility.resolver';
import { facilityNode } from './resolvers/facility-node';
import { ExpenseResolver, FundResolver } from './resolvers/fund.resolver';
import { ReportResolver } from './resolvers/report.resolver';
import { CommunityRef } from './schema/refs.type';
import { seedAssetsDemo } from './seed/demo-seed';

/** The ledger, shared by the schema, the event handlers and the seed. */
export function assetsLedger(): Ledger {
  return new Ledger(new AssetsEvents());
}

/** `?communityId=…&from=YYYY-MM-DD&to=YYYY-MM-DD` of a report URL; the period defaults to the last twelve months. */
async function reportFromQuery(db: DataSource, query: Record<string, unknown>) {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const communityId = text(query.communityId);
  if (!communityId || !isUuid(communityId)) throw new Error('communityId (a community id) is required');
  const period = lastTwelveMonths();
  return new ReportQueries(db).report(
    communityId.toLowerCase(),
    text(query.from) ?? period.from,
    text(query.to) ?? period.to,
  );
}

export function assetsSubgraph(): SubgraphDefinition<AssetsConfig> {
  return {
    name: 'assets',
    entities: assetsEntities,
    migrations: assetsMigrations,
    schema: ({ dataSource, config }) => {
      const events = new AssetsEvents();
      const ledger = new Ledger(events);
      const facilityQueries = new FacilityQueries(dataSource);
      const fundQueries = new FundQueries(dataSource);
      const campaignQueries = new CampaignQueries(dataSource);
      const reportQueries = new ReportQueries(dataSource);
      return {
        resolvers: [
          new FacilityResolver(new FacilityService(dataSource), facilityQueries),
          new BookingResolver(new BookingService(dataSource, ledger, events), facilityQueries),
          new FundResolver(new FundService(dataSource, ledger, config.EXPENSE_SECOND_APPROVAL_ABOVE_FEN), fundQueries),
          new ExpenseResolver(fundQueries),
          new CampaignResolver(
            new CampaignService(dataSource, ledger, events, config.CAMPAIGN_QUORUM_PERCENT),
            campaignQueries,
          ),
          new DonationResolver(campaignQueries),
          new ReportResolver(reportQueries),
          new UserResolver(facilityQueries, campaignQueries),
          new OrganizationResolver(facilityQueries),
          new CommunityResolver(facilityQueries, fundQueries),
        ],
        // Nothing of assets returns a Community; it exists here only to gain funds and facilities.
        orphanedTypes: [CommunityRef],
        references: {
          // Entities of other subgraphs: their id is all assets needs to add its fields.
          User: async (reference) => ({ id: reference.id }),
          Organization: async (reference) => ({ id: reference.id }),
          Community: async (reference) => ({ id: reference.id }),
          Facility: async (reference) => {
            if (!isUuid(reference.id)) return null;
            const view = await facilityQueries.facility(reference.id.toLowerCase());
            return view ? facilityNode(view) : null;
          },
          TransparencyReport: async (reference) => {
            const key = reference as unknown as { communityId: string; from: string; to: string };
            return reportQueries.report(key.communityId, key.from, key.to);
          },
        },
      };
    },
    routes: (app, { dataSource, logger }) => {
      const send = (format: 'csv' | 'html') => async (req: { query: Record<string, unknown> }, res: ReportResponse) => {
        try {
          const report = await reportFromQuery(dataSource, req.query);
          res.setHeader('cache-control', 'public, max-age=60');
          if (format === 'csv') {
            res.setHeader('content-type', 'text/csv; charset=utf-8');
            res.setHeader('content-disposition', `attachment; filename="transparency-${report.from}-${report.to}.csv"`);
            res.send(reportCsv(report));
          } else {
            res.setHeader('content-type', 'text/html; charset=utf-8');
            res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
            res.send(reportHtml(report, null));
          }
        } catch (error) {
          if (!(error instanceof AppError) && !(error instanceof Error && error.message.startsWith('communityId')))
            logger.error({ err: error }, 'transparency report failed');
          const known =
            error instanceof AppError || (error instanceof Error && error.message.startsWith('communityId'));
          res
            .status(known ? 400 : 500)
            .type('text/plain; charset=utf-8')
            .send(known ? error.message : 'Internal server error');
        }
      };
      app.get('/reports/transparency.csv', send('csv'));
      app.get('/reports/transparency.html', send('html'));
    },
    seedDemoData: ({ dataSource, logger }) => seedAssetsDemo(dataSource, assetsLedger(), logger),
    background: eventBackbone({
      service: 'assets',
      handlers: () => assetsHandlers(assetsLedger()),
    }),
  };
}

interface ReportResponse {
  setHeader(name: string, value: string): unknown;
  send(body: string): unknown;
  status(code: number): ReportResponse;
  type(type: string): ReportResponse;
}

export function startAssets(config: AssetsConfig) {
  return startSubgraph(assetsSubgraph(), config);
}
