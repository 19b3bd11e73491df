import type { DataSource } from 'typeorm';
import { POINTS_TIME_ZONE } from './vocabulary';

export interface VolunteeringFigures {
  volunteerHours: number;
  volunteers: number;
  pointsEarned: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Volunteering's part of the public transparency report (assets owns the report; the gateway joins both through the
 * TransparencyReport entity): verified hours and points earned net of reversals in a period of calendar days
 * (China Standard Time, `to` inclusive). Aggregates only, so the report stays public without naming anyone.
 */
export class TransparencyQueries {
  constructor(private readonly db: DataSource) {}

  async figures(communityId: string, from: string, to: string): Promise<VolunteeringFigures> {
    if (!ISO_DATE.test(from) || !ISO_DATE.test(to)) return { volunteerHours: 0, volunteers: 0, pointsEarned: 0 };
    const [row] = await this.db.query<{ hours: string; volunteers: number; points: string }[]>(
      `SELECT
         (SELECT COALESCE(sum(hours), 0) FROM attendances
           WHERE community_id = $1 AND service_date BETWEEN $2::date AND $3::date)::text AS hours,
         (SELECT count(DISTINCT user_id) FROM attendances
           WHERE community_id = $1 AND service_date BETWEEN $2::date AND $3::date)::int AS volunteers,
         (SELECT COALESCE(sum(delta), 0) FROM points_entries
           WHERE community_id = $1 AND kind IN ('EARNED_VOLUNTEERING','EARNED_SERVICE','BONUS','REVERSAL')
             AND created_at >= ($2::date::timestamp AT TIME ZONE $4)
             AND created_at < (($3::date + 1)::timestamp AT TIME ZONE $4))::text AS points`,
      [communityId, from, to, POINTS_TIME_ZONE],
    );
    return {
      volunteerHours: Number(row?.hours ?? 0),
      volunteers: row?.volunteers ?? 0,
      pointsEarned: Number(row?.points ?? 0),
    };
  }
}
