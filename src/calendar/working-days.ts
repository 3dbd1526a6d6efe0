// Working-day arithmetic on the Chinese State Council holiday schedule (调休 make-up days included).
// Reading (Civil Code Art. 201-203): the start day is not counted; a period of N working days
// ends at 24:00 of the Nth working day. All dates are Asia/Shanghai calendar dates, `YYYY-MM-DD`.
// Pure: no clock reads, no I/O beyond the module imports below (and chinese-days, required on first use).
import { requireOnFirstUse } from '../require-on-first-use.ts';
// The raw schedule is read from the package's published JSON, not through isWorkday()/getDayDetail():
// chinese-days builds its lookup tables at load time with UTC-parsed dates read back through local
// getters, so in any process time zone west of UTC every official day is shifted one day earlier.
// A test cross-checks this data against chineseDays.isWorkday() for every day it covers.
import schedule from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

export interface HolidayOverrides {
  // from the institution config, per year
  // YYYY-MM-DD lists: extra days off, extra make-up working days; provisional: a partial schedule, the year stays provisional
  [year: string]: { holidays?: string[]; workdays?: string[]; provisional?: boolean };
}

export interface Calendar {
  isWorkday(date: string): boolean;
  /** A day off of a public holiday (法定节假日 and the rest days the schedule joins to it), not an ordinary weekend. */
  isHoliday?(date: string): boolean;
  /** True when the date's year has no official schedule (neither chinese-days data nor an override for that year). */
  isProvisional(date: string): boolean;
  /** Years covered by official data or overrides. */
  readonly officialYears: ReadonlySet<number>;
}

export interface WorkdayResult {
  date: string;
  provisional: boolean;
}

/**
 * chinese-days itself serves only the lunar and solar-term dates of a year without official data (below), so it is
 * required on first use: loading it builds all its lookup tables (about 10 ms), which a start never needs.
 */
const chineseDays = requireOnFirstUse<typeof import('chinese-days')>('chinese-days');

const DAY_MS = 86_400_000;
// chinese-days' lunar tables span 1900-2100; keep one year of margin on each side.
const MIN_YEAR = 1901;
const MAX_YEAR = 2099;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Strict `YYYY-MM-DD` naming a date that exists in the (proleptic) Gregorian calendar. */
export function isValidDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

