import { votePasses, approvalsRequired } from '../src/domain/governance-rules';
import {
  localTime,
  openIntervals,
  subtractIntervals,
  withinOpeningHours,
  zonedInstant,
} from '../src/domain/opening-hours';
import { reportCsv, yuan } from '../src/domain/report-documents';
import { bookingFeeFen } from '../src/domain/booking.service';

const WEEKDAYS_ONLY = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '18:00' }));
const at = (iso: string) => new Date(iso);

describe('opening hours in Asia/Shanghai', () => {
  it('reads wall-clock time and weekday in the zone', () => {
    // 2026-12-06 is a Sunday in Shanghai at 01:00, still Saturday in UTC
    expect(localTime(at('2026-12-05T17:00:00Z'), 'Asia/Shanghai')).toEqual({
      date: '2026-12-06',
      weekday: 7,
      minutes: 60,
    });
    expect(zonedInstant('2026-12-07', 9 * 60, 'Asia/Shanghai').toISOString()).toBe('2026-12-07T01:00:00.000Z');
  });

  it('a booking must fit inside one day’s opening hours', () => {
    const monday9 = at('2026-12-07T09:00:00+08:00');
    expect(withinOpeningHours(WEEKDAYS_ONLY, 'Asia/Shanghai', monday9, at('2026-12-07T18:00:00+08:00'))).toBe(true);
    expect(withinOpeningHours(WEEKDAYS_ONLY, 'Asia/Shanghai', at('2026-12-07T08:59:00+08:00'), monday9)).toBe(false);
    expect(withinOpeningHours(WEEKDAYS_ONLY, 'Asia/Shanghai', monday9, at('2026-12-07T18:01:00+08:00'))).toBe(false);
    // Sunday is closed
    expect(
      withinOpeningHours(
        WEEKDAYS_ONLY,
        'Asia/Shanghai',
        at('2026-12-06T10:00:00+08:00'),
        at('2026-12-06T11:00:00+08:00'),
      ),
    ).toBe(false);
  });

  it('free intervals are the opening hours minus the busy ones', () => {
    const open = openIntervals(
      WEEKDAYS_ONLY,
      'Asia/Shanghai',
      at('2026-12-05T00:00:00+08:00'),
      at('2026-12-08T00:00:00+08:00'),
    );
    expect(open.map((slot) => slot.startsAt.toISOString())).toEqual(['2026-12-07T01:00:00.000Z']);
    const free = subtractIntervals(open, [
      { startsAt: at('2026-12-07T10:00:00+08:00'), endsAt: at('2026-12-07T11:00:00+08:00') },
      { startsAt: at('2026-12-07T10:30:00+08:00'), endsAt: at('2026-12-07T12:00:00+08:00') },
    ]);
    expect(free).toEqual([
      { startsAt: at('2026-12-07T09:00:00+08:00'), endsAt: at('2026-12-07T10:00:00+08:00') },
      { startsAt: at('2026-12-07T12:00:00+08:00'), endsAt: at('2026-12-07T18:00:00+08:00') },
    ]);
  });
});

describe('money and governance rules', () => {
  it('fees are whole fen, rounded up per minute', () => {
    expect(bookingFeeFen(2000, at('2026-12-07T09:00:00Z'), at('2026-12-07T10:30:00Z'))).toBe(3000);
    expect(bookingFeeFen(1000, at('2026-12-07T09:00:00Z'), at('2026-12-07T09:01:00Z'))).toBe(17);
  });

  it('two approvals only above the threshold', () => {
    expect(approvalsRequired(500_000, 500_000)).toBe(1);
    expect(approvalsRequired(500_001, 500_000)).toBe(2);
  });

  it('a vote passes with the quorum (rounded up, abstentions count) and more YES than NO', () => {
    const tally = { householdsEligible: 7, quorumPercent: 30 };
    expect(votePasses({ ...tally, yes: 2, no: 0, abstain: 0 })).toBe(false); // 3 of 7 needed
    expect(votePasses({ ...tally, yes: 2, no: 0, abstain: 1 })).toBe(true);
    expect(votePasses({ ...tally, yes: 2, no: 2, abstain: 3 })).toBe(false);
    expect(votePasses({ householdsEligible: 0, quorumPercent: 30, yes: 0, no: 0, abstain: 0 })).toBe(false);
  });

  it('formats fen as 元 exactly', () => {
    expect(yuan(3_000_000)).toBe('30,000.00');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(-123_456)).toBe('-1,234.56');
  });

  it('the CSV starts with a BOM, quotes every cell and defuses formulas', () => {
    const csv = reportCsv({
      communityId: 'c',
      from: '2026-01-01',
      to: '2026-12-31',
      funds: [],
      months: [],
      campaigns: [
        {
          campaignId: 'x',
          title: '=HYPERLINK("http://evil")',
          status: 'OPEN',
          goalFen: 100,
          raisedFen: 0,
          spentFen: 0,
        },
      ],
      facilities: [],
    });
    expect(csv.startsWith('\uFEFF"栏目","名称","项目","金额（元）","金额（分）","数量"\r\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});
