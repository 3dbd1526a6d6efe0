// What every regime's obligations share: how a clock, a 立即 duty and a 及时 duty become met or overdue, and how an
// unverified value is read from the institution's `regimes:` block. The readings are rules.md's "Parallel duties".
import type { Localized } from '../i18n/index.ts';
import type { Obligation, ObligationStatus, RegimeId, RegimeInput, RegimeReport, UnverifiedSetting } from './port.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Reading: a 立即 duty is due when it arises and counts as overdue one hour after, if not met. */
export const IMMEDIATE_GRACE_MS = HOUR_MS;

export const loc = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

/** The first report recorded under `regime` of one of `kinds` (reports meet an obligation whenever they are made). */
export function firstReport(reports: readonly RegimeReport[], regime: RegimeId, kind: string): RegimeReport | undefined {
  return reports.filter((r) => r.regime === regime && r.kind === kind).sort((a, b) => a.atMs - b.atMs)[0];
}

type Timing = Pick<Obligation, 'dueAtMs' | 'status'> & Partial<Pick<Obligation, 'due' | 'arisesAtMs' | 'overdueAtMs' | 'metAtMs' | 'late'>>;

/** A clock with a due instant: met by the first report of its kind, overdue once `nowMs` passes it. */
export function clocked(dueAtMs: number, nowMs: number, met: RegimeReport | undefined): Timing {
  if (met) return { dueAtMs, status: 'met', metAtMs: met.atMs, late: met.atMs > dueAtMs };
  return { dueAtMs, status: nowMs > dueAtMs ? 'overdue' : 'pending' };
}

/** 立即: due when it arises (no due instant), overdue one hour later if not met. */
export function immediate(arisesAtMs: number, nowMs: number, met: RegimeReport | undefined): Timing {
  const overdueAtMs = arisesAtMs + IMMEDIATE_GRACE_MS;
  const base = { dueAtMs: null, due: '立即' as const, arisesAtMs, overdueAtMs };
  if (met) return { ...base, status: 'met', metAtMs: met.atMs, late: met.atMs > overdueAtMs };
  return { ...base, status: nowMs > overdueAtMs ? 'overdue' : 'pending' };
}

/** 及时: no clock; pending (reminded daily) until recorded, never overdue. */
export function timely(arisesAtMs: number, met: RegimeReport | undefined): Timing {
  const base = { dueAtMs: null, due: '及时' as const, arisesAtMs };
  const status: ObligationStatus = met ? 'met' : 'pending';
  return met ? { ...base, status, metAtMs: met.atMs } : { ...base, status };
}

/** An unverified value the regime uses: its default from regimes.md, unless the institution's file sets it. */
export interface UnverifiedDefault<T extends number | null = number | null> {
  key: string; // without the `regimes.` prefix: "cac.majorCiiWholeMinutes"
  default: T;
  unit: 'minutes' | 'hours' | 'persons';
  about: Localized; // what it is and where the default comes from
}

/** The value in force for an unverified setting, and the 未核实 entry naming the key that sets it. */
export function settingOf(input: Pick<RegimeInput, 'settings'>, d: UnverifiedDefault): { value: number | null; unverified: UnverifiedSetting } {
  const raw = input.settings?.[d.key];
  const value = typeof raw === 'number' ? raw : raw === null ? null : d.default;
  return { value, unverified: { key: `regimes.${d.key}`, value } };
}
