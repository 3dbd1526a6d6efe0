// The card's lines for the other regimes' obligations (CAC, NFRA, CSRC, police, PIPL), after PBoC's own deadline lines:
// one compact line each, grouped by regime in the registry's order, with due time (Beijing, exact) or 立即 / 及时, article,
// recipient and status; a value not verified against the official text is marked 未核实 with the key that sets it. Pure.
import { t, type Lang } from '../i18n/index.ts';
import type { Assessment } from '../incident/assess.ts';
import { arisenAt, hasProfile, otherObligations } from '../incident/obligations.ts';
import type { IncidentState } from '../incident/state.ts';
import { REGIME_IDS, type Obligation, type RegimeId } from '../regimes/port.ts';
import { regimeShort } from '../regimes/registry.ts';
import { formatDurationMs, formatShanghai } from './parse.ts';
import type { BotConfig } from './types.ts';

const HOUR = 3_600_000;

/** The regime's short name: the registry's, else the catalog's. */
export function regimeName(id: RegimeId, lang: Lang): string {
  return regimeShort(id, lang);
}

/** The obligations in the card's order: PBoC, CAC, NFRA, CSRC, police, PIPL; each regime's own order within. */
export function byRegime(list: readonly Obligation[]): Obligation[] {
  return list.map((o, i) => ({ o, i })).sort((x, y) => REGIME_IDS.indexOf(x.o.regime) - REGIME_IDS.indexOf(y.o.regime) || x.i - y.i).map((x) => x.o);
}

/** Due time as the card and reminders say it: exact Beijing time, 24:00 of a day, 立即 or 及时. */
export function dueText(o: Obligation, lang: Lang): string {
  if (o.dueDate !== undefined) return t(lang, 'obl.endOfDay', { date: o.dueDate });
  if (o.dueAtMs !== null) return t(lang, 'obl.due', { due: formatShanghai(o.dueAtMs) });
  return o.due === '及时' ? t(lang, 'obl.timely') : t(lang, 'obl.immediate');
}

/** When an obligation counts as overdue: its deadline, or one hour after a 立即 one arose (rules.md reading); none for 及时. */
export function overdueFrom(s: IncidentState, o: Obligation): number | null {
  if (o.dueAtMs !== null) return o.dueAtMs;
  if (o.due === '及时') return null;
  return o.overdueAtMs ?? arisenAt(s, o) + HOUR;
}

function stateText(s: IncidentState, o: Obligation, nowMs: number, lang: Lang): string {
  if (o.status === 'met') return t(lang, o.late ? 'deadline.metLate' : 'deadline.met', { at: o.metAtMs !== undefined ? formatShanghai(o.metAtMs) : '-' });
  const until = overdueFrom(s, o);
  if (until === null) return t(lang, 'obl.pending');
  if (o.status === 'overdue' || nowMs > until) return t(lang, 'deadline.overdue', { by: formatDurationMs(Math.max(0, nowMs - until), lang) });
  return t(lang, 'deadline.left', { left: formatDurationMs(until - nowMs, lang) });
}

export function obligationLine(s: IncidentState, o: Obligation, nowMs: number, lang: Lang): string {
  const keys = (o.unverified ?? []).map((u) => u.key);
  return t(lang, 'obl.line', {
    // A working-day clock across a year without an official holiday schedule says so, as PBoC's lines do.
    regime: regimeName(o.regime, lang), title: o.title[lang], due: `${dueText(o, lang)}${o.provisional ? t(lang, 'card.provisional') : ''}`, state: stateText(s, o, nowMs, lang),
    article: o.article[lang], recipient: o.recipient[lang],
    unverified: !o.verified || keys.length > 0 ? t(lang, 'obl.unverified', { keys: keys.join(', ') || '-' }) : '',
  });
}

/** One line per obligation, grouped by regime. */
export function obligationLines(list: readonly Obligation[], nowMs: number, lang: Lang, s: IncidentState): string[] {
  const lines = byRegime(list).map((o) => obligationLine(s, o, nowMs, lang));
  // The reading of 立即 (rules.md), once under the lines rather than on each.
  if (list.some((o) => o.dueAtMs === null && o.due !== '及时' && o.status !== 'met')) lines.push(t(lang, 'obl.immediateReading'));
  return lines;
}

/** How to record each open obligation of another regime once it is sent. */
export function regimeNextSteps(s: IncidentState, a: Assessment, lang: Lang, nowMs: number, config: BotConfig): string[] {
  if (!hasProfile(config.assess)) return [];
  // One line per regime with its open kinds: compact on every platform.
  const open = byRegime(otherObligations(s, nowMs, config.assess, a)).filter((o) => o.status !== 'met');
  const regimes = [...new Set(open.map((o) => o.regime))];
  return regimes.map((r) => t(lang, 'next.regimeReport', {
    regime: regimeName(r, lang), regimeId: r, kind: [...new Set(open.filter((o) => o.regime === r).map((o) => o.kind))].join('|'),
  }));
}
