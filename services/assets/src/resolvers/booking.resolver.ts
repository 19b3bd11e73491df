import { isUuid, requireUuid, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { BookingService } from '../domain/booking.service';
import type { FacilityQueries, FacilityView } from '../domain/facility-queries';
import type { BookingEntity } from '../entities/booking.entity';
import { BookFacilityInput, BookingType, FacilityType } from '../schema/facility.type';
import { OrganizationRef, UserRef } from '../schema/refs.type';
import { facilityNode } from './facility-node';

@Resolver(() => BookingType)
export class BookingResolver {
  constructor(
    private readonly service: BookingService,
    private readonly queries: FacilityQueries,
  ) {}

  @Query(() => BookingType, {
    nullable: true,
    description: 'A booking: for its booker, staff, and backbones or leaders of its organization',
  })
  async booking(@Arg('id', () => ID) id: string, @Ctx() context: ServiceContext): Promise<BookingEntity | null> {
    if (!isUuid(id)) return null;
    return this.queries.booking(context, id.toLowerCase());
  }

  @Mutation(() => BookingType, {
    description: 'Book a facility: CONFIRMED, or PENDING_APPROVAL for more people than it takes unasked',
  })
  bookFacility(
    @Ctx() context: ServiceContext,
    @Arg('input', () => BookFacilityInput) input: BookFacilityInput,
  ): Promise<BookingEntity> {
    return this.service.book(context, {
      ...input,
      facilityId: requireUuid(input.facilityId, 'facilityId'),
      organizationId: input.organizationId ? requireUuid(input.organizationId, 'organizationId') : null,
    });
  }

  @Mutation(() => BookingType, {
    description: 'The booker before the start, or staff with a reason; a paid fee is reversed',
  })
  cancelBooking(
    @Ctx() context: ServiceContext,
    @Arg('bookingId', () => ID) bookingId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<BookingEntity> {
    return this.service.cancel(context, requireUuid(bookingId, 'bookingId'), reason);
  }

  @Mutation(() => BookingType, { description: 'Confirm a pending booking (staff)' })
  approveBooking(
    @Ctx() context: ServiceContext,
    @Arg('bookingId', () => ID) bookingId: string,
  ): Promise<BookingEntity> {
    return this.service.approve(context, requireUuid(bookingId, 'bookingId'));
  }

  @Mutation(() => BookingType, { description: 'Decline a pending booking with a reason (staff)' })
  rejectBooking(
    @Ctx() context: ServiceContext,
    @Arg('bookingId', () => ID) bookingId: string,
    @Arg('reason') reason: string,
  ): Promise<BookingEntity> {
    return this.service.reject(context, requireUuid(bookingId, 'bookingId'), reason);
  }

  @Mutation(() => BookingType, {
    description: 'The fee arrived (staff): income of the community’s PUBLIC_WELFARE fund',
  })
  markBookingPaid(
    @Ctx() context: ServiceContext,
    @Arg('bookingId', () => ID) bookingId: string,
    @Arg('paymentReference') paymentReference: string,
  ): Promise<BookingEntity> {
    return this.service.markPaid(context, requireUuid(bookingId, 'bookingId'), paymentReference);
  }

  @FieldResolver(() => FacilityType)
  async facility(@Root() booking: BookingEntity, @Ctx() context: ServiceContext): Promise<FacilityType> {
    // Batched: a page of bookings costs one facility query.
    const view = await context.loaders
      .get<string, FacilityView | null>('facilities', (ids) => this.queries.facilitiesByIds(ids))
      .load(booking.facilityId);
    if (!view) throw new Error(`booking ${booking.id} names a missing facility`);
    return facilityNode(view);
  }

  @FieldResolver(() => UserRef)
  bookedBy(@Root() booking: BookingEntity): UserRef {
    return { id: booking.bookedBy };
  }

  @FieldResolver(() => OrganizationRef, { nullable: true })
  organization(@Root() booking: BookingEntity): OrganizationRef | null {
    return booking.organizationId ? { id: booking.organizationId } : null;
  }
}
