// Incident times typed by users, read as Asia/Shanghai wall-clock time whatever the
// process TZ, and formatted back the same way.
//
// Fixed +08:00 arithmetic instead of a tz database: China has observed no DST since
// 1991, so Asia/Shanghai is exactly UTC+8 for every time an incident can have, and
// Date.UTC plus a constant is both correct and independent of process.env.TZ.
import { clean, cnInt, fail, ok, type Parsed } from './parse-common.ts';
import { durationParts } from './parse-duration.ts';
import { shanghai } from '../calendar/time.ts';

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/**
 * Incidents are reported after the fact: a time more than this far ahead of `now` is
 * refused (a little slack absorbs clock skew between the user and the server).
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

interface Ymd {
  y: number;
  mo: number;
  d: number;
}

function shanghaiYmd(ms: number): Ymd {
  const t = new Date(ms + OFFSET_MS);
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function validDate(y: number, mo: number, d: number): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d));
  // The Date.UTC round trip rejects 02-30, month 13 and two-digit-year remapping.
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Shanghai wall clock -> epoch ms; day may be 0 or negative (Date.UTC rolls it over). */
function fromShanghai(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS;
}

const AM = new Set(['上午', '早上', '早晨', '凌晨', 'am']);
const PM = new Set(['下午', '傍晚', '晚上']);
const PERIOD = '(上午|早上|早晨|凌晨|中午|下午|傍晚|晚上)?';

/** 24-hour hour from a 12- or 24-hour one and an optional period word. */
function withPeriod(h: number, period: string | undefined): number | undefined {
  if (period === undefined) return h <= 23 ? h : undefined;
  if (AM.has(period)) return h <= 12 ? h % 12 : undefined; // 12am / 凌晨12点 = 0:00
  if (period === 'pm') return h >= 1 && h <= 12 ? (h % 12) + 12 : undefined;
  // 下午15点 / 下午15:00 is common in Chinese notices: a 24-hour hour stands as is.
  // 晚上12点 may be midnight of either day: refused as ambiguous; 下午12点 is noon.
  if (PM.has(period)) return h >= 1 && h <= 11 ? h + 12 : (h === 12 && period === '下午') || (h >= 13 && h <= 23) ? h : undefined;
  return h >= 1 && h <= 3 ? h + 12 : h >= 11 && h <= 14 ? h : undefined; // 中午: 11:00..15:59
}

interface Clock {
  h: number;
  mi: number;
  s: number;
}

const COLON_CLOCK = new RegExp(`^${PERIOD}\\s*(\\d{1,2})(?::(\\d{2})(?::(\\d{2}))?)?\\s*(am|pm)?$`);
const CN_CLOCK = new RegExp(
  `^${PERIOD}\\s*(\\d{1,2}|[零一二两三四五六七八九十]+)\\s*[点时]\\s*(?:(\\d{1,2}|[零一二三四五六七八九十]+|半)\\s*分?)?$`,
);

/** 10:05, 10:05:30, 3pm, 3:05 pm, 下午3:05, 10点, 10点05分, 十点半, 晚上11点20. */
function parseClock(s: string): Clock | undefined {
  let hText: string | undefined;
  let miText: string | undefined;
  let secText: string | undefined;
  let period: string | undefined;
  const c = COLON_CLOCK.exec(s);
  if (c) {
    [, period, hText, miText, secText] = c;
    if (miText === undefined && c[5] === undefined) return undefined; // "10" alone is not a time
    if (c[5] !== undefined) {
      if (period !== undefined) return undefined;
      period = c[5];
    }
  } else {
    const z = CN_CLOCK.exec(s);
    if (!z) return undefined;
    [, period, hText, miText] = z;
    if (miText === '半') miText = '30';
  }
  const num = (t: string | undefined, dflt: number): number | undefined =>
    t === undefined ? dflt : /^\d+$/.test(t) ? Number(t) : cnInt(t);
  const hour = num(hText, -1);
  const h = hour === undefined || hour < 0 ? undefined : withPeriod(hour, period);
  const mi = num(miText, 0);
  const sec = num(secText, 0);
  if (h === undefined || mi === undefined || mi > 59 || sec === undefined || sec > 59) return undefined;
  return { h, mi, s: sec };
}

type Day = { kind: 'date'; y: number; mo: number; d: number } | { kind: 'monthDay'; mo: number; d: number } | { kind: 'offset'; days: number };

