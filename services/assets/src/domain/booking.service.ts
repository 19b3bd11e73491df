import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  hasAnyRole,
  NotFoundError,
  requireCaller,
  STAFF_ROLES,
  type AuthContext,
  type Caller,
} from '@taoyuan/service-kit';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { AssetEntity } from '../entities/asset.entity';
import { BookingEntity } from '../entities/booking.entity';
import { FacilityEntity } from '../entities/facility.entity';
import { LedgerEntryEntity } from '../entities/ledger-entry.entity';
import type { AssetsEvents } from '../events/assets-events';
import { isStaffOf, requireMemberOf, requireStaffOf } from './access';
import { requireText, requireValidDate } from './input';
import type { Ledger } from './ledger';
import { withinOpeningHours } from './opening-hours';
import { actsForOrganization } from './organization-roles';
import { AssetStatus, Booker, BookingStatus, Direction, FundKind, IncomeCategory } from './vocabulary';

export interface BookingInput {
  facilityId: string;
  startsAt: Date;
  endsAt: Date;
  purpose: string;
  attendees: number;
  organizationId?: string | null;
}

const ACTIVE = [BookingStatus.PENDING_APPROVAL, BookingStatus.CONFIRMED];

/** The fee of a booking: per started quarter hour at the facility's hourly rate, in whole fen. */
export function bookingFeeFen(feePerHourFen: number, startsAt: Date, endsAt: Date): number {
  const minutes = Math.ceil((endsAt.getTime() - startsAt.getTime()) / 60_000);
  return Math.ceil((feePerHourFen * minutes) / 60);
}

/**
 * Booking facilities. The rules (who, how long, how far ahead, opening hours) are checked here; that two active
 * bookings never overlap is left to the exclusion constraint `bookings_no_overlap`, so of any number of concurrent
 * requests for one slot exactly one wins and the others get CONFLICT (SLOT_TAKEN).
 */
