import { BadUserInputError } from '@taoyuan/service-kit';
import type { OpeningHours } from './vocabulary';

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

export interface LocalTime {
  /** YYYY-MM-DD in the zone */
  date: string;
  /** ISO weekday, 1 = Monday */
  weekday: number;
  /** minutes since local midnight */
  minutes: number;
}

function minutesOf(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock date, weekday and minute of an instant in a time zone. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The instant of a local wall-clock time (`date` YYYY-MM-DD, minutes since midnight) in a time zone. */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`).getTime() + minutes * 60_000;
  // The zone's offset at the guessed instant, applied twice so a change of offset near the time is honoured.
  let instant = guess;
  for (let round = 0; round < 2; round += 1) {
    const local = localTime(new Date(instant), timeZone);
    const shownAsUtc = new Date(`${local.date}T00:00:00Z`).getTime() + local.minutes * 60_000;
    instant += guess - shownAsUtc;
  }
  return new Date(instant);
}

export function validateOpeningHours(hours: OpeningHours[]): OpeningHours[] {
  const seen = new Set<number>();
  for (const day of hours) {
    if (!Number.isInteger(day.weekday) || day.weekday < 1 || day.weekday > 7)
      throw new BadUserInputError('weekday must be 1 (Monday) to 7 (Sunday)', 'openingHours');
    if (seen.has(day.weekday)) throw new BadUserInputError('one opening interval per weekday', 'openingHours');
    seen.add(day.weekday);
    if (!HH_MM.test(day.opens) || !HH_MM.test(day.closes) || minutesOf(day.closes) <= minutesOf(day.opens))
      throw new BadUserInputError('opening hours are "HH:MM" with closes after opens', 'openingHours');
  }
  return [...hours].sort((a, b) => a.weekday - b.weekday);
}

/** Whether [startsAt, endsAt) lies inside one day's opening hours, in the facility's zone. */
export function withinOpeningHours(hours: OpeningHours[], timeZone: string, startsAt: Date, endsAt: Date): boolean {
  const start = localTime(startsAt, timeZone);
  const day = hours.find((candidate) => candidate.weekday === start.weekday);
  if (!day) return false;
  const opens = zonedInstant(start.date, minutesOf(day.opens), timeZone);
  const closes = zonedInstant(start.date, minutesOf(day.closes), timeZone);
  return startsAt >= opens && endsAt <= closes;
}

export interface Interval {
  startsAt: Date;
  endsAt: Date;
}

/** Opening intervals between `from` and `to`, clipped to them, earliest first. */
export function openIntervals(hours: OpeningHours[], timeZone: string, from: Date, to: Date): Interval[] {
  const intervals: Interval[] = [];
  let date = localTime(from, timeZone).date;
  const lastDate = localTime(to, timeZone).date;
  for (let guard = 0; date <= lastDate && guard < 400; guard += 1) {
    const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const day = hours.find((candidate) => candidate.weekday === weekday);
    if (day) {
      const startsAt = new Date(Math.max(zonedInstant(date, minutesOf(day.opens), timeZone).getTime(), from.getTime()));
      const endsAt = new Date(Math.min(zonedInstant(date, minutesOf(day.closes), timeZone).getTime(), to.getTime()));
      if (endsAt > startsAt) intervals.push({ startsAt, endsAt });
    }
    date = new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
  }
  return intervals;
}

/** `open` minus the `busy` intervals (sorted or not). */
export function subtractIntervals(open: Interval[], busy: Interval[]): Interval[] {
  const sorted = [...busy].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const free: Interval[] = [];
  for (const interval of open) {
    let cursor = interval.startsAt;
    for (const taken of sorted) {
      if (taken.endsAt <= cursor || taken.startsAt >= interval.endsAt) continue;
      if (taken.startsAt > cursor) free.push({ startsAt: cursor, endsAt: taken.startsAt });
      if (taken.endsAt > cursor) cursor = taken.endsAt;
    }
    if (cursor < interval.endsAt) free.push({ startsAt: cursor, endsAt: interval.endsAt });
  }
  return free;
}
