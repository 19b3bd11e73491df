import { ForbiddenError, requireCaller, type ServiceContext } from '@taoyuan/service-kit';
import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { OpportunityService } from '../domain/opportunity.service';
import type { OpportunityEntity } from '../entities/opportunity.entity';
import type { ShiftEntity } from '../entities/shift.entity';
import { SignUpEntity } from '../entities/sign-up.entity';
import { OpportunityType, ShiftType } from '../schema/opportunity.type';
import { SignUpType } from '../schema/sign-up.type';
import { loadOpportunities, loadShiftOccupancy, loadSignUpsOfShift } from './loaders';

@Resolver(() => ShiftType)
export class ShiftResolver {
  constructor(
    private readonly db: DataSource,
    private readonly opportunities: OpportunityService,
  ) {}

  @FieldResolver(() => Int, { description: 'Places still free (0 when full; then sign-ups are waitlisted)' })
  async spotsLeft(@Root() shift: ShiftEntity, @Ctx() context: ServiceContext): Promise<number> {
    const { taken } = await loadShiftOccupancy(this.db, context, shift.id);
    return Math.max(0, shift.capacity - taken);
  }

  @FieldResolver(() => Int)
  async waitlistLength(@Root() shift: ShiftEntity, @Ctx() context: ServiceContext): Promise<number> {
    return (await loadShiftOccupancy(this.db, context, shift.id)).waitlisted;
  }

  @FieldResolver(() => OpportunityType)
  async opportunity(@Root() shift: ShiftEntity, @Ctx() context: ServiceContext): Promise<OpportunityEntity | null> {
    const [opportunity] = await loadOpportunities(this.db, context, [shift.opportunityId]);
    return opportunity ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The code volunteers enter to check in; only organizers see it (null for everyone else)',
  })
  async checkInCode(@Root() shift: ShiftEntity, @Ctx() context: ServiceContext): Promise<string | null> {
    const [opportunity] = await loadOpportunities(this.db, context, [shift.opportunityId]);
    if (!opportunity) return null;
    return (await this.opportunities.canOrganize(context.caller, opportunity, context.loaders))
      ? shift.checkInCode
      : null;
  }

  @FieldResolver(() => [SignUpType], {
    description: 'Everyone signed up or waitlisted, in order (organizers only)',
  })
  async signUps(@Root() shift: ShiftEntity, @Ctx() context: ServiceContext): Promise<SignUpEntity[]> {
    requireCaller(context);
    const [opportunity] = await loadOpportunities(this.db, context, [shift.opportunityId]);
    if (!opportunity || !(await this.opportunities.canOrganize(context.caller, opportunity, context.loaders)))
      throw new ForbiddenError('NOT_ORGANIZER', 'Only the organizers of this opportunity see who signed up');
    return loadSignUpsOfShift(this.db, context, shift.id);
  }
}