export class BookingService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: Ledger,
    private readonly events: AssetsEvents,
  ) {}

  async book(context: AuthContext, input: BookingInput): Promise<BookingEntity> {
    const caller = requireCaller(context);
    const startsAt = requireValidDate(input.startsAt, 'startsAt');
    const endsAt = requireValidDate(input.endsAt, 'endsAt');
    const purpose = requireText(input.purpose, 'purpose', 1, 200);
    if (endsAt <= startsAt) throw new BadUserInputError('endsAt must be after startsAt', 'endsAt');
    if (startsAt.getTime() <= Date.now()) throw new BadUserInputError('startsAt must be in the future', 'startsAt');
    if (!Number.isInteger(input.attendees) || input.attendees < 1)
      throw new BadUserInputError('attendees must be at least 1', 'attendees');
    const organizationId = input.organizationId ?? null;

    const facility = await this.db.manager.findOneBy(FacilityEntity, { id: input.facilityId });
    if (!facility) throw new NotFoundError('Facility', input.facilityId);
    requireMemberOf(caller, facility.communityId);
    const asset = await this.db.manager.findOneByOrFail(AssetEntity, { id: facility.id });
    if (asset.status !== AssetStatus.IN_USE)
      throw new ConflictError('FACILITY_UNAVAILABLE', `${asset.name} is not open for bookings now`);
    await this.requireMayBook(caller, facility, organizationId);

    const minutes = (endsAt.getTime() - startsAt.getTime()) / 60_000;
    if (minutes > facility.maxBookingMinutes)
      throw new BadUserInputError(`A booking lasts at most ${facility.maxBookingMinutes} minutes here`, 'endsAt');
    if (startsAt.getTime() > Date.now() + facility.maxDaysAhead * 86_400_000)
      throw new BadUserInputError(`Book at most ${facility.maxDaysAhead} days ahead`, 'startsAt');
    if (input.attendees > facility.capacity)
      throw new BadUserInputError(`${asset.name} holds at most ${facility.capacity} people`, 'attendees');
    if (!withinOpeningHours(facility.openingHours, facility.timeZone, startsAt, endsAt))
      throw new BadUserInputError(`${asset.name} is not open for all of that time`, 'startsAt');

    const free = organizationId !== null && facility.freeForOrganizations;
    const needsApproval =
      !isStaffOf(caller, facility.communityId) &&
      facility.approvalAboveAttendees !== null &&
      input.attendees > facility.approvalAboveAttendees;
    const id = randomUUID();
    try {
      return await this.db.transaction(async (manager) => {
        await manager.insert(BookingEntity, {
          id,
          facilityId: facility.id,
          communityId: facility.communityId,
          bookedBy: caller.userId,
          organizationId,
          purpose,
          attendees: input.attendees,
          startsAt,
          endsAt,
          status: needsApproval ? BookingStatus.PENDING_APPROVAL : BookingStatus.CONFIRMED,
          feeFen: free ? 0 : bookingFeeFen(facility.feePerHourFen, startsAt, endsAt),
        });
        const booking = await manager.findOneByOrFail(BookingEntity, { id });
        if (booking.status === BookingStatus.CONFIRMED) await this.announceConfirmed(manager, booking);
        return booking;
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23P01')
        throw new ConflictError('SLOT_TAKEN', `${asset.name} is already booked for part of that time`);
      throw error;
    }
  }

  /** The booker before the start, or staff (with a reason) at any time; a paid fee is taken back by a reversal. */
  async cancel(context: AuthContext, bookingId: string, reason: string | null): Promise<BookingEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const booking = await this.lock(manager, bookingId);
      requireMemberOf(caller, booking.communityId);
      const staff = isStaffOf(caller, booking.communityId);
      const own = booking.bookedBy === caller.userId;
      if (!own && !staff) throw new ForbiddenError('NOT_YOURS', 'Only the booker or staff can cancel a booking');
      if (!ACTIVE.includes(booking.status))
        throw new ConflictError('BOOKING_NOT_ACTIVE', `This booking is already ${booking.status.toLowerCase()}`);
      let why = 'CANCELLED_BY_BOOKER';
      if (!own || booking.startsAt.getTime() <= Date.now()) {
        if (!staff)
          throw new ConflictError('BOOKING_STARTED', 'A booking can be cancelled by its booker only before it starts');
        if (!reason?.trim()) throw new BadUserInputError('Staff give a reason when they cancel a booking', 'reason');
      }
      if (reason?.trim()) why = requireText(reason, 'reason', 1, 200);
      let refundedFen = 0;
      if (booking.paidAt) {
        const payment = await manager.findOneByOrFail(LedgerEntryEntity, {
          sourceType: 'BOOKING',
          sourceId: booking.id,
        });
        await this.ledger.reverse(manager, payment, caller.userId, `退订退款：${booking.purpose}`.slice(0, 500));
        refundedFen = payment.amountFen;
      }
      await manager.update(
        BookingEntity,
        { id: booking.id },
        {
          status: BookingStatus.CANCELLED,
          cancelledBy: caller.userId,
          cancelledAt: () => 'clock_timestamp()',
          cancelReason: why,
        },
      );
      const cancelled = await manager.findOneByOrFail(BookingEntity, { id: booking.id });
      await this.events.bookingCancelled(manager, {
        ...this.fact(cancelled),
        cancelledBy: caller.userId,
        reason: why,
        refundedFen,
        cancelledAt: (cancelled.cancelledAt ?? new Date()).toISOString(),
      });
      return cancelled;
    });
  }

  async approve(context: AuthContext, bookingId: string): Promise<BookingEntity> {
    return this.decide(context, bookingId, BookingStatus.CONFIRMED, null);
  }

  async reject(context: AuthContext, bookingId: string, reason: string): Promise<BookingEntity> {
    return this.decide(context, bookingId, BookingStatus.REJECTED, requireText(reason, 'reason', 1, 200));
  }

  /** Staff saw the fee arrive: it becomes income of the community's PUBLIC_WELFARE fund. */
  async markPaid(context: AuthContext, bookingId: string, paymentReference: string): Promise<BookingEntity> {
    const caller = requireCaller(context);
    const reference = requireText(paymentReference, 'paymentReference', 1, 120);
    return this.db.transaction(async (manager) => {
      const booking = await this.lock(manager, bookingId);
      requireStaffOf(caller, booking.communityId);
      if (booking.paidAt) throw new ConflictError('ALREADY_PAID', 'This booking is already marked paid');
      if (booking.status !== BookingStatus.CONFIRMED)
        throw new ConflictError('BOOKING_NOT_CONFIRMED', 'Only a confirmed booking is paid');
      if (booking.feeFen === 0) throw new ConflictError('NOTHING_TO_PAY', 'This booking is free');
      const fund = await this.ledger.generalFund(manager, booking.communityId, FundKind.PUBLIC_WELFARE);
      await this.ledger.append(manager, {
        fundId: fund.id,
        communityId: booking.communityId,
        direction: Direction.IN,
        category: IncomeCategory.FACILITY_FEE,
        amountFen: booking.feeFen,
        source: { type: 'BOOKING', id: booking.id },
        memo: `场地费：${booking.purpose}`.slice(0, 500),
        recordedBy: caller.userId,
        approvedBy: caller.userId,
      });
      await manager.update(
        BookingEntity,
        { id: booking.id },
        { paidAt: () => 'clock_timestamp()', paymentReference: reference },
      );
      return manager.findOneByOrFail(BookingEntity, { id: booking.id });
    });
  }

  private async decide(
    context: AuthContext,
    bookingId: string,
    to: BookingStatus.CONFIRMED | BookingStatus.REJECTED,
    reason: string | null,
  ): Promise<BookingEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const booking = await this.lock(manager, bookingId);
      requireStaffOf(caller, booking.communityId);
      if (booking.status !== BookingStatus.PENDING_APPROVAL)
        throw new ConflictError('BOOKING_DECIDED', `This booking is ${booking.status.toLowerCase()}, not pending`);
      await manager.update(
        BookingEntity,
        { id: booking.id },
        { status: to, decidedBy: caller.userId, decidedAt: () => 'clock_timestamp()', decisionReason: reason },
      );
      const decided = await manager.findOneByOrFail(BookingEntity, { id: booking.id });
      if (to === BookingStatus.CONFIRMED) await this.announceConfirmed(manager, decided);
      return decided;
    });
  }

  private async requireMayBook(caller: Caller, facility: FacilityEntity, organizationId: string | null): Promise<void> {
    if (organizationId) {
      if (!facility.bookableBy.includes(Booker.ORGANIZATION))
        throw new ForbiddenError('NOT_BOOKABLE_BY_ORGANIZATIONS', 'Organizations do not book this facility');
      if (!(await actsForOrganization(this.db.manager, caller, organizationId)))
        throw new ForbiddenError(
          'NOT_ORGANIZATION_BACKBONE',
          'Only a backbone or leader of the organization books on its behalf',
        );
      return;
    }
    const staff = hasAnyRole(caller, STAFF_ROLES);
    if (staff && facility.bookableBy.includes(Booker.STAFF)) return;
    if (!facility.bookableBy.includes(Booker.RESIDENT))
      throw new ForbiddenError('NOT_BOOKABLE_BY_RESIDENTS', 'Residents cannot book this facility themselves');
  }

  private async lock(manager: EntityManager, bookingId: string): Promise<BookingEntity> {
    const booking = await manager.findOne(BookingEntity, {
      where: { id: bookingId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!booking) throw new NotFoundError('Booking', bookingId);
    return booking;
  }

  private fact(booking: BookingEntity) {
    return {
      bookingId: booking.id,
      facilityId: booking.facilityId,
      communityId: booking.communityId,
      organizationId: booking.organizationId,
      userId: booking.bookedBy,
      startsAt: booking.startsAt.toISOString(),
      endsAt: booking.endsAt.toISOString(),
    };
  }

  private announceConfirmed(manager: EntityManager, booking: BookingEntity): Promise<void> {
    return this.events.bookingConfirmed(manager, this.fact(booking));
  }
}
