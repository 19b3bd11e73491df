import { BadUserInputError } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { requireIsoDate } from './input';
import { zonedInstant } from './opening-hours';
import { Direction, REPORT_TIME_ZONE, type FundKind } from './vocabulary';

export interface CategoryAmount {
  category: string;
  amountFen: number;
}

export interface FundReport {
  fundId: string;
  name: string;
  kind: FundKind;
  campaignId: string | null;
  openingFen: number;
  incomeFen: number;
  spendingFen: number;
  closingFen: number;
  income: CategoryAmount[];
  spending: CategoryAmount[];
}

export interface MonthFigures {
  /** YYYY-MM */
  month: string;
  incomeFen: number;
  spendingFen: number;
}

export interface CampaignReport {
  campaignId: string;
  title: string;
  status: string;
  goalFen: number;
  raisedFen: number;
  spentFen: number;
}

export interface FacilityUsage {
  facilityId: string;
  name: string;
  bookings: number;
  hoursUsed: number;
}

export interface TransparencyReportData {
  communityId: string;
  /** first day, YYYY-MM-DD, China Standard Time */
  from: string;
  /** last day (inclusive) */
  to: string;
  funds: FundReport[];
  months: MonthFigures[];
  campaigns: CampaignReport[];
  facilities: FacilityUsage[];
}

export const MAX_REPORT_DAYS = 3660;

/** Validates a report period: calendar days in China Standard Time, `to` inclusive, at most ten years. */
export function reportPeriod(from: string, to: string): { from: string; to: string } {
  requireIsoDate(from, 'from');
  requireIsoDate(to, 'to');
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days < 0) throw new BadUserInputError('to must not be before from', 'to');
  if (days > MAX_REPORT_DAYS) throw new BadUserInputError('A report covers at most ten years', 'to');
  return { from, to };
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The public transparency report. Sums come from `ledger_daily`, the roll-up the ledger trigger keeps per fund, day,
 * direction and category, so the report reads a few thousand rows however many entries the ledger holds.
 */
export class ReportQueries {
  constructor(private readonly db: DataSource) {}

