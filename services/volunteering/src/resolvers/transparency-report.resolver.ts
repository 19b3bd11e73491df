import { Directive, Field, Float, ID, Int, ObjectType, Resolver, FieldResolver, Root } from 'type-graphql';
import type { TransparencyQueries } from '../domain/transparency-queries';

/** assets' public TransparencyReport, keyed by its period; volunteering adds the period's volunteer figures. */
@Directive('@key(fields: "communityId from to")')
@ObjectType('TransparencyReport')
export class TransparencyReportRef {
  @Field(() => ID)
  communityId!: string;

  @Field({ description: 'First day, YYYY-MM-DD' })
  from!: string;

  @Field({ description: 'Last day (inclusive), YYYY-MM-DD' })
  to!: string;
}

@Resolver(() => TransparencyReportRef)
export class TransparencyReportResolver {
  constructor(private readonly queries: TransparencyQueries) {}

  @FieldResolver(() => Float, { description: 'Verified volunteer hours in the period' })
  async volunteerHours(@Root() report: TransparencyReportRef): Promise<number> {
    return (await this.queries.figures(report.communityId, report.from, report.to)).volunteerHours;
  }

  @FieldResolver(() => Int, { description: 'Residents with verified hours in the period' })
  async volunteers(@Root() report: TransparencyReportRef): Promise<number> {
    return (await this.queries.figures(report.communityId, report.from, report.to)).volunteers;
  }

  @FieldResolver(() => Int, { description: 'Public-welfare points earned in the period, net of reversals' })
  async pointsEarned(@Root() report: TransparencyReportRef): Promise<number> {
    return (await this.queries.figures(report.communityId, report.from, report.to)).pointsEarned;
  }
}
