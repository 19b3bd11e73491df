import { requireCaller, type Connection, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { CampaignQueries } from '../domain/campaign-queries';
import type { FacilityQueries } from '../domain/facility-queries';
import type { FundQueries } from '../domain/fund-queries';
import type { BookingEntity } from '../entities/booking.entity';
import type { DonationEntity } from '../entities/donation.entity';
import type { FundEntity } from '../entities/fund.entity';
import { DonationConnection } from '../schema/campaign.type';
import { BookingConnection, FacilityType } from '../schema/facility.type';
import { FundType } from '../schema/fund.type';
import { CommunityRef, OrganizationRef, UserRef } from '../schema/refs.type';
import { facilityNode } from './facility-node';

/** Assets' fields on identity's User, with the same visibility as the queries (the resident, or their staff). */
@Resolver(() => UserRef)
export class UserResolver {
  constructor(
    private readonly facilities: FacilityQueries,
    private readonly campaigns: CampaignQueries,
  ) {}

  @FieldResolver(() => BookingConnection, { description: 'Facility bookings, newest first (the resident and staff)' })
  bookings(
    @Root() user: UserRef,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<BookingEntity>> {
    return this.facilities.bookingsOf(context, user.id, first, after);
  }

  @FieldResolver(() => DonationConnection, { description: 'Donations, newest first (the donor and staff)' })
  donations(
    @Root() user: UserRef,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<DonationEntity>> {
    return this.campaigns.donationsOf(context, user.id, first, after);
  }
}

@Resolver(() => OrganizationRef)
export class OrganizationResolver {
  constructor(private readonly facilities: FacilityQueries) {}

  @FieldResolver(() => BookingConnection, {
    description: 'Its facility bookings in your community (its backbones and leaders, and staff)',
  })
  bookings(
    @Root() organization: OrganizationRef,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<BookingEntity>> {
    return this.facilities.bookingsOfOrganization(context, organization.id, first, after);
  }
}

@Resolver(() => CommunityRef)
export class CommunityResolver {
  constructor(
    private readonly facilityQueries: FacilityQueries,
    private readonly fundQueries: FundQueries,
  ) {}

  @FieldResolver(() => [FundType], { description: 'Its funds (its residents and staff)' })
  funds(@Root() community: CommunityRef, @Ctx() context: ServiceContext): Promise<FundEntity[]> {
    requireCaller(context);
    return this.fundQueries.fundsOfCommunity(context, community.id);
  }

  @FieldResolver(() => [FacilityType], { description: 'Its bookable facilities (anyone)' })
  async facilities(@Root() community: CommunityRef, @Ctx() context: ServiceContext): Promise<FacilityType[]> {
    return (await this.facilityQueries.facilitiesOfCommunity(context, community.id)).map(facilityNode);
  }
}
