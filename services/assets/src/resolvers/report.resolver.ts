import { requireUuid } from '@taoyuan/service-kit';
import { Arg, ID, Query, Resolver } from 'type-graphql';
import type { ReportQueries, TransparencyReportData } from '../domain/report-queries';
import { TransparencyReportType } from '../schema/report.type';

@Resolver(() => TransparencyReportType)
export class ReportResolver {
  constructor(private readonly queries: ReportQueries) {}

  @Query(() => TransparencyReportType, {
    description:
      'The public transparency report over calendar days (China Standard Time, to inclusive): per fund opening, income and spending by category, closing; campaigns; facility use; and, from volunteering, volunteer hours and points',
  })
  transparencyReport(
    @Arg('communityId', () => ID) communityId: string,
    @Arg('from', { description: 'YYYY-MM-DD' }) from: string,
    @Arg('to', { description: 'YYYY-MM-DD, inclusive' }) to: string,
  ): Promise<TransparencyReportData> {
    return this.queries.report(requireUuid(communityId, 'communityId'), from, to);
  }
}
