// Durations typed by users ("1.5h", "1小时30分钟", "两个半小时") and the
// "how long is left" formatter.
import { clean, fail, numberToken, ok, type Parsed } from './parse-common.ts';

const NUM = '(\\d+(?:\\.\\d+)?|[零〇一二两三四五六七八九十百千点]+)';
const UNIT = '(days|day|d|天|日|hours|hour|hrs|hr|h|小时|钟头|minutes|minute|mins|min|m|分钟|分)';
// One "<number><unit>" group: 90m, 1.5 小时, 两个小时, 2个半小时, 半小时, 两天半.
const TOKEN = new RegExp(`(?:${NUM}\\s*(个半|个)?|(半)\\s*个?)\\s*${UNIT}?(半)?`, 'y');
// Between groups: "1h 30m", "1 hour and 30 minutes", "1h, 30m", "1小时零5分钟", "1天又3小时".
const SEP = /\s*(?:,|、|and|又|零)?\s*/y;

type Rank = 3 | 2 | 1;
const UNIT_RANK: Readonly<Record<string, Rank>> = {
  days: 3, day: 3, d: 3, 天: 3, 日: 3,
  hours: 2, hour: 2, hrs: 2, hr: 2, h: 2, 小时: 2, 钟头: 2,
  minutes: 1, minute: 1, mins: 1, min: 1, m: 1, 分钟: 1, 分: 1,
};
const RANK_MINUTES: Readonly<Record<Rank, number>> = { 3: 1440, 2: 60, 1: 1 };

export interface DurationParts {
  minutes: number;
  /** False for a bare number ("90"), which parseDuration reads as minutes. */
  hasUnit: boolean;
}

/**
 * The duration in a cleaned string. Groups must descend (d, h, m) with each unit at
 * most once; a bare number is minutes when it is the whole input or follows hours
 * ("1h30", "1小时30"). Seconds are refused: every fact we collect is in minutes.
 */
export function durationParts(s: string): DurationParts | undefined {
  let pos = 0;
  let total = 0;
  let lastRank = 4;
  let groups = 0;
  let hasUnit = false;
  for (;;) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(s);
    if (!m || m[0] === '') return undefined;
    pos = TOKEN.lastIndex;
    const [, numText, ge, half, unit, halfAfter] = m;
    let n = half !== undefined ? 0.5 : numberToken(numText ?? '');
    if (n === undefined) return undefined;
    if (ge === '个半') n += 0.5;
    if (halfAfter !== undefined) n += 0.5;
    let rank: Rank;
    if (unit === undefined) {
      // Only a plain number may stand without a unit: "90", or the minutes of "1h30".
      const bareOk = groups === 0 || lastRank === 2;
      if (ge !== undefined || half !== undefined || halfAfter !== undefined || !bareOk || pos !== s.length) {
        return undefined;
      }
      rank = 1;
    } else {
      rank = UNIT_RANK[unit] ?? 1;
      hasUnit = true;
    }
    if (rank >= lastRank) return undefined;
    lastRank = rank;
    total += n * RANK_MINUTES[rank];
    groups += 1;
    if (pos === s.length) break;
    SEP.lastIndex = pos;
    SEP.exec(s);
    pos = SEP.lastIndex;
    if (pos === s.length) return undefined; // a dangling separator: "1h and"
  }
  // 0.1h * 60 is 6.000000000000001 in binary floating point; keep 6 decimals.
  const minutes = Math.round(total * 1e6) / 1e6;
  return Number.isFinite(minutes) ? { minutes, hasUnit } : undefined;
}

/**
 * Minutes: 90, 90m, 90min, 90分钟, 1.5h, 1.5小时, 2h30m, 1h 30m, 1h30, 1小时30分钟,
 * 1小时零5分钟, 2天, 2d, 一小时, 两个小时, 半小时, 一个半小时, 两天半. A bare number is
 * minutes. Fractional only when the input is (1.5m = 1.5). Rejects seconds ("45s"),
 * negatives, units out of order or repeated ("30m1h", "1h2h").
 */
export function parseDuration(input: string): Parsed<number> {
  const s = clean(input);
  const parts = s === undefined ? undefined : durationParts(s);
  return parts === undefined ? fail('duration', input) : ok(parts.minutes);
}

export const DURATION_WORDS = {
  'zh-CN': { d: '天', h: '小时', m: '分钟', sep: '', lessThanMinute: '不到1分钟' },
  en: { d: 'd', h: 'h', m: 'm', sep: ' ', lessThanMinute: '<1m' },
} as const;

/**
 * A remaining (or, negative, overdue) time, truncated toward zero: from two days on at
 * two-unit precision (zh 3天2小时, en 3d 2h), below that exact to the minute (zh 23小时59分钟 /
 * 45分钟, en 23h 59m / 45m). Negative values are
 * formatted by absolute value (the caller says "overdue"); under a minute is
 * "不到1分钟" / "<1m". Throws RangeError on a non-finite ms (a programming error).
 */
export function formatDurationMs(ms: number, lang: 'zh-CN' | 'en'): string {
  if (!Number.isFinite(ms)) throw new RangeError(`formatDurationMs: not a finite duration: ${ms}`);
  const w = DURATION_WORDS[lang];
  const total = Math.floor(Math.abs(ms) / 60_000);
  // Under two days, hours and minutes: near a deadline "23小时59分钟", never a rounded "1天".
  const d = total >= 2880 ? Math.floor(total / 1440) : 0;
  const h = Math.floor((total - d * 1440) / 60);
  const m = total % 60;
  const parts: string[] = [];
  if (d > 0) {
    parts.push(`${d}${w.d}`);
    if (h > 0) parts.push(`${h}${w.h}`);
  } else if (h > 0) {
    parts.push(`${h}${w.h}`);
    if (m > 0) parts.push(`${m}${w.m}`);
  } else if (m > 0) {
    parts.push(`${m}${w.m}`);
  } else {
    return w.lessThanMinute;
  }
  return parts.join(w.sep);
}
