import { requireCaller, requireUuid, isUuid, type Connection, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CatalogueQueries } from '../domain/catalogue-queries';
import type { OfferingService } from '../domain/offering.service';
import type { ReviewQueries } from '../domain/review-queries';
import { OfferingStatus } from '../domain/vocabulary';
import type { OfferingEntity } from '../entities/offering.entity';
import type { ProviderEntity } from '../entities/provider.entity';
import type { ReviewEntity } from '../entities/review.entity';
import type { SlotEntity } from '../entities/slot.entity';
import {
  AddTimeSlotInput,
  CreateServiceOfferingInput,
  ProviderType,
  ServiceOfferingConnection,
  ServiceOfferingFilter,
  ServiceOfferingType,
  TimeSlotType,
} from '../schema/catalogue.type';
import { ReviewConnection } from '../schema/order.type';
import { OrganizationRef } from '../schema/refs.type';

@Resolver(() => ServiceOfferingType)
export class OfferingResolver {
  constructor(
    private readonly service: OfferingService,
    private readonly catalogue: CatalogueQueries,
    private readonly reviewQueries: ReviewQueries,
  ) {}

  @Query(() => ServiceOfferingType, {
    nullable: true,
    description: 'An offering of your community; unpublished ones only for staff and the provider’s managers',
  })
  async serviceOffering(
    @Arg('id', () => ID) id: string,
    @Ctx() context: ServiceContext,
  ): Promise<OfferingEntity | null> {
    if (!isUuid(id)) return null;
    const [offering] = await this.catalogue.visibleOfferings(context, [id.toLowerCase()]);
    return offering ?? null;
  }

  @Query(() => ServiceOfferingConnection, {
    description: 'The catalogue of your community: published offerings of verified providers, newest first',
  })
  serviceOfferings(
    @Ctx() context: ServiceContext,
    @Arg('filter', () => ServiceOfferingFilter, { nullable: true }) filter: ServiceOfferingFilter | null,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<OfferingEntity>> {
    return this.catalogue.offerings(context, filter ?? {}, first, after);
  }

  @Mutation(() => ServiceOfferingType, { description: 'A draft offering of a provider you manage' })
  createServiceOffering(
    @Ctx() context: ServiceContext,
    @Arg('input', () => CreateServiceOfferingInput) input: CreateServiceOfferingInput,
  ): Promise<OfferingEntity> {
    return this.service.create(context, { ...input, providerId: requireUuid(input.providerId, 'providerId') });
  }

  @Mutation(() => TimeSlotType, { description: 'A time slot with places (the provider’s managers)' })
  addTimeSlot(
    @Ctx() context: ServiceContext,
    @Arg('offeringId', () => ID) offeringId: string,
    @Arg('input', () => AddTimeSlotInput) input: AddTimeSlotInput,
  ): Promise<SlotEntity> {
    return this.service.addSlot(context, requireUuid(offeringId, 'offeringId'), input);
  }

  @Mutation(() => ServiceOfferingType, { description: 'Into the catalogue; the provider must be verified' })
  publishServiceOffering(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<OfferingEntity> {
    return this.service.setStatus(context, requireUuid(id, 'id'), OfferingStatus.PUBLISHED);
  }

  @Mutation(() => ServiceOfferingType, { description: 'Out of the catalogue for now; open orders continue' })
  pauseServiceOffering(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<OfferingEntity> {
    return this.service.setStatus(context, requireUuid(id, 'id'), OfferingStatus.PAUSED);
  }

  @Mutation(() => ServiceOfferingType, { description: 'For good' })
  retireServiceOffering(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<OfferingEntity> {
    return this.service.setStatus(context, requireUuid(id, 'id'), OfferingStatus.RETIRED);
  }

  @FieldResolver(() => ProviderType)
  async provider(@Root() offering: OfferingEntity, @Ctx() context: ServiceContext): Promise<ProviderEntity> {
    const [provider] = await this.catalogue.loadProviders(context, [offering.providerId]);
    if (!provider) throw new Error(`offering ${offering.id} has no provider`);
    return provider;
  }

  @FieldResolver(() => [TimeSlotType], { description: 'Earliest first' })
  slots(@Root() offering: OfferingEntity, @Ctx() context: ServiceContext): Promise<SlotEntity[]> {
    return this.catalogue.slotsOf(context, offering.id);
  }

  @FieldResolver(() => ReviewConnection, { description: 'Visible reviews, newest first' })
  reviews(
    @Root() offering: OfferingEntity,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<ReviewEntity>> {
    return this.reviewQueries.ofOffering(context, offering.id, first, after);
  }
}

@Resolver(() => TimeSlotType)
export class TimeSlotResolver {
  @FieldResolver(() => Int, { description: 'Places not held by an order' })
  placesLeft(@Root() slot: SlotEntity): number {
    return slot.capacity - slot.taken;
  }
}

@Resolver(() => OrganizationRef)
export class OrganizationResolver {
  constructor(private readonly catalogue: CatalogueQueries) {}

  @FieldResolver(() => ServiceOfferingConnection, {
    description: 'Published offerings it provides to your community, newest first',
  })
  serviceOfferings(
    @Root() organization: OrganizationRef,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<OfferingEntity>> {
    requireCaller(context);
    return this.catalogue.offeredBy(context, organization.id, first, after);
  }
}
