// A RegimeInput for the regimes' tests: an explicit clock and the official calendar, nothing from the real date.
import { parseIso } from '../../src/calendar/time.ts';
import { createCalendar } from '../../src/calendar/working-days.ts';
import type { RegimeInput } from '../../src/regimes/port.ts';

export const at = (s: string): number => parseIso(s);
const calendar = createCalendar();

export function regimeInput(over: Partial<RegimeInput> = {}): RegimeInput {
  return { profile: {}, discoveredAtMs: at('2026-11-30T10:00+08:00'), reports: [], nowMs: at('2026-11-30T10:10+08:00'), calendar, ...over };
}