const DAY_FORMS: ReadonlyArray<{ re: RegExp; day: (m: RegExpExecArray) => Day }> = [
  { re: /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:t|\s+)/, day: (m) => ({ kind: 'date', y: +m[1]!, mo: +m[2]!, d: +m[3]! }) },
  { re: /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]\s*/, day: (m) => ({ kind: 'date', y: +m[1]!, mo: +m[2]!, d: +m[3]! }) },
  { re: /^(\d{1,2})[-/](\d{1,2})(?:t|\s+)/, day: (m) => ({ kind: 'monthDay', mo: +m[1]!, d: +m[2]! }) },
  { re: /^(\d{1,2})月(\d{1,2})[日号]\s*/, day: (m) => ({ kind: 'monthDay', mo: +m[1]!, d: +m[2]! }) },
  { re: /^(?:今天|今日|today)\s*(?:at\s+)?/, day: () => ({ kind: 'offset', days: 0 }) },
  { re: /^(?:昨天|昨日|yesterday)\s*(?:at\s+)?/, day: () => ({ kind: 'offset', days: -1 }) },
  { re: /^前天\s*/, day: () => ({ kind: 'offset', days: -2 }) },
];

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*(z|[+-]\d{2}(?::?\d{2})?)$/;
const NOW_WORDS = new Set(['now', 'just now', 'right now', '现在', '刚才', '刚刚', '此刻']);
const AGO = /^(.+?)\s*(?:以前|之前|前|ago)$/;

function parseIsoWithOffset(m: RegExpExecArray): number | undefined {
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  const tz = m[8] ?? 'z';
  let offsetMin = 0;
  if (tz !== 'z') {
    const digits = tz.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 14 || om > 59) return undefined;
    offsetMin = (tz.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const frac = Number((m[7] ?? '').padEnd(3, '0'));
  return Date.UTC(y, mo - 1, d, h, mi, s, frac) - offsetMin * 60_000;
}

/** The instant in a cleaned string, before the "not in the future" check. */
function resolve(s: string, nowMs: number): number | undefined {
  if (NOW_WORDS.has(s)) return nowMs;
  const iso = ISO_WITH_OFFSET.exec(s);
  if (iso) return parseIsoWithOffset(iso);
  const ago = AGO.exec(s);
  if (ago) {
    const dur = durationParts(ago[1] ?? '');
    return dur?.hasUnit ? Math.round(nowMs - dur.minutes * 60_000) : undefined;
  }
  let day: Day | undefined;
  let rest = s;
  for (const form of DAY_FORMS) {
    const m = form.re.exec(s);
    if (m) {
      day = form.day(m);
      rest = s.slice(m[0].length);
      break;
    }
  }
  const clock = parseClock(rest);
  if (!clock) return undefined; // includes a date with no time of day
  const { h, mi, s: sec } = clock;
  const today = shanghaiYmd(nowMs);
  const latest = nowMs + FUTURE_TOLERANCE_MS;
  if (day === undefined) {
    // A bare time of day is today, unless that is still ahead: then it was yesterday.
    const t = fromShanghai(today.y, today.mo, today.d, h, mi, sec);
    return t > latest ? t - DAY_MS : t;
  }
  switch (day.kind) {
    case 'offset':
      return fromShanghai(today.y, today.mo, today.d + day.days, h, mi, sec);
    case 'date':
      return validDate(day.y, day.mo, day.d) ? fromShanghai(day.y, day.mo, day.d, h, mi, sec) : undefined;
    case 'monthDay': {
      // This year, unless that is still ahead (12-31 typed on 01-02): then last year.
      if (!validDate(today.y, day.mo, day.d)) return undefined;
      const t = fromShanghai(today.y, day.mo, day.d, h, mi, sec);
      if (t <= latest) return t;
      return validDate(today.y - 1, day.mo, day.d) ? fromShanghai(today.y - 1, day.mo, day.d, h, mi, sec) : undefined;
    }
  }
}

/**
 * An incident time as epoch ms. Local forms are Asia/Shanghai wall clock:
 * `10:05`, `10:05:30`, `10点05分`, `下午3点半`, `3pm`, `今天 10:05`, `昨天 23:50`,
 * `yesterday 23:50`, `前天 9:00`, `2026-11-29 10:05`, `2026-11-29T10:05`,
 * `2026/11/29 10:05`, `2026年11月29日 10:05`, `11-29 10:05`, `11月29日 10:05`.
 * Offsets are honoured: `2026-11-29T02:05:00Z`, `2026-11-29T10:05+08:00`.
 * Relative: `now`/`现在`/`刚才`, `30分钟前`, `30m ago`, `1.5小时前`, `半小时前`.
 *
 * A bare time of day more than FUTURE_TOLERANCE_MS ahead of now means yesterday
 * (at 11:00, "23:50" is last night); a month-day without a year that is still ahead
 * means last year. Anything else that lands more than FUTURE_TOLERANCE_MS after
 * now is refused: incidents cannot happen in the future.
 */
export function parseTime(input: string, nowMs: number): Parsed<number> {
  const s = clean(input);
  if (s === undefined || !Number.isFinite(nowMs)) return fail('time', input);
  const t = resolve(s, nowMs);
  if (t === undefined || !Number.isFinite(t) || t > nowMs + FUTURE_TOLERANCE_MS) return fail('time', input);
  return ok(t);
}

/** `2026-11-29 10:05` (or `10:05:30` withSeconds) in Asia/Shanghai, whatever the process TZ. */
export function formatShanghai(ms: number, withSeconds = false): string {
  if (!Number.isFinite(ms)) throw new RangeError(`formatShanghai: not a finite time: ${ms}`);
  return shanghai(ms).format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}
