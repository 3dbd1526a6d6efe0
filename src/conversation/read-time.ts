// Reading an incident time as the user meant it: a bare clock time still ahead today is asked about
// (not silently moved to yesterday), a time in the future or before the occurrence is refused, and
// each refusal says which rule it broke. Pure: `now` is an argument.
import { t, type Lang } from '../i18n/index.ts';
import { formatShanghai, parseTime } from './parse.ts';

const YEAR_MS = 366 * 86_400_000;
/** Words or forms that name the day; without one, a clock time is today's. */
const NAMES_A_DAY = /[年月日号/]|\d-\d|昨|前|今|yesterday|today|ago|now|现在|刚/i;

export type TimeRead = { ok: true; value: number } | { ok: false; message: string };

export interface TimeBound {
  ms: number;
  label: string; // what the bound is: 事发时间
}

/** A time for `field`; `notBefore` is the occurrence time (or the report it confirms), when known. */
export function readTime(lang: Lang, input: string, nowMs: number, field: string, notBefore?: TimeBound): TimeRead {
  const r = parseTime(input, nowMs);
  if (!r.ok) {
    const later = parseTime(input, nowMs + YEAR_MS);
    if (later.ok && later.value > nowMs) {
      return { ok: false, message: t(lang, 'time.future', { input, at: formatShanghai(later.value), now: formatShanghai(nowMs) }) };
    }
    return { ok: false, message: t(lang, 'time.format', { input }) };
  }
  const at = formatShanghai(r.value);
  const today = formatShanghai(nowMs).slice(0, 10);
  if (!NAMES_A_DAY.test(input) && at.slice(0, 10) < today) {
    return { ok: false, message: t(lang, 'time.yesterday', { input, now: formatShanghai(nowMs).slice(11), at, clock: at.slice(11) }) };
  }
  if (notBefore && r.value < notBefore.ms) {
    return { ok: false, message: t(lang, 'time.beforeBound', { field, at, bound: notBefore.label, boundAt: formatShanghai(notBefore.ms) }) };
  }
  return { ok: true, value: r.value };
}

/** The occurrence time as a lower bound, when recorded. */
export function occurrenceBound(lang: Lang, values: Record<string, unknown>): TimeBound | undefined {
  const v = values.occurredAt;
  return typeof v === 'number' ? { ms: v, label: t(lang, 'field.occurredAt') } : undefined;
}
