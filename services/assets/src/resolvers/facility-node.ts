import type { FacilityView } from '../domain/facility-queries';
import type { FacilityType } from '../schema/facility.type';

/** A facility as the schema shows it: the register's name and status with the booking side's rules. */
export function facilityNode({ facility, asset }: FacilityView): FacilityType {
  return {
    id: facility.id,
    communityId: facility.communityId,
    name: asset.name,
    status: asset.status,
    capacity: facility.capacity,
    timeZone: facility.timeZone,
    openingHours: facility.openingHours,
    rules: {
      bookableBy: facility.bookableBy,
      maxBookingMinutes: facility.maxBookingMinutes,
      maxDaysAhead: facility.maxDaysAhead,
      feePerHourFen: facility.feePerHourFen,
      freeForOrganizations: facility.freeForOrganizations,
      approvalAboveAttendees: facility.approvalAboveAttendees,
    },
  };
}
