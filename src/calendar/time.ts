// Shanghai calendar arithmetic on epoch milliseconds. China has used UTC+8 without DST since 1991,
// so a fixed offset is exact and independent of the process time zone.
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function shanghaiParts(ms: number) {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
}

/** The Shanghai calendar date of an instant, as YYYY-MM-DD. */
export function shanghaiDate(ms: number): string {
  const p = shanghaiParts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
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
  const p = shanghaiParts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}+08:00`;
}

/** Parses an ISO instant; a time without offset is read as Shanghai time. NaN when invalid. */
export function parseIso(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return NaN;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${zone ?? '+08:00'}`);
  if (Number.isNaN(ms)) return NaN;
  // Reject dates that JavaScript silently rolls over (2026-02-30).
  const local = zone ? null : shanghaiDate(ms);
  if (local !== null && local !== `${y}-${mo}-${d}`) return NaN;
  if (zone && new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() !== Number(d)) return NaN;
  return ms;
}

/** "2026-11-29 10:05" in Shanghai time. */
export function formatShanghaiMinute(ms: number): string {
  const p = shanghaiParts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}`;
}