// Dates are handled internally as whole days since 1970-01-01 (UTC arithmetic, so no DST or zone effects).
function toDay(date: string, what = 'date'): number {
  if (!isValidDate(date)) {
    throw new RangeError(`Invalid ${what} ${JSON.stringify(date)}: expected an existing calendar date as YYYY-MM-DD`);
  }
  const y = Number(date.slice(0, 4));
  if (y < MIN_YEAR || y > MAX_YEAR) {
    throw new RangeError(`Invalid ${what} ${date}: only years ${MIN_YEAR}-${MAX_YEAR} are supported`);
  }
  return Date.UTC(y, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

const fmt = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const yearStart = (y: number): number => Date.UTC(y, 0, 1) / DAY_MS;
const yearOfDay = (day: number): number => new Date(day * DAY_MS).getUTCFullYear();

const DATA_OFF = new Set(Object.keys(schedule.holidays));
const DATA_WORK = new Set(Object.keys(schedule.workdays));
// Coverage comes from the data itself (2004-2026 in chinese-days 1.5.7): a year is covered when it lists any day.
const DATA_YEARS: ReadonlySet<number> = new Set([...DATA_OFF, ...DATA_WORK].map((d) => Number(d.slice(0, 4))));

function lunarToDay(y: number, m: number, d: number): number {
  // A local-noon Date: chinese-days reads Date inputs with local getters (correct in every zone),
  // whereas it parses strings as UTC midnight (one day early west of UTC).
  return toDay(chineseDays().getSolarDateFromLunar(new Date(y, m - 1, d, 12)).date);
}

function qingmingDay(y: number): number {
  const day = toDay(chineseDays().getSolarTermDate(y, 4, 'pure_brightness'));
  // getSolarTermDate formats a UTC-midnight Date with local getters: west of UTC it names the previous day.
  return new Date((day + 1) * DAY_MS).getTimezoneOffset() > 0 ? day + 1 : day;
}

/**
 * Statutory holidays certain in every year under the 2025 holiday regulation (国务院令第798号), before
 * any 调休 arrangement. Lunar conversion was verified against the official chinese-days data for
 * 2008-2026 (Spring Festival 1/1-1/3, Dragon Boat, Mid-Autumn, Qingming) and 2025-2026 (the eve).
 */
function statutoryDaysOff(y: number): Set<number> {
  const lunarNewYear = lunarToDay(y, 1, 1);
  const off = [
    Date.UTC(y, 0, 1), Date.UTC(y, 4, 1), Date.UTC(y, 4, 2), // 元旦, 劳动节 x2
    Date.UTC(y, 9, 1), Date.UTC(y, 9, 2), Date.UTC(y, 9, 3), // 国庆 x3
  ].map((ms) => ms / DAY_MS);
  // The eve is the day before lunar 1/1: chinese-days silently rolls a nonexistent 12/30 over to the next month.
  off.push(lunarNewYear - 1, lunarNewYear, lunarNewYear + 1, lunarNewYear + 2); // 春节
  off.push(lunarToDay(y, 5, 5), lunarToDay(y, 8, 15), qingmingDay(y)); // 端午, 中秋, 清明
  return new Set(off);
}

const statutoryCache = new Map<number, Set<number>>();
function statutoryOf(y: number): Set<number> {
  let set = statutoryCache.get(y);
  if (!set) statutoryCache.set(y, (set = statutoryDaysOff(y)));
  return set;
}

// Per-year workday tables (1 = working day, indexed by day of year), shared by every calendar.
const baseTables = new Map<number, Uint8Array>();

function baseTable(y: number): Uint8Array {
  const cached = baseTables.get(y);
  if (cached) return cached;
  const start = yearStart(y);
  const table = new Uint8Array(yearStart(y + 1) - start);
  // Years without official data fall back to weekends plus the statutory days above.
  const statutory = DATA_YEARS.has(y) ? undefined : statutoryDaysOff(y);
  for (let i = 0; i < table.length; i++) {
    const weekday = new Date((start + i) * DAY_MS).getUTCDay();
    let work = weekday !== 0 && weekday !== 6;
    if (statutory) {
      if (statutory.has(start + i)) work = false;
    } else {
      const date = fmt(start + i);
      if (DATA_WORK.has(date)) work = true;
      else if (DATA_OFF.has(date)) work = false;
    }
    table[i] = work ? 1 : 0;
  }
  baseTables.set(y, table);
  return table;
}

class TableCalendar implements Calendar {
  readonly officialYears: ReadonlySet<number>;
  private readonly tables = new Map<number, Uint8Array>();
  // The year last looked up, so that day-by-day scans do one range check per day.
  private start = 0;
  private end = 0;
  private table: Uint8Array = new Uint8Array(0);
  private provisional = false;
  private readonly overrides: Map<number, { off: Set<number>; work: Set<number> }>;

  constructor(overrides: Map<number, { off: Set<number>; work: Set<number> }>, partialYears: ReadonlySet<number> = new Set()) {
    this.overrides = overrides;
    this.officialYears = new Set([...DATA_YEARS, ...[...overrides.keys()].filter((y) => !partialYears.has(y) || DATA_YEARS.has(y))]);
  }

  isWorkday(date: string): boolean {
    return this.workOn(toDay(date));
  }

  isProvisional(date: string): boolean {
    return this.provisionalOn(toDay(date));
  }

  isHoliday(date: string): boolean {
    const day = toDay(date);
    if (this.workOn(day)) return false;
    const y = yearOfDay(day);
    if (this.overrides.get(y)?.off.has(day)) return true;
    return DATA_YEARS.has(y) ? DATA_OFF.has(date) : statutoryOf(y).has(day);
  }

  workOn(day: number): boolean {
    if (day < this.start || day >= this.end) this.load(day);
    return this.table[day - this.start] === 1;
  }

  provisionalOn(day: number): boolean {
    if (day < this.start || day >= this.end) this.load(day);
    return this.provisional;
  }

  private load(day: number): void {
    const y = yearOfDay(day);
    if (y < MIN_YEAR || y > MAX_YEAR) throw new RangeError(`Date ${fmt(day)} is outside the supported years ${MIN_YEAR}-${MAX_YEAR}`);
    let table = this.tables.get(y);
    if (!table) {
      table = baseTable(y);
      const o = this.overrides.get(y);
      if (o) {
        table = table.slice();
        for (const d of o.off) table[d - yearStart(y)] = 0;
        for (const d of o.work) table[d - yearStart(y)] = 1;
      }
      this.tables.set(y, table);
    }
    this.start = yearStart(y);
    this.end = yearStart(y + 1);
    this.table = table;
    this.provisional = !this.officialYears.has(y);
  }
}

/**
 * Overrides win over chinese-days. A year with an override entry (even an empty one) counts as
 * official; if chinese-days has no data for it, the statutory days stay off underneath the overrides,
 * so a partial override list can never turn 春节 into working days.
 */
export function createCalendar(overrides: HolidayOverrides = {}): Calendar {
  const parsed = new Map<number, { off: Set<number>; work: Set<number> }>();
  const partial = new Set<number>();
  for (const [key, entry] of Object.entries(overrides)) {
    const y = Number(key);
    if (!/^\d{4}$/.test(key) || y < MIN_YEAR || y > MAX_YEAR) {
      throw new RangeError(`Invalid holiday override year ${JSON.stringify(key)}: expected a year ${MIN_YEAR}-${MAX_YEAR}`);
    }
    const days = (list: string[] | undefined, kind: string): Set<number> =>
      new Set(
        (list ?? []).map((d) => {
          const day = toDay(d, `${kind} override for ${key}`);
          if (!d.startsWith(`${key}-`)) throw new RangeError(`Invalid ${kind} override ${d}: listed under year ${key}`);
          return day;
        }),
      );
    const off = days(entry?.holidays, 'holiday');
    const work = days(entry?.workdays, 'workday');
    for (const d of off) {
      if (work.has(d)) throw new RangeError(`Holiday override ${fmt(d)} is listed both as a holiday and as a workday`);
    }
    parsed.set(y, { off, work });
    if (entry?.provisional === true) partial.add(y);
  }
  return new TableCalendar(parsed, partial);
}

interface Scan {
  workOn(day: number): boolean;
  provisionalOn(day: number): boolean;
}

// Calendars from createCalendar scan their year tables directly; any other implementation goes through strings.
function scanOf(calendar: Calendar): Scan {
  if (calendar instanceof TableCalendar) return calendar;
  return {
    workOn: (day) => calendar.isWorkday(fmt(day)),
    provisionalOn: (day) => calendar.isProvisional(fmt(day)),
  };
}

const MAX_DAY = yearStart(MAX_YEAR + 1) - 1;

/** The date n (>=1) working days after `date`, `date` itself not counted. provisional is true when any day examined falls in a provisional year. */
export function addWorkingDays(date: string, n: number, calendar: Calendar): WorkdayResult {
  let day = toDay(date);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`Invalid working-day count ${String(n)}: expected an integer >= 1`);
  }
  const scan = scanOf(calendar);
  let provisional = false;
  for (let left = n; left > 0; ) {
    day++;
    // Also stops a foreign calendar that never yields a working day.
    if (day > MAX_DAY) throw new RangeError(`${n} working days after ${date} falls beyond ${MAX_YEAR}`);
    if (scan.provisionalOn(day)) provisional = true;
    if (scan.workOn(day)) left--;
  }
  return { date: fmt(day), provisional };
}

/** Number of working days strictly after `from` up to and including `to` (0 when to <= from). */
export function workingDaysBetween(from: string, to: string, calendar: Calendar): { days: number; provisional: boolean } {
  const first = toDay(from, 'from date');
  const last = toDay(to, 'to date');
  const scan = scanOf(calendar);
  let days = 0;
  let provisional = false;
  for (let day = first + 1; day <= last; day++) {
    if (scan.provisionalOn(day)) provisional = true;
    if (scan.workOn(day)) days++;
  }
  return { days, provisional };
}

/**
 * Years whose official schedule is missing and already matters at `today` (YYYY-MM-DD, Shanghai): the current
 * year, and from 1 November the next one (the State Council publishes it in October or November).
 */
export function missingSchedules(calendar: Calendar, today: string): number[] {
  const year = Number(today.slice(0, 4));
  const out: number[] = [];
  if (!calendar.officialYears.has(year)) out.push(year);
  if (today.slice(5) >= '11-01' && !calendar.officialYears.has(year + 1)) out.push(year + 1);
  return out;
}
