import { BadUserInputError, isUuid, requireCaller, requireUuid, type ServiceContext } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { FacilityQueries } from '../domain/facility-queries';
import type { FacilityService } from '../domain/facility.service';
import { requireValidDate } from '../domain/input';
import type { Interval } from '../domain/opening-hours';
import type { AssetEntity } from '../entities/asset.entity';
import { AssetStatus } from '../schema/enums';
import {
  AssetType,
  CreateFacilityInput,
  FacilityRulesInput,
  FacilityType,
  RegisterAssetInput,
  TimeIntervalType,
} from '../schema/facility.type';
import { facilityNode } from './facility-node';

@Resolver(() => FacilityType)
export class FacilityResolver {
  constructor(
    private readonly service: FacilityService,
    private readonly queries: FacilityQueries,
  ) {}

  @Query(() => [FacilityType], {
    description: 'Bookable facilities of a community (anyone; default: your own community)',
  })
  async facilities(
    @Ctx() context: ServiceContext,
    @Arg('communityId', () => ID, { nullable: true }) communityId: string | null,
  ): Promise<FacilityType[]> {
    const community = communityId ? requireUuid(communityId, 'communityId') : context.caller?.communityId;
    if (!community) throw new BadUserInputError('Say which community (communityId) or sign in', 'communityId');
    return (await this.queries.facilitiesOf(community)).map(facilityNode);
  }

  @Query(() => FacilityType, { nullable: true })
  async facility(@Arg('id', () => ID) id: string): Promise<FacilityType | null> {
    if (!isUuid(id)) return null;
    const view = await this.queries.facility(id.toLowerCase());
    return view ? facilityNode(view) : null;
  }

  @Query(() => [TimeIntervalType], {
    description: 'Free intervals inside opening hours between from and to (at most 31 days)',
  })
  facilityAvailability(
    @Arg('facilityId', () => ID) facilityId: string,
    @Arg('from', () => DateTimeISOResolver) from: Date,
    @Arg('to', () => DateTimeISOResolver) to: Date,
  ): Promise<Interval[]> {
    return this.queries.availability(
      requireUuid(facilityId, 'facilityId'),
      requireValidDate(from, 'from'),
      requireValidDate(to, 'to'),
    );
  }

  @Query(() => [AssetType], { description: 'The asset register of your community (staff)' })
  assets(@Ctx() context: ServiceContext): Promise<AssetEntity[]> {
    const caller = requireCaller(context);
    return this.queries.assetsOf(caller, caller.communityId);
  }

  @Mutation(() => FacilityType, { description: 'Register a facility with its opening hours and rules (staff)' })
  async createFacility(
    @Ctx() context: ServiceContext,
    @Arg('input', () => CreateFacilityInput) input: CreateFacilityInput,
  ): Promise<FacilityType> {
    const facility = await this.service.createFacility(context, input);
    return facilityNode((await this.queries.facility(facility.id))!);
  }

  @Mutation(() => FacilityType, { description: 'Change a facility’s opening hours and booking rules (staff)' })
  async updateFacilityRules(
    @Ctx() context: ServiceContext,
    @Arg('facilityId', () => ID) facilityId: string,
    @Arg('input', () => FacilityRulesInput) input: FacilityRulesInput,
  ): Promise<FacilityType> {
    const facility = await this.service.updateFacilityRules(context, requireUuid(facilityId, 'facilityId'), input);
    return facilityNode((await this.queries.facility(facility.id))!);
  }

  @Mutation(() => AssetType, { description: 'Add equipment or property to the register (staff)' })
  registerAsset(
    @Ctx() context: ServiceContext,
    @Arg('input', () => RegisterAssetInput) input: RegisterAssetInput,
  ): Promise<AssetEntity> {
    return this.service.registerAsset(context, input);
  }

  @Mutation(() => AssetType, { description: 'In use, under maintenance, let, or retired (staff)' })
  setAssetStatus(
    @Ctx() context: ServiceContext,
    @Arg('assetId', () => ID) assetId: string,
    @Arg('status', () => AssetStatus) status: AssetStatus,
  ): Promise<AssetEntity> {
    return this.service.setAssetStatus(context, requireUuid(assetId, 'assetId'), status);
  }
}
