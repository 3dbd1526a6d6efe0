// Shanghai calendar arithmetic on epoch milliseconds, formatted and parsed with dayjs. China has used UTC+8 without
// DST since 1991, so a fixed offset is exact and independent of the process time zone.
import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(customParseFormat);

export const SHANGHAI_OFFSET_MINUTES = 480;
export const SHANGHAI_OFFSET_MS = SHANGHAI_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

/** An instant as Shanghai wall-clock time. The wall clock is taken in UTC mode and then labelled +08:00
 *  (keepLocalTime): dayjs's plain utcOffset(480) goes through the process zone and slips an hour near its DST. */
export function shanghai(ms: number): Dayjs {
  return dayjs.utc(ms + SHANGHAI_OFFSET_MS).utcOffset(SHANGHAI_OFFSET_MINUTES, true);
}

/** The Shanghai calendar date of an instant, as YYYY-MM-DD. */
export function shanghaiDate(ms: number): string {
  return shanghai(ms).format('YYYY-MM-DD');
}

/** The instant a Shanghai calendar date begins (00:00 +08:00). */
export function startOfShanghaiDate(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

/** The instant a Shanghai calendar date ends: 24:00 of that date, i.e. 00:00 of the next. */
export function endOfShanghaiDate(date: string): number {
  return startOfShanghaiDate(date) + DAY_MS;
}

/** ISO 8601 with the +08:00 offset, e.g. 2026-11-29T10:05:00+08:00. */
export function isoShanghai(ms: number): string {
  return shanghai(ms).format('YYYY-MM-DDTHH:mm:ssZ');
}

// Strict formats by the length of the wall-clock part; the separator is normalised to T before parsing.
const WALL_FORMATS: Record<number, string> = {
  10: 'YYYY-MM-DD',
  16: 'YYYY-MM-DD[T]HH:mm',
  19: 'YYYY-MM-DD[T]HH:mm:ss',
  23: 'YYYY-MM-DD[T]HH:mm:ss.SSS',
};
const ZONE = /(Z|([+-])(\d{2}):?(\d{2}))$/;

/** Parses an ISO instant; a time without offset is read as Shanghai time. NaN when invalid. */
export function parseIso(s: string): number {
  let wall = s.trim();
  let offsetMinutes = SHANGHAI_OFFSET_MINUTES;
  const zone = ZONE.exec(wall);
  if (zone && wall.length > 10) {
    wall = wall.slice(0, zone.index);
    offsetMinutes = zone[1] === 'Z' ? 0 : (zone[2] === '-' ? -1 : 1) * (Number(zone[3]) * 60 + Number(zone[4]));
  }
  if (wall.length > 10 && wall[10] === ' ') wall = `${wall.slice(0, 10)}T${wall.slice(11)}`;
  // A fraction of any length counts to the millisecond, as Date.parse reads it.
  const frac = /^(.{19})\.(\d+)$/.exec(wall);
  if (frac) wall = `${frac[1]}.${frac[2]!.slice(0, 3).padEnd(3, '0')}`;
  const format = WALL_FORMATS[wall.length];
  if (format === undefined) return NaN;
  const parsed = dayjs.utc(wall, format, true);
  return parsed.isValid() ? parsed.valueOf() - offsetMinutes * 60_000 : NaN;
}

/** "2026-11-29 10:05" in Shanghai time. */
export function formatShanghaiMinute(ms: number): string {
  return shanghai(ms).format('YYYY-MM-DD HH:mm');
}
