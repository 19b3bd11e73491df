import { requireCaller, requireUuid, isUuid, type Connection, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { OpportunityQueries } from '../domain/opportunity-queries';
import type { OpportunityService } from '../domain/opportunity.service';
import type { OpportunityEntity } from '../entities/opportunity.entity';
import type { ShiftEntity } from '../entities/shift.entity';
import {
  AddShiftInput,
  CreateOpportunityInput,
  OpportunityConnection,
  OpportunityFilter,
  OpportunityType,
  ShiftType,
  UpdateOpportunityInput,
} from '../schema/opportunity.type';
import { OrganizationRef, UserRef } from '../schema/refs.type';
import { loadOpportunities, loadShiftsOfOpportunity } from './loaders';

@Resolver(() => OpportunityType)
export class OpportunityResolver {
  constructor(
    private readonly db: DataSource,
    private readonly service: OpportunityService,
    private readonly queries: OpportunityQueries,
  ) {}

  @Query(() => OpportunityType, {
    nullable: true,
    description: 'An opportunity of your community; drafts only for those who organize them',
  })
  async opportunity(
    @Arg('id', () => ID) id: string,
    @Ctx() context: ServiceContext,
  ): Promise<OpportunityEntity | null> {
    if (!isUuid(id)) return null;
    const [opportunity] = await loadOpportunities(this.db, context, [id.toLowerCase()]);
    if (!opportunity) return null;
    return (await this.service.canSee(this.db.manager, context.caller, opportunity)) ? opportunity : null;
  }

  @Query(() => OpportunityConnection, { description: 'Opportunities of your community, newest first' })
  opportunities(
    @Ctx() context: ServiceContext,
    @Arg('filter', () => OpportunityFilter, { nullable: true }) filter: OpportunityFilter | null,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<OpportunityEntity>> {
    const organizationId = filter?.organizationId ? requireUuid(filter.organizationId, 'organizationId') : null;
    return this.queries.list(context, { ...(filter ?? {}), organizationId }, first, after);
  }

  @Mutation(() => OpportunityType, {
    description: 'Create a draft (a community worker, or a backbone or leader of the host organization)',
  })
  createOpportunity(
    @Ctx() context: ServiceContext,
    @Arg('input', () => CreateOpportunityInput) input: CreateOpportunityInput,
  ): Promise<OpportunityEntity> {
    const organizationId = input.organizationId ? requireUuid(input.organizationId, 'organizationId') : null;
    return this.service.create(context, { ...input, organizationId });
  }

  @Mutation(() => OpportunityType, { description: 'Edit a draft or published opportunity (organizers)' })
  updateOpportunity(
    @Ctx() context: ServiceContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateOpportunityInput) input: UpdateOpportunityInput,
  ): Promise<OpportunityEntity> {
    return this.service.update(context, requireUuid(id, 'id'), input);
  }

  @Mutation(() => OpportunityType, { description: 'Open a draft for sign-ups; it needs an upcoming shift' })
  publishOpportunity(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<OpportunityEntity> {
    return this.service.publish(context, requireUuid(id, 'id'));
  }

  @Mutation(() => OpportunityType, {
    description: 'Call it off: waiting sign-ups are cancelled and their volunteers notified (event)',
  })
  cancelOpportunity(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<OpportunityEntity> {
    return this.service.cancel(context, requireUuid(id, 'id'));
  }

  @Mutation(() => OpportunityType, { description: 'Mark a published opportunity completed after its last shift' })
  completeOpportunity(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<OpportunityEntity> {
    return this.service.complete(context, requireUuid(id, 'id'));
  }

  @Mutation(() => ShiftType, { description: 'Add a shift to a draft or published opportunity (organizers)' })
  addShift(
    @Ctx() context: ServiceContext,
    @Arg('opportunityId', () => ID) opportunityId: string,
    @Arg('input', () => AddShiftInput) input: AddShiftInput,
  ): Promise<ShiftEntity> {
    return this.service.addShift(context, requireUuid(opportunityId, 'opportunityId'), input);
  }

  @FieldResolver(() => [ShiftType], { description: 'Earliest first' })
  shifts(@Root() opportunity: OpportunityEntity, @Ctx() context: ServiceContext): Promise<ShiftEntity[]> {
    return loadShiftsOfOpportunity(this.db, context, opportunity.id);
  }

  @FieldResolver(() => OrganizationRef, { nullable: true, description: 'Host organization, if any' })
  organization(@Root() opportunity: OpportunityEntity): OrganizationRef | null {
    return opportunity.organizationId ? { id: opportunity.organizationId } : null;
  }

  @FieldResolver(() => UserRef)
  createdBy(@Root() opportunity: OpportunityEntity): UserRef {
    return { id: opportunity.createdBy };
  }

  @FieldResolver(() => Boolean, { description: 'Whether you may organize it (edit, add shifts, verify attendance)' })
  async viewerCanOrganize(@Root() opportunity: OpportunityEntity, @Ctx() context: ServiceContext): Promise<boolean> {
    return this.service.canOrganize(context.caller, opportunity, context.loaders);
  }
}

@Resolver(() => OrganizationRef)
export class OrganizationResolver {
  constructor(private readonly queries: OpportunityQueries) {}

  @FieldResolver(() => OpportunityConnection, {
    description: 'Published and completed opportunities it hosts in your community, newest first',
  })
  opportunities(
    @Root() organization: OrganizationRef,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<OpportunityEntity>> {
    requireCaller(context);
    return this.queries.hostedBy(context, organization.id, first, after);
  }
}
