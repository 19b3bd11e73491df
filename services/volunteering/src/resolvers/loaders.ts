import { entityLoader, loadEntities, type ServiceContext } from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { AttendanceEntity } from '../entities/attendance.entity';
import { OpportunityEntity } from '../entities/opportunity.entity';
import { ShiftEntity } from '../entities/shift.entity';
import { SignUpEntity } from '../entities/sign-up.entity';
import { PLACE_HOLDING_STATUSES } from '../domain/vocabulary';

/** Per-request DataLoaders: whatever a request touches is fetched in one query per kind. */
export function loadOpportunities(
  db: DataSource,
  context: ServiceContext,
  ids: readonly string[],
): Promise<(OpportunityEntity | null)[]> {
  return loadEntities(context.loaders, db.getRepository(OpportunityEntity), ids);
}

export function loadShift(db: DataSource, context: ServiceContext, id: string): Promise<ShiftEntity | null> {
  return entityLoader(context.loaders, db.getRepository(ShiftEntity)).load(id);
}

export function loadShiftsOfOpportunity(
  db: DataSource,
  context: ServiceContext,
  opportunityId: string,
): Promise<ShiftEntity[]> {
  return context.loaders
    .get<string, ShiftEntity[]>('shiftsByOpportunity', async (keys) => {
      const rows = await db
        .getRepository(ShiftEntity)
        .find({ where: { opportunityId: In([...keys]) }, order: { startsAt: 'ASC', id: 'ASC' } });
      return keys.map((key) => rows.filter((row) => row.opportunityId === key));
    })
    .load(opportunityId);
}

export interface ShiftOccupancy {
  taken: number;
  waitlisted: number;
}

export function loadShiftOccupancy(db: DataSource, context: ServiceContext, shiftId: string): Promise<ShiftOccupancy> {
  return context.loaders
    .get<string, ShiftOccupancy>('shiftOccupancy', async (keys) => {
      const rows = await db.query<{ shift_id: string; taken: number; waitlisted: number }[]>(
        `SELECT shift_id, count(*) FILTER (WHERE status = ANY($2))::int AS taken,
                count(*) FILTER (WHERE status = 'WAITLISTED')::int AS waitlisted
           FROM sign_ups WHERE shift_id = ANY($1) GROUP BY shift_id`,
        [keys, PLACE_HOLDING_STATUSES],
      );
      const byShift = new Map(rows.map((row) => [row.shift_id, row]));
      return keys.map((key) => ({
        taken: byShift.get(key)?.taken ?? 0,
        waitlisted: byShift.get(key)?.waitlisted ?? 0,
      }));
    })
    .load(shiftId);
}

export function loadAttendanceOfSignUp(
  db: DataSource,
  context: ServiceContext,
  signUpId: string,
): Promise<AttendanceEntity | null> {
  return context.loaders
    .get<string, AttendanceEntity | null>('attendanceBySignUp', async (keys) => {
      const rows = await db.getRepository(AttendanceEntity).findBy({ signUpId: In([...keys]) });
      const bySignUp = new Map(rows.map((row) => [row.signUpId, row]));
      return keys.map((key) => bySignUp.get(key) ?? null);
    })
    .load(signUpId);
}

/** Sign-ups per shift in sign-up order: one statement for every shift of the request. */
export function loadSignUpsOfShift(db: DataSource, context: ServiceContext, shiftId: string): Promise<SignUpEntity[]> {
  const loader = context.loaders.get<string, SignUpEntity[]>('shift-sign-ups', async (shiftIds) => {
    const rows = await db
      .getRepository(SignUpEntity)
      .find({ where: { shiftId: In([...shiftIds]) }, order: { signedUpAt: 'ASC', id: 'ASC' } });
    return shiftIds.map((id) => rows.filter((row) => row.shiftId === id));
  });
  return loader.load(shiftId);
}
