import { localTime } from './opening-hours';
import { REPORT_TIME_ZONE } from './vocabulary';

/** The default report period: the twelve months up to today (China Standard Time). */
export function lastTwelveMonths(now = new Date()): { from: string; to: string } {
  const today = localTime(now, REPORT_TIME_ZONE).date;
  const [year, month] = today.split('-').map(Number);
  const start = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 12, 1)).toISOString().slice(0, 10);
  return { from: start, to: today };
}
