import { describe, expect, it } from 'vitest';
import chineseDays from 'chinese-days';
import {
  addWorkingDays,
  createCalendar,
  isValidDate,
  workingDaysBetween,
  type Calendar,
  type HolidayOverrides,
} from '../../src/calendar/working-days.ts';

const cal = createCalendar();

function* daysOf(year: number): Generator<string> {
  for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 86_400_000) {
    yield new Date(ms).toISOString().slice(0, 10);
  }
}
const isWeekend = (d: string): boolean => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
// chinese-days parses date strings as UTC midnight and reads them back in local time (see working-days.ts).
const westOfUtc = new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset() > 0;

describe('chinese-days data', () => {
  it('covers 2004-2026 officially; 2027 and 2003 are provisional', () => {
    const years = [...cal.officialYears];
    expect(Math.min(...years)).toBe(2004);
    expect(Math.max(...years)).toBe(2026);
    expect(cal.isProvisional('2026-12-31')).toBe(false);
    expect(cal.isProvisional('2027-01-01')).toBe(true);
    expect(cal.isProvisional('2003-06-01')).toBe(true);
  });

  it('matches the 2026 State Council notice (国办发明电〔2025〕7号) exactly', () => {
    // Printed from chinese-days first; these are the days where 2026 departs from a plain Mon-Fri week.
    const weekdaysOff = [...daysOf(2026)].filter((d) => !isWeekend(d) && !cal.isWorkday(d));
    const weekendsOn = [...daysOf(2026)].filter((d) => isWeekend(d) && cal.isWorkday(d));
    expect(weekdaysOff).toEqual([
      '2026-01-01', '2026-01-02', // 元旦 01-01..01-03
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23', // 春节 02-15..02-23
      '2026-04-06', // 清明 04-04..04-06
      '2026-05-01', '2026-05-04', '2026-05-05', // 劳动节 05-01..05-05
      '2026-06-19', // 端午 06-19..06-21
      '2026-09-25', // 中秋 09-25..09-27
      '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', // 国庆 10-01..10-07
    ]);
    expect(weekendsOn).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it.skipIf(westOfUtc)('agrees with chineseDays.isWorkday() on every day of every covered year', () => {
    for (const year of cal.officialYears) {
      for (const d of daysOf(year)) {
        if (cal.isWorkday(d) !== chineseDays.isWorkday(d)) expect.fail(`${d} differs`);
      }
    }
  });
});

describe('addWorkingDays around the 2026 holidays', () => {
  it.each([
    // [start, n, expected, why]
    ['2025-12-31', 10, '2026-01-15', '元旦 01-01..03 off, Sun 01-04 make-up counts'],
    ['2026-02-13', 10, '2026-03-05', '春节 02-15..23 off, Sats 02-14 and 02-28 count'],
    ['2026-04-03', 1, '2026-04-07', '清明 04-04..06 off'],
    ['2026-04-30', 10, '2026-05-18', '劳动节 05-01..05 off, Sat 05-09 counts'],
    ['2026-06-18', 10, '2026-07-03', '端午 06-19..21 off'],
    ['2026-09-24', 10, '2026-10-15', '中秋 09-25..27 and 国庆 10-01..07 off, Sat 10-10 counts'],
    ['2026-09-30', 10, '2026-10-20', '国庆 10-01..07 off, Sat 10-10 counts'],
    ['2026-09-18', 1, '2026-09-20', 'Sat 09-19 off, Sun 09-20 make-up is the first working day'],
    ['2026-02-13', 1, '2026-02-14', 'a make-up Saturday counts'],
    ['2026-01-05', 1, '2026-01-06', 'start day (a Monday) not counted'],
    ['2026-02-14', 1, '2026-02-24', 'start day not counted even when it is a make-up workday'],
    ['2026-02-15', 1, '2026-02-24', 'start inside a holiday'],
    ['2026-12-10', 10, '2026-12-24', 'plain weeks'],
  ] as const)('%s + %i → %s (%s)', (start, n, expected, _why) => {
    expect(addWorkingDays(start, n, cal)).toEqual({ date: expected, provisional: false });
  });

  it('round-trips with workingDaysBetween for every 2026 start date', () => {
    for (const d of daysOf(2026)) {
      for (const n of [1, 5, 10]) {
        const r = addWorkingDays(d, n, cal);
        expect(workingDaysBetween(d, r.date, cal).days).toBe(n);
        expect(cal.isWorkday(r.date)).toBe(true);
      }
    }
  });
});

describe('provisional years (no official schedule yet)', () => {
  it.each([
    ['2026-12-24', 10, '2027-01-08', 'crosses into 2027 and skips 2027-01-01 (Fri)'],
    ['2027-09-28', 3, '2027-10-04', '国庆 10-01 (Fri) off, then the weekend'],
    ['2028-09-29', 1, '2028-10-04', '国庆 10-01 is a Sunday; 10-02 and 10-03 still off'],
    ['2027-02-04', 1, '2027-02-09', '春节 eve 02-05 and lunar 1/1-1/3 (02-06..08) off'],
    ['2027-04-02', 1, '2027-04-06', '清明 04-05 (solar term) off'],
    ['2027-04-30', 1, '2027-05-03', '劳动节 05-01..02 fall on the weekend; no 调休 is guessed'],
  ] as const)('%s + %i → %s (%s)', (start, n, expected, _why) => {
    expect(addWorkingDays(start, n, cal)).toEqual({ date: expected, provisional: true });
  });

  it.each([
    ['2027-01-01', false], ['2027-02-05', false], ['2027-02-06', false], ['2027-02-07', false], ['2027-02-08', false],
    ['2027-02-09', true], ['2027-04-05', false], ['2027-05-03', true], ['2027-06-09', false], ['2027-09-15', false],
    ['2027-10-01', false], ['2027-10-04', true], ['2027-10-09', false], ['2027-10-11', true],
  ] as const)('2027: isWorkday(%s) = %s', (date, work) => {
    expect(cal.isWorkday(date)).toBe(work);
  });

  it('reports provisional from the days examined, not the start day', () => {
    expect(workingDaysBetween('2026-12-24', '2027-01-08', cal)).toEqual({ days: 10, provisional: true });
    expect(workingDaysBetween('2026-12-10', '2026-12-31', cal)).toEqual({ days: 15, provisional: false });
    expect(addWorkingDays('2026-12-30', 1, cal)).toEqual({ date: '2026-12-31', provisional: false });
  });

  it('computes the lunar holidays in any process time zone', (ctx) => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      if (new Date(Date.UTC(2031, 0, 1)).getTimezoneOffset() !== 300) ctx.skip(); // TZ not switchable in this worker
      const fresh = createCalendar(); // 2031 is used by no other test, so nothing is cached for it yet
      // Eve + lunar 1/1-1/2 (1/3 is a Saturday), 端午 06-24, 中秋 = 国庆 10-01; 清明 is Sat 04-05, so Fri 04-04 works.
      const off = ['2031-01-22', '2031-01-23', '2031-01-24', '2031-06-24', '2031-10-01', '2031-10-02', '2031-10-03'];
      const on = ['2031-01-21', '2031-01-27', '2031-04-04', '2031-06-23', '2031-06-25'];
      expect(off.filter((d) => fresh.isWorkday(d))).toEqual([]);
      expect(on.filter((d) => !fresh.isWorkday(d))).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('institution overrides', () => {
  it('adds a day off and a make-up working day', () => {
    const c = createCalendar({ '2026': { holidays: ['2026-03-04'], workdays: ['2026-03-01'] } });
    expect(c.isWorkday('2026-03-04')).toBe(false);
    expect(c.isWorkday('2026-03-01')).toBe(true);
    expect(addWorkingDays('2026-03-02', 3, c).date).toBe('2026-03-06'); // 03-03, (03-04 off), 03-05, 03-06
    expect(addWorkingDays('2026-02-27', 3, c).date).toBe('2026-03-02'); // Sat 02-28, Sun 03-01, Mon 03-02
    expect(addWorkingDays('2026-03-02', 3, cal).date).toBe('2026-03-05'); // the default calendar is untouched
  });

  it('wins over chinese-days', () => {
    const c = createCalendar({ '2026': { holidays: ['2026-02-14'], workdays: ['2026-10-07'] } });
    expect(c.isWorkday('2026-02-14')).toBe(false);
    expect(c.isWorkday('2026-10-07')).toBe(true);
  });

  it('makes a year official while keeping the statutory days off', () => {
    const c = createCalendar({ '2027': { holidays: ['2027-02-09', '2027-02-10'], workdays: ['2027-02-20'] } });
    expect(c.officialYears.has(2027)).toBe(true);
    expect(c.isProvisional('2027-06-01')).toBe(false);
    expect(addWorkingDays('2027-02-04', 1, c)).toEqual({ date: '2027-02-11', provisional: false });
    expect(c.isWorkday('2027-02-20')).toBe(true);
    expect(cal.officialYears.has(2027)).toBe(false);
  });

  it.each<[HolidayOverrides, RegExp]>([
    [{ '2026': { holidays: ['2026-02-30'] } }, /Invalid holiday override/],
    [{ '2026': { workdays: ['2027-01-02'] } }, /listed under year 2026/],
    [{ '2026': { holidays: ['2026-03-01'], workdays: ['2026-03-01'] } }, /both as a holiday and as a workday/],
    [{ '26': {} }, /override year/],
  ])('rejects bad overrides %#', (overrides, message) => {
    expect(() => createCalendar(overrides)).toThrow(RangeError);
    expect(() => createCalendar(overrides)).toThrow(message);
  });
});

describe('validation', () => {
  it.each(['2026-02-30', '2026-2-3', '2026/02/03', '', ' 2026-01-01', '2026-13-01', '2026-00-10', '20260101'])(
    'rejects date %j',
    (bad) => {
      expect(isValidDate(bad)).toBe(false);
      expect(() => addWorkingDays(bad, 1, cal)).toThrow(RangeError);
      expect(() => addWorkingDays(bad, 1, cal)).toThrow(/Invalid date/);
      expect(() => workingDaysBetween(bad, '2026-01-01', cal)).toThrow(RangeError);
      expect(() => cal.isWorkday(bad)).toThrow(RangeError);
    },
  );

  it('accepts real dates, leap days included', () => {
    expect(['2024-02-29', '2000-02-29', '2026-12-31'].every(isValidDate)).toBe(true);
    expect(['1900-02-29', '2026-02-29', '2026-04-31'].some(isValidDate)).toBe(false);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects n = %s', (n) => {
    expect(() => addWorkingDays('2026-01-05', n, cal)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-01-05', n, cal)).toThrow(/working-day count/);
  });

  it('rejects years outside the lunar tables', () => {
    expect(() => cal.isWorkday('2150-01-01')).toThrow(/only years 1901-2099/);
    expect(() => addWorkingDays('2099-12-30', 5, cal)).toThrow(RangeError);
  });

  it('returns 0 when to <= from', () => {
    expect(workingDaysBetween('2026-03-05', '2026-02-13', cal)).toEqual({ days: 0, provisional: false });
    expect(workingDaysBetween('2026-03-05', '2026-03-05', cal)).toEqual({ days: 0, provisional: false });
  });

  it('works with a hand-written Calendar', () => {
    const everyOtherDay: Calendar = {
      isWorkday: (d) => Number(d.slice(8)) % 2 === 0,
      isProvisional: () => false,
      officialYears: new Set(),
    };
    expect(addWorkingDays('2026-03-01', 2, everyOtherDay)).toEqual({ date: '2026-03-04', provisional: false });
  });
});
