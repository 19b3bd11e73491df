import { BadUserInputError, PartnerScope, requireCommunityReader, type AuthContext } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { LeaderboardPeriod, POINTS_TIME_ZONE } from './vocabulary';

export interface LeaderboardRow {
  userId: string;
  points: number;
  rank: number;
}

export const MAX_LEADERBOARD_SIZE = 100;

const PERIOD_UNITS: Record<Exclude<LeaderboardPeriod, LeaderboardPeriod.ALL>, string> = {
  [LeaderboardPeriod.WEEK]: 'week',
  [LeaderboardPeriod.MONTH]: 'month',
  [LeaderboardPeriod.YEAR]: 'year',
};

/**
 * The SQL of a leaderboard. A calendar period (week from Monday, month, year, in China Standard Time) sums the
 * earning entries of the period net of reversals; it reads only the partial covering index
 * points_entries_leaderboard_idx (community_id, created_at) INCLUDE (user_id, delta), whose WHERE clause the query
 * repeats word for word so the planner can use it. ALL is lifetime earned, read from points_accounts through
 * points_accounts_lifetime_idx instead of summing the whole ledger.
 */
export function leaderboardQuery(
  communityId: string,
  period: LeaderboardPeriod,
  limit: number,
): { sql: string; parameters: unknown[] } {
  if (period === LeaderboardPeriod.ALL) {
    return {
      sql: `SELECT user_id AS "userId", lifetime_earned AS points,
                   rank() OVER (ORDER BY lifetime_earned DESC)::int AS rank
              FROM points_accounts
             WHERE community_id = $1 AND lifetime_earned > 0
             ORDER BY lifetime_earned DESC, user_id
             LIMIT $2`,
      parameters: [communityId, limit],
    };
  }
  return {
    sql: `SELECT "userId", points, rank() OVER (ORDER BY points DESC)::int AS rank
            FROM (SELECT user_id AS "userId", sum(delta)::int AS points
                    FROM points_entries
                   WHERE community_id = $1
                     AND kind IN ('EARNED_VOLUNTEERING','EARNED_SERVICE','BONUS','REVERSAL')
                     AND created_at >= (date_trunc($2, now() AT TIME ZONE $3) AT TIME ZONE $3)
                   GROUP BY user_id) totals
           WHERE points > 0
           ORDER BY points DESC, "userId"
           LIMIT $4`,
    parameters: [communityId, PERIOD_UNITS[period], POINTS_TIME_ZONE, limit],
  };
}

export class Leaderboard {
  constructor(private readonly db: DataSource) {}

  /** Members of the community, or a partner serving it with reports:read: no community sees another's. */
  async top(
    context: AuthContext,
    communityId: string,
    period: LeaderboardPeriod,
    first: number | null | undefined,
  ): Promise<LeaderboardRow[]> {
    requireCommunityReader(context, communityId, PartnerScope.REPORTS_READ);
    const limit = first ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LEADERBOARD_SIZE)
      throw new BadUserInputError(`first must be between 1 and ${MAX_LEADERBOARD_SIZE}`, 'first');
    const { sql, parameters } = leaderboardQuery(communityId, period, limit);
    return this.db.query<LeaderboardRow[]>(sql, parameters);
  }
}
