import {
  BadUserInputError,
  ForbiddenError,
  hasAnyRole,
  loadKeyed,
  NotFoundError,
  requireCaller,
  STAFF_ROLES,
  type Caller,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { In, type DataSource } from 'typeorm';
import { AssetEntity } from '../entities/asset.entity';
import { BookingEntity } from '../entities/booking.entity';
import { FacilityEntity } from '../entities/facility.entity';
import { isStaffOf } from './access';
import { openIntervals, subtractIntervals, type Interval } from './opening-hours';
import { actsForOrganization, organizationsActedFor } from './organization-roles';
import { AssetStatus } from './vocabulary';
import { newestFirstPage, type NewestFirstList } from './newest-first-page';

export interface FacilityView {
  facility: FacilityEntity;
  asset: AssetEntity;
}

/** Reads of facilities, availability and bookings, with the one visibility rule for bookings. */
export class FacilityQueries {
  constructor(private readonly db: DataSource) {}

  /** Anyone lists a community's facilities (retired ones are gone from the list). */
  async facilitiesOf(communityId: string): Promise<FacilityView[]> {
    const facilities = await this.db.manager.find(FacilityEntity, { where: { communityId } });
    return this.withAssets(facilities, true);
  }

  /** `facilitiesOf` for every community of the request (`Community.facilities` of many communities) at once. */
  facilitiesOfCommunity(context: ServiceContext, communityId: string): Promise<FacilityView[]> {
    return loadKeyed<FacilityView[]>(
      context.loaders,
      'community-facilities',
      communityId,
      async (communityIds) => {
        const facilities = await this.db.manager.find(FacilityEntity, { where: { communityId: In(communityIds) } });
        const views = await this.withAssets(facilities, true);
        const byCommunity = new Map<string, FacilityView[]>();
        for (const view of views)
          byCommunity.set(view.facility.communityId, [...(byCommunity.get(view.facility.communityId) ?? []), view]);
        return byCommunity;
      },
      [],
    );
  }

  async facility(id: string): Promise<FacilityView | null> {
    const facility = await this.db.manager.findOneBy(FacilityEntity, { id });
    if (!facility) return null;
    const [view] = await this.withAssets([facility], false);
    return view ?? null;
  }

  async facilitiesByIds(ids: readonly string[]): Promise<(FacilityView | null)[]> {
    const facilities = await this.db.manager.findBy(FacilityEntity, { id: In([...new Set(ids)]) });
    const views = await this.withAssets(facilities, false);
    const byId = new Map(views.map((view) => [view.facility.id, view]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The staff's asset register. */
  async assetsOf(caller: Caller, communityId: string): Promise<AssetEntity[]> {
    if (!isStaffOf(caller, communityId))
      throw new ForbiddenError('STAFF_ONLY', 'Only the community’s staff see the asset register');
    return this.db.manager.find(AssetEntity, { where: { communityId }, order: { kind: 'ASC', name: 'ASC' } });
  }

  /** Free intervals inside opening hours: what nobody has booked or asked to book. At most 31 days at once. */
  async availability(facilityId: string, from: Date, to: Date): Promise<Interval[]> {
    if (to <= from) throw new BadUserInputError('to must be after from', 'to');
    if (to.getTime() - from.getTime() > 31 * 86_400_000)
      throw new BadUserInputError('Ask for at most 31 days at once', 'to');
    const facility = await this.db.manager.findOneBy(FacilityEntity, { id: facilityId });
    if (!facility) throw new NotFoundError('Facility', facilityId);
    const busy = await this.db.query<{ starts_at: Date; ends_at: Date }[]>(
      `SELECT starts_at, ends_at FROM bookings
        WHERE facility_id = $1 AND status IN ('PENDING_APPROVAL','CONFIRMED') AND period && tstzrange($2, $3)`,
      [facilityId, from, to],
    );
    const open = openIntervals(facility.openingHours, facility.timeZone, from, to);
    return subtractIntervals(
      open,
      busy.map((row) => ({ startsAt: new Date(row.starts_at), endsAt: new Date(row.ends_at) })),
    );
  }

  /** A booking is seen by its booker, staff of its community, and a backbone or leader of its organization. */
  async canSeeBooking(caller: Caller | null, booking: BookingEntity): Promise<boolean> {
    if (!caller || caller.communityId !== booking.communityId) return false;
    if (caller.userId === booking.bookedBy || hasAnyRole(caller, STAFF_ROLES)) return true;
    return booking.organizationId !== null && actsForOrganization(this.db.manager, caller, booking.organizationId);
  }

  async booking(context: ServiceContext, id: string): Promise<BookingEntity | null> {
    const booking = await this.db.manager.findOneBy(BookingEntity, { id });
    return booking && (await this.canSeeBooking(context.caller, booking)) ? booking : null;
  }

  /**
   * A resident's bookings: the resident sees all of them, staff those in their own community. One page per resident,
   * every resident of the request in one windowed statement.
   */
  bookingsOf(
    context: ServiceContext,
    userId: string,
    first: number | null,
    after: string | null,
  ): Promise<Connection<BookingEntity>> {
    const caller = requireCaller(context);
    let communityId: string | null = null;
    if (caller.userId !== userId) {
      if (!hasAnyRole(caller, STAFF_ROLES))
        throw new ForbiddenError('NOT_YOURS', 'Only the resident and their community’s staff see their bookings');
      communityId = caller.communityId;
    }
    return this.bookingPage(context, `bookings-of-user:${communityId ?? ''}`, userId, first, after, {
      parent: 'booked_by',
      where: `$1::uuid IS NULL OR community_id = $1`,
      params: [communityId],
    });
  }

  /** An organization's bookings, for its backbones and leaders and for staff of its community. */
  async bookingsOfOrganization(
    context: ServiceContext,
    organizationId: string,
    first: number | null,
    after: string | null,
  ): Promise<Connection<BookingEntity>> {
    const caller = requireCaller(context);
    const staff = hasAnyRole(caller, STAFF_ROLES);
    if (!staff && !(await this.actsFor(context, caller, organizationId)))
      throw new ForbiddenError(
        'NOT_ORGANIZATION_BACKBONE',
        'Backbones and leaders of the organization and staff see its bookings',
      );
    return this.bookingPage(context, `bookings-of-organization:${caller.communityId}`, organizationId, first, after, {
      parent: 'organization_id',
      where: `community_id = $1`,
      params: [caller.communityId],
    });
  }

  /** Whether the caller acts for the organization; the organizations of one request are checked in one statement. */
  private actsFor(context: ServiceContext, caller: Caller, organizationId: string): Promise<boolean> {
    return loadKeyed(
      context.loaders,
      'acts-for-organization',
      organizationId,
      async (organizationIds) => {
        const acted = await organizationsActedFor(this.db.manager, caller, organizationIds);
        return new Map(organizationIds.map((id) => [id, acted.has(id)]));
      },
      false,
    );
  }

  private bookingPage(
    context: ServiceContext,
    name: string,
    parentId: string,
    first: number | null,
    after: string | null,
    list: NewestFirstList,
  ): Promise<Connection<BookingEntity>> {
    return newestFirstPage(
      this.db,
      context,
      { entity: BookingEntity, table: 'bookings' },
      { name, parentId, first, after, list },
    );
  }

  private async withAssets(facilities: FacilityEntity[], hideRetired: boolean): Promise<FacilityView[]> {
    if (facilities.length === 0) return [];
    const assets = await this.db.manager.findBy(AssetEntity, { id: In(facilities.map((facility) => facility.id)) });
    const byId = new Map(assets.map((asset) => [asset.id, asset]));
    return facilities
      .map((facility) => ({ facility, asset: byId.get(facility.id) }))
      .filter(
        (view): view is FacilityView => !!view.asset && !(hideRetired && view.asset.status === AssetStatus.RETIRED),
      )
      .sort((a, b) => a.asset.name.localeCompare(b.asset.name, 'zh-CN'));
  }
}
