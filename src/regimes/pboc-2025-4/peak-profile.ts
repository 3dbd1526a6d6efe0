// Art. 31(3): 业务高峰时段 are the periods whose hourly average volume over the year exceeds 3% of the
// average daily volume. Per kind of day, the hourly average is (volume in hour h) / (days of that kind)
// and the daily average is (volume of the 24 hours) / (the same days), so the rule is scale-free:
// hour h is a peak hour when its volume exceeds 3% of the day's total. Pure: text in, windows out.
import { DAY_KINDS, type DayKind, type PeakWindow } from './outage-clock.ts';
import { ART31 } from './rules.ts';

/** The rule's share: an hour above 3% of the daily volume is a peak hour. */
export const PEAK_SHARE = ART31.peakSharePercent / 100;

/** A year's business volume by hour of day (index 0 = 00:00-01:00), per kind of day. */
export type HourlyProfile = Partial<Record<DayKind, number[]>>;

export interface PeakDerivation {
  days: DayKind;
  dailyVolume: number; // the 24 hours added up
  thresholdVolume: number; // 3% of it
  peakHours: number[]; // hours of day whose volume exceeds the threshold
  windows: PeakWindow[]; // consecutive peak hours joined
}

const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** Derives each kind of day's peak windows by the 3% rule. Throws RangeError on a malformed profile. */
export function derivePeakWindows(profile: HourlyProfile): { windows: PeakWindow[]; derivation: PeakDerivation[] } {
  const derivation: PeakDerivation[] = [];
  for (const days of DAY_KINDS) {
    const volumes = profile[days];
    if (!volumes) continue;
    if (volumes.length !== 24 || volumes.some((v) => !Number.isFinite(v) || v < 0)) {
      throw new RangeError(`${days}: expected 24 non-negative hourly volumes, got ${volumes.length}`);
    }
    const dailyVolume = volumes.reduce((a, b) => a + b, 0);
    const thresholdVolume = dailyVolume * PEAK_SHARE;
    const peakHours = volumes.flatMap((v, h) => (dailyVolume > 0 && v > thresholdVolume ? [h] : []));
    const windows: PeakWindow[] = [];
    for (const h of peakHours) {
      const last = windows.at(-1);
      if (last && last.end === hh(h)) last.end = h + 1 === 24 ? '24:00' : hh(h + 1);
      else windows.push({ start: hh(h), end: h + 1 === 24 ? '24:00' : hh(h + 1), days: [days] });
    }
    derivation.push({ days, dailyVolume, thresholdVolume, peakHours, windows });
  }
  return { windows: derivation.flatMap((d) => d.windows), derivation };
}

/**
 * Reads a CSV of the year's volume by hour: a header `hour,<kind>[,<kind>…]` (kinds: workdays,
 * restdays, holidays) and 24 rows, hour 0-23 (or `09:00`). Throws RangeError naming the line.
 */
export function parseHourlyProfileCsv(text: string): HourlyProfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const header = (lines[0] ?? '').split(',').map((c) => c.trim().toLowerCase());
  if (header[0] !== 'hour' || header.length < 2) throw new RangeError('line 1: expected a header "hour,workdays[,restdays][,holidays]"');
  const kinds = header.slice(1).map((k, i) => {
    if (!(DAY_KINDS as readonly string[]).includes(k)) throw new RangeError(`line 1, column ${i + 2}: "${k}" is not one of ${DAY_KINDS.join(', ')}`);
    return k as DayKind;
  });
  const profile: HourlyProfile = Object.fromEntries(kinds.map((k) => [k, new Array<number>(24).fill(NaN)]));
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const m = /^(\d{1,2})(?::00)?$/.exec(cells[0] ?? '');
    const hour = m ? Number(m[1]) : NaN;
    if (!(hour >= 0 && hour <= 23)) throw new RangeError(`line ${i + 2}: hour "${cells[0]}" is not 0-23`);
    if (cells.length !== kinds.length + 1) throw new RangeError(`line ${i + 2}: expected ${kinds.length + 1} columns, got ${cells.length}`);
    kinds.forEach((k, j) => {
      const v = Number((cells[j + 1] ?? '').replace(/_/g, ''));
      if (cells[j + 1] === '' || !Number.isFinite(v) || v < 0) throw new RangeError(`line ${i + 2}: ${k} volume "${cells[j + 1]}" is not a non-negative number`);
      if (!Number.isNaN(profile[k]![hour]!)) throw new RangeError(`line ${i + 2}: hour ${hour} is listed twice`);
      profile[k]![hour] = v;
    });
  });
  for (const k of kinds) {
    const missing = profile[k]!.findIndex((v) => Number.isNaN(v));
    if (missing >= 0) throw new RangeError(`hour ${missing} is missing: the profile needs 24 rows, hours 0-23`);
  }
  return profile;
}
