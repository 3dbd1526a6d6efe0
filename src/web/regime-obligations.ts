// Every regime's obligations of an incident, for the compliance page, the dossier and the CAC draft.
//
import { regimeProfileOf, regimeSettingsOf, type InstitutionConfig } from '../config/institution.ts';
import type { Lang } from '../i18n/index.ts';
import type { AssessContext, Assessment } from '../incident/assess.ts';
import type { IncidentState } from '../incident/state.ts';
import { regimeInputOf } from '../incident/obligations.ts';
import type { Obligation, ObligationStatus, RegimeId, RegimeProfile, RegimeSettings } from '../regimes/port.ts';
import { allObligations } from '../regimes/registry.ts';
import { formatDurationMs, formatShanghai } from '../conversation/parse.ts';
import { regimeText } from '../reports/regime-words.ts';

/** What the regimes read from the institution file: its profile and the overrides of unverified values. */
export interface RegimeConfig {
  profile?: RegimeProfile;
  settings?: RegimeSettings;
}

/** The institution file's `profile:` and `regimes:` blocks (its province defaulting to the institution's location). */
export function regimeConfigOf(institution: InstitutionConfig): RegimeConfig {
  // As the card: the other regimes run for an institution that declares its profile; without one, PBoC alone.
  return { ...(institution.profile ? { profile: regimeProfileOf(institution) } : {}), settings: regimeSettingsOf(institution) };
}

/** Every obligation of the incident under every regime that binds the institution, PBoC's first: the same mapping
 * (src/incident/obligations.ts) as the card's and the reminders'. */
export function recordObligations(s: IncidentState, nowMs: number, calendar: AssessContext['calendar'], rc: RegimeConfig, a: Assessment): Obligation[] {
  return allObligations(regimeInputOf(s, nowMs, { calendar, ...(rc.profile ? { profile: rc.profile } : {}), ...(rc.settings ? { regimeSettings: rc.settings } : {}) }, a));
}

/** One obligation as the page, the dossier and the timeline show it. */
export interface ObligationRow {
  regime: RegimeId;
  regimeText: string; // 网信部门 / CAC
  kind: string;
  title: string;
  article: string;
  recipient: string;
  dueMs: number | null; // null: 立即 / 及时, no fixed clock
  due: string; // Beijing minute, or the day a working-day clock ends, or 立即 / 及时
  status: ObligationStatus;
  statusText: string;
  left: string; // time left, or how long overdue; '' when met or without a clock
  verified: boolean;
  unverifiedKeys: string[]; // the institution-file keys that set its unverified values
  basis: string;
}

const STATUS: Record<ObligationStatus, Record<Lang, string>> = {
  pending: { 'zh-CN': '未完成', en: 'pending' },
  met: { 'zh-CN': '已完成', en: 'met' },
  overdue: { 'zh-CN': '已逾期', en: 'overdue' },
};
const DUE_WORD: Record<'立即' | '及时', Record<Lang, string>> = { 立即: { 'zh-CN': '立即', en: 'immediately' }, 及时: { 'zh-CN': '及时', en: 'promptly' } };

export function obligationRow(o: Obligation, nowMs: number, lang: Lang): ObligationRow {
  const due = o.dueAtMs !== null
    ? (o.dueDate !== undefined ? (lang === 'en' ? `${o.dueDate} (end of day)` : `${o.dueDate} 24:00`) : formatShanghai(o.dueAtMs))
    : o.due ? DUE_WORD[o.due][lang] : '';
  const left = o.status === 'met' || o.dueAtMs === null ? ''
    : o.dueAtMs > nowMs ? formatDurationMs(o.dueAtMs - nowMs, lang)
      : `${lang === 'en' ? 'overdue by ' : '已逾期 '}${formatDurationMs(nowMs - o.dueAtMs, lang)}`;
  return {
    regime: o.regime, regimeText: regimeText(o.regime, lang), kind: o.kind, title: o.title[lang], article: o.article[lang], recipient: o.recipient[lang],
    dueMs: o.dueAtMs, due, status: o.status, left,
    statusText: o.status === 'met' && o.metAtMs !== undefined ? `${STATUS.met[lang]}${lang === 'en' ? ` (${formatShanghai(o.metAtMs)})` : `（${formatShanghai(o.metAtMs)}）`}` : STATUS[o.status][lang], verified: o.verified,
    unverifiedKeys: (o.unverified ?? []).map((u) => u.key), basis: o.basis?.[lang] ?? '',
  };
}

/** 未核实 (unverified) and the key that sets it, as the page and the dossier print it. */
export function unverifiedText(row: ObligationRow, lang: Lang): string {
  if (row.verified) return '';
  // The key as written in the institution file: under its `regimes:` block.
  const keys = row.unverifiedKeys.map((k) => (k.startsWith('regimes.') ? k : `regimes.${k}`)).join(', ');
  return lang === 'en' ? `unverified${keys ? ` (set by ${keys})` : ''}` : `未核实${keys ? `（由 ${keys} 设定）` : ''}`;
}