  async report(communityId: string, fromDate: string, toDate: string): Promise<TransparencyReportData> {
    const { from, to } = reportPeriod(fromDate, toDate);
    const funds = await this.db.query<
      { id: string; name: string; kind: FundKind; campaign_id: string | null; balance_fen: string }[]
    >(
      `SELECT id, name, kind, campaign_id, balance_fen::text FROM funds WHERE community_id = $1 ORDER BY kind, created_at, id`,
      [communityId],
    );
    const fundIds = funds.map((fund) => fund.id);
    const [sums, months, campaigns, facilities] = await Promise.all([
      // Only days from `from` on are read: the opening balance is today's balance minus everything since `from`, so
      // the work grows with the period asked for, not with the fund's whole history.
      this.db.query<{ fund_id: string; direction: Direction; category: string; within: string; since: string }[]>(
        `SELECT d.fund_id, d.direction, d.category,
                COALESCE(sum(d.amount_fen) FILTER (WHERE d.day <= $3), 0)::text AS within,
                sum(d.amount_fen)::text AS since
           FROM ledger_daily d
          WHERE d.fund_id = ANY($1::uuid[]) AND d.day >= $2
          GROUP BY d.fund_id, d.direction, d.category`,
        [fundIds, from, to],
      ),
      this.db.query<{ month: string; income: string; spending: string }[]>(
        `SELECT to_char(d.day, 'YYYY-MM') AS month,
                COALESCE(sum(d.amount_fen) FILTER (WHERE d.direction = 'IN'), 0)::text AS income,
                COALESCE(sum(d.amount_fen) FILTER (WHERE d.direction = 'OUT'), 0)::text AS spending
           FROM ledger_daily d
          WHERE d.fund_id = ANY($1::uuid[]) AND d.day BETWEEN $2 AND $3
          GROUP BY 1 ORDER BY 1`,
        [fundIds, from, to],
      ),
      this.db.query<{ id: string; title: string; status: string; goal_fen: string; raised: string; spent: string }[]>(
        `SELECT c.id, c.title, c.status, c.goal_fen::text,
                COALESCE((SELECT sum(amount_fen) FROM ledger_daily d WHERE d.fund_id = f.id AND d.direction = 'IN'
                            AND d.category = 'DONATION' AND d.day <= $2), 0)::text AS raised,
                COALESCE((SELECT sum(amount_fen) FROM ledger_daily d WHERE d.fund_id = f.id AND d.direction = 'OUT'
                            AND d.day <= $2), 0)::text AS spent
           FROM campaigns c LEFT JOIN funds f ON f.campaign_id = c.id
          WHERE c.community_id = $1 AND c.status IN ('OPEN','CLOSED') AND c.created_at < $3
          ORDER BY c.created_at, c.id`,
        [communityId, to, zonedInstant(nextDay(to), 0, REPORT_TIME_ZONE)],
      ),
      this.db.query<{ id: string; name: string; bookings: number; hours: string }[]>(
        `SELECT a.id, a.name, count(b.id)::int AS bookings,
                COALESCE(round(sum(extract(epoch FROM upper(b.period * tstzrange($2, $3)) - lower(b.period * tstzrange($2, $3))) / 3600)::numeric, 2), 0)::text AS hours
           FROM facilities fa JOIN assets a ON a.id = fa.id
           LEFT JOIN bookings b ON b.facility_id = fa.id AND b.status = 'CONFIRMED' AND b.period && tstzrange($2, $3)
          WHERE fa.community_id = $1
          GROUP BY a.id, a.name ORDER BY a.name`,
        [communityId, zonedInstant(from, 0, REPORT_TIME_ZONE), zonedInstant(nextDay(to), 0, REPORT_TIME_ZONE)],
      ),
    ]);

    return {
      communityId,
      from,
      to,
      funds: funds.map((fund) =>
        fundReport(
          fund,
          sums.filter((sum) => sum.fund_id === fund.id),
        ),
      ),
      months: months.map((row) => ({
        month: row.month,
        incomeFen: Number(row.income),
        spendingFen: Number(row.spending),
      })),
      campaigns: campaigns.map((row) => ({
        campaignId: row.id,
        title: row.title,
        status: row.status,
        goalFen: Number(row.goal_fen),
        raisedFen: Number(row.raised),
        spentFen: Number(row.spent),
      })),
      facilities: facilities.map((row) => ({
        facilityId: row.id,
        name: row.name,
        bookings: row.bookings,
        hoursUsed: Number(row.hours),
      })),
    };
  }
}

function fundReport(
  fund: { id: string; name: string; kind: FundKind; campaign_id: string | null; balance_fen: string },
  sums: { direction: Direction; category: string; within: string; since: string }[],
): FundReport {
  let openingFen = Number(fund.balance_fen);
  const income: CategoryAmount[] = [];
  const spending: CategoryAmount[] = [];
  for (const sum of sums) {
    const sign = sum.direction === Direction.IN ? 1 : -1;
    openingFen -= sign * Number(sum.since);
    const within = Number(sum.within);
    if (within === 0) continue;
    (sum.direction === Direction.IN ? income : spending).push({ category: sum.category, amountFen: within });
  }
  const byCategory = (a: CategoryAmount, b: CategoryAmount) => a.category.localeCompare(b.category);
  income.sort(byCategory);
  spending.sort(byCategory);
  const incomeFen = income.reduce((total, item) => total + item.amountFen, 0);
  const spendingFen = spending.reduce((total, item) => total + item.amountFen, 0);
  return {
    fundId: fund.id,
    name: fund.name,
    kind: fund.kind,
    campaignId: fund.campaign_id,
    openingFen,
    incomeFen,
    spendingFen,
    closingFen: openingFen + incomeFen - spendingFen,
    income,
    spending,
  };
}
