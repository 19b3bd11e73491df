import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError, requireCaller, type AuthContext } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { AssetEntity } from '../entities/asset.entity';
import { FacilityEntity } from '../entities/facility.entity';
import { requireStaffOf } from './access';
import { requireFen, requireText } from './input';
import { validateOpeningHours } from './opening-hours';
import { AssetKind, AssetStatus, type Booker, REPORT_TIME_ZONE, type OpeningHours } from './vocabulary';

export interface AssetInput {
  kind: AssetKind;
  name: string;
  owner?: string | null;
  valueFen: number;
  status?: AssetStatus | null;
  note?: string | null;
}

export interface FacilityRulesInput {
  capacity: number;
  openingHours: OpeningHours[];
  bookableBy: Booker[];
  maxBookingMinutes: number;
  maxDaysAhead: number;
  feePerHourFen: number;
  freeForOrganizations: boolean;
  approvalAboveAttendees?: number | null;
}

export interface FacilityInput extends FacilityRulesInput {
  name: string;
  valueFen: number;
  owner?: string | null;
}

/** The asset register (staff) and facilities' opening hours and booking rules. */
export class FacilityService {
  constructor(private readonly db: DataSource) {}

  async registerAsset(context: AuthContext, input: AssetInput): Promise<AssetEntity> {
    const caller = requireCaller(context);
    requireStaffOf(caller, caller.communityId);
    if (input.kind === AssetKind.FACILITY)
      throw new BadUserInputError('Register a facility with createFacility, which also takes its rules', 'kind');
    const id = randomUUID();
    await this.db.transaction(async (manager) => {
      await manager.insert(AssetEntity, {
        id,
        communityId: caller.communityId,
        ...this.assetValues(input),
        createdBy: caller.userId,
      });
    });
    return this.db.manager.findOneByOrFail(AssetEntity, { id });
  }

  async setAssetStatus(context: AuthContext, assetId: string, status: AssetStatus): Promise<AssetEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const asset = await manager.findOneBy(AssetEntity, { id: assetId });
      if (!asset) throw new NotFoundError('Asset', assetId);
      requireStaffOf(caller, asset.communityId);
      await manager.update(AssetEntity, { id: assetId }, { status });
      return manager.findOneByOrFail(AssetEntity, { id: assetId });
    });
  }

  async createFacility(context: AuthContext, input: FacilityInput): Promise<FacilityEntity> {
    const caller = requireCaller(context);
    requireStaffOf(caller, caller.communityId);
    const asset = this.assetValues({
      kind: AssetKind.FACILITY,
      name: input.name,
      owner: input.owner,
      valueFen: input.valueFen,
    });
    const rules = this.rules(input);
    const id = randomUUID();
    await this.db.transaction(async (manager) => {
      await manager.insert(AssetEntity, { id, communityId: caller.communityId, ...asset, createdBy: caller.userId });
      await manager.insert(FacilityEntity, {
        id,
        communityId: caller.communityId,
        timeZone: REPORT_TIME_ZONE,
        ...rules,
      });
    });
    return this.db.manager.findOneByOrFail(FacilityEntity, { id });
  }

  async updateFacilityRules(
    context: AuthContext,
    facilityId: string,
    input: FacilityRulesInput,
  ): Promise<FacilityEntity> {
    const caller = requireCaller(context);
    const rules = this.rules(input);
    return this.db.transaction(async (manager) => {
      const facility = await manager.findOneBy(FacilityEntity, { id: facilityId });
      if (!facility) throw new NotFoundError('Facility', facilityId);
      requireStaffOf(caller, facility.communityId);
      await manager.update(FacilityEntity, { id: facilityId }, rules);
      return manager.findOneByOrFail(FacilityEntity, { id: facilityId });
    });
  }

  private assetValues(input: AssetInput) {
    return {
      kind: input.kind,
      name: requireText(input.name, 'name', 1, 80),
      owner: input.owner ? requireText(input.owner, 'owner', 1, 120) : 'COMMUNITY',
      valueFen: requireFen(input.valueFen, 'valueFen', true),
      status: input.status ?? AssetStatus.IN_USE,
      note: input.note ? requireText(input.note, 'note', 0, 500, true) : '',
    };
  }

  private rules(input: FacilityRulesInput): Omit<FacilityEntity, 'id' | 'communityId' | 'timeZone'> {
    const whole = (value: number, field: string, min: number, max: number) => {
      if (!Number.isInteger(value) || value < min || value > max)
        throw new BadUserInputError(`${field} must be a whole number from ${min} to ${max}`, field);
      return value;
    };
    if (input.bookableBy.length === 0) throw new BadUserInputError('Someone must be able to book it', 'bookableBy');
    return {
      capacity: whole(input.capacity, 'capacity', 1, 5000),
      openingHours: validateOpeningHours(input.openingHours),
      bookableBy: [...new Set(input.bookableBy)],
      maxBookingMinutes: whole(input.maxBookingMinutes, 'maxBookingMinutes', 15, 1440),
      maxDaysAhead: whole(input.maxDaysAhead, 'maxDaysAhead', 1, 366),
      feePerHourFen: requireFen(input.feePerHourFen, 'feePerHourFen', true),
      freeForOrganizations: input.freeForOrganizations,
      approvalAboveAttendees:
        input.approvalAboveAttendees == null
          ? null
          : whole(input.approvalAboveAttendees, 'approvalAboveAttendees', 0, 5000),
    };
  }
}
