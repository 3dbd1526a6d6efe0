import { z } from 'zod';
import type { Facts, Outage } from './facts.ts';
import { grade as gradeFacts, type BasisEntry } from './grading.ts';
import { LEVEL, type Grade } from './grades.ts';
import type { Condition, InstitutionRule } from './institution-rules.ts';
import { ART10, ART7, ART8, ART9 } from './rules.ts';
import { SHANGHAI_OFFSET_MS } from '../../calendar/time.ts';
import { createCalendar, isValidDate, type Calendar } from '../../calendar/working-days.ts';

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
// The outage thresholds of Art. 7-10, from the rule table: minutes in all (10(1), 10(3)), peak minutes (7-9 item 1).
const TOTAL_THRESHOLDS = [ART10.financialOutageMinutes, ART10.disruptedMinutes];
const PEAK_THRESHOLDS = [...new Set([ART9, ART8, ART7].flatMap((a) => [a.keyOutage.multiProvinceMinutes, a.keyOutage.singleProvinceMinutes]))];

/** Kinds of day a peak window can follow (Art. 31(3)), on the official calendar with the institution's overrides. */
export const DAY_KINDS = ['workdays', 'restdays', 'holidays'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

/**
 * A daily peak-hour window in Shanghai time (Art. 31(3)). It applies on the days any of its selectors
 * names: `days`, one kind or a list (workdays = working days of the official calendar, make-up days
 * included; restdays = ordinary days off; holidays = public-holiday days off: the three never overlap),
 * `weekdays` (0 = Sunday), `dates` (YYYY-MM-DD); every day when none is given.
 */
export const PeakWindowSchema = z
  .object({
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm'),
    end: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:mm'),
    days: z.union([z.enum(DAY_KINDS), z.array(z.enum(DAY_KINDS)).min(1)]).transform((d) => (Array.isArray(d) ? d : [d])).optional(),
    weekdays: z.array(z.number().int().min(0).max(6)).optional(),
    dates: z.array(z.string().refine(isValidDate, 'expected an existing date as YYYY-MM-DD')).optional(),
  })
  .strict()
  .refine((w) => toMinutes(w.end) > toMinutes(w.start), { message: 'end must be after start' });
export type PeakWindow = z.infer<typeof PeakWindowSchema>;

/** What the outage clock needs from the working-day calendar. */
export type DayCalendar = Pick<Calendar, 'isWorkday' | 'isHoliday' | 'isProvisional'>;

let fallback: Calendar | undefined;
/** The official calendar without institution overrides, for callers that pass none. */
function officialCalendar(): Calendar {
  return (fallback ??= createCalendar());
}

/** A live outage as recorded: when it began and, once restored, when it ended. */
export interface LiveOutage {
  startMs: number;
  restoredAtMs?: number;
  provinces: number;
  failureRatePercent: number;
  // Earlier intervals of the same incident's interruption, already over (an alert that resolved and fired
  // again): they add to the durations (README "Reading, Art. 31(4) intervals").
  priorMinutes?: number;
  priorPeakMinutes?: number;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

function appliesOn(w: PeakWindow, day: number, calendar: DayCalendar): boolean {
  if (!w.days && !w.weekdays && !w.dates) return true;
  const date = dateOf(day);
  if (w.weekdays?.includes((day + 4) % 7)) return true; // 1970-01-01 was a Thursday
  if (w.dates?.includes(date)) return true;
  return w.days?.includes(dayKind(date, calendar)) ?? false;
}

/** The kind of day a date is on the calendar: working day, public holiday, or ordinary day off. */
export function dayKind(date: string, calendar: DayCalendar): DayKind {
  if (calendar.isWorkday(date)) return 'workdays';
  return calendar.isHoliday?.(date) ? 'holidays' : 'restdays';
}

/** Absolute [from, to) intervals of peak windows on Shanghai days overlapping [fromMs, toMs). */
function* peakIntervals(fromMs: number, toMs: number, windows: readonly PeakWindow[], calendar: DayCalendar): Generator<[number, number]> {
  const firstDay = Math.floor((fromMs + SHANGHAI_OFFSET_MS) / DAY_MS);
  const lastDay = Math.floor((toMs + SHANGHAI_OFFSET_MS) / DAY_MS);
  for (let day = firstDay; day <= lastDay; day++) {
    const dayStart = day * DAY_MS - SHANGHAI_OFFSET_MS;
    for (const w of windows) {
      const a = Math.max(fromMs, dayStart + toMinutes(w.start) * MIN_MS);
      const b = Math.min(toMs, dayStart + toMinutes(w.end) * MIN_MS);
      if (b > a && appliesOn(w, day, calendar)) yield [a, b];
    }
  }
}

/** True when [fromMs, toMs) touches a window that follows the calendar on a day of a provisional year. */
export function peakProvisional(fromMs: number, toMs: number, windows: readonly PeakWindow[], calendar: DayCalendar = officialCalendar()): boolean {
  if (!windows.some((w) => w.days) || toMs <= fromMs) return false;
  const firstDay = Math.floor((fromMs + SHANGHAI_OFFSET_MS) / DAY_MS);
  const lastDay = Math.floor((toMs - 1 + SHANGHAI_OFFSET_MS) / DAY_MS);
  for (let day = firstDay; day <= lastDay; day++) if (calendar.isProvisional(dateOf(day))) return true;
  return false;
}

/** Minutes of [fromMs, toMs) inside peak windows (overlapping windows counted once). */
export function peakMinutesBetween(fromMs: number, toMs: number, windows: readonly PeakWindow[], calendar: DayCalendar = officialCalendar()): number {
  const intervals = [...peakIntervals(fromMs, toMs, windows, calendar)].sort((x, y) => x[0] - y[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [a, b] of intervals) {
    const s = Math.max(a, reach);
    if (b > s) total += b - s;
    reach = Math.max(reach, b);
  }
  return total / MIN_MS;
}

/** The instant at which an outage begun at startMs has spent `minutes` inside peak windows; null within 21 days. */
export function peakReachedAt(startMs: number, minutes: number, windows: readonly PeakWindow[], calendar: DayCalendar = officialCalendar()): number | null {
  if (minutes <= 0) return startMs;
  // 21 days: the longest official holiday (Spring Festival with its weekends) is well inside.
  const intervals = [...peakIntervals(startMs, startMs + 21 * DAY_MS, windows, calendar)].sort((x, y) => x[0] - y[0]);
  let remaining = minutes * MIN_MS;
  let reach = startMs;
  // Walk the (possibly overlapping) windows in time order; the exact instant, to the millisecond.
  for (const [a, b] of intervals) {
    const s = Math.max(a, reach);
    if (b <= s) continue;
    if (b - s >= remaining) return s + remaining;
    remaining -= b - s;
    reach = b;
  }
  return null;
}

/** The Outage facts of a live outage at nowMs (stopped at restoration). */
export function outageAt(live: LiveOutage, nowMs: number, windows: readonly PeakWindow[], calendar: DayCalendar = officialCalendar()): Outage {
  const end = Math.max(live.startMs, Math.min(nowMs, live.restoredAtMs ?? Infinity));
  return {
    provinces: live.provinces,
    failureRatePercent: live.failureRatePercent,
    peakMinutes: Math.round((peakMinutesBetween(live.startMs, end, windows, calendar) + (live.priorPeakMinutes ?? 0)) * 100) / 100,
    totalMinutes: Math.round(((end - live.startMs) / MIN_MS + (live.priorMinutes ?? 0)) * 100) / 100,
  };
}

/** Lower bounds an institution rule sets on a network's outage minutes. */
function minuteThresholds(c: Condition): Array<{ field: 'totalMinutes' | 'peakMinutes'; minutes: number; strict: boolean }> {
  if ('all' in c) return c.all.flatMap(minuteThresholds);
  if ('any' in c) return c.any.flatMap(minuteThresholds);
  const m = /^networks\.(?:\*|\d+)\.outage\.(totalMinutes|peakMinutes)$/.exec(c.path);
  if (!m || typeof c.value !== 'number' || (c.op !== '>=' && c.op !== '>')) return [];
  return [{ field: m[1] as 'totalMinutes' | 'peakMinutes', minutes: c.value, strict: c.op === '>' }];
}

/**
 * Every instant at which a live outage's durations cross a threshold of Art. 7-10 (15, 30, 90, 180, 360 peak
 * minutes; 30 and 60 minutes in all) or of an institution rule on outage minutes (Art. 6). Earlier intervals count:
 * only what is left of a threshold runs on this interval's clock. Unsorted, may repeat.
 */
export function outageCrossings(live: LiveOutage, windows: readonly PeakWindow[], rules: readonly InstitutionRule[] = [], calendar: DayCalendar = officialCalendar()): number[] {
  const priorTotal = live.priorMinutes ?? 0;
  const priorPeak = live.priorPeakMinutes ?? 0;
  const candidates = TOTAL_THRESHOLDS.map((m) => live.startMs + Math.max(0, m - priorTotal) * MIN_MS);
  // Art. 6: an institution rule on outage minutes crosses at its own threshold ('>' one millisecond later).
  for (const { field, minutes, strict } of rules.flatMap((r) => minuteThresholds(r.when))) {
    const t = field === 'totalMinutes'
      ? live.startMs + Math.max(0, minutes - priorTotal) * MIN_MS
      : peakReachedAt(live.startMs, Math.max(0, minutes - priorPeak), windows, calendar);
    if (t !== null) candidates.push(t + (strict ? 1 : 0));
  }
  for (const m of PEAK_THRESHOLDS) {
    const t = peakReachedAt(live.startMs, Math.max(0, m - priorPeak), windows, calendar);
    if (t !== null) candidates.push(t);
  }
  return candidates;
}

export interface Escalation {
  atMs: number;
  grade: Grade;
  basis: BasisEntry[];
}

/**
 * For a live outage on network `index`, when continuing unrestored would next raise the grade
 * ("becomes 重大 at 13:05 if not restored"). Null when restored or no higher threshold lies ahead.
 */
export function nextEscalation(
  facts: Facts,
  index: number,
  live: LiveOutage,
  nowMs: number,
  windows: readonly PeakWindow[],
  rules: readonly InstitutionRule[] = [],
  calendar: DayCalendar = officialCalendar(),
): Escalation | null {
  if (live.restoredAtMs !== undefined && live.restoredAtMs <= nowMs) return null;
  const at = (t: number): Facts => ({
    ...facts,
    networks: (facts.networks ?? []).map((n, i) => (i === index ? { ...n, outage: outageAt(live, t, windows, calendar) } : n)),
  });
  const current = gradeFacts(at(nowMs), rules).grade;
  const candidates = outageCrossings(live, windows, rules, calendar);
  const ahead = [...new Set(candidates)].filter((t) => t > nowMs && t <= (live.restoredAtMs ?? Infinity)).sort((a, b) => a - b);
  for (const t of ahead) {
    const result = gradeFacts(at(t), rules);
    if (LEVEL[result.grade] < LEVEL[current]) return { atMs: t, grade: result.grade, basis: result.basis };
  }
  return null;
}
