// The card's "where the times come from": outage times an alert set, a person's corrections, each alert. Pure.
import { t, type Lang } from '../i18n/index.ts';
import { formatShanghai } from '../conversation/parse-time.ts';
import { FIELDS } from '../incident/fields.ts';
import type { AlertOccurrence, IncidentState } from '../incident/state.ts';
import { ALERT_NAME_MAX } from './schemas.ts';
import { actorSource, SOURCE_NAME, type AlertSource } from './signal.ts';

const TIMES = ['outage.start', 'outage.restored'];
/** Up to this many alert occurrences the card lists one by one; past it, one summary line (the log keeps each). */
export const CARD_ALERTS_LISTED = 5;

/** Counts by name and state, the earliest start, the latest restoration and the first few names: one line. */
function summaryLine(all: readonly AlertOccurrence[], lang: Lang): string {
  const byName = new Map<string, { firing: number; resolved: number }>();
  let start = Infinity;
  let end = -Infinity;
  let firing = 0;
  for (const a of all) {
    const c = byName.get(a.name) ?? { firing: 0, resolved: 0 };
    if (a.endsAt === null) {
      c.firing++;
      firing++;
    } else {
      c.resolved++;
      end = Math.max(end, a.endsAt);
    }
    byName.set(a.name, c);
    start = Math.min(start, a.startsAt);
  }
  const top = [...byName].sort((a, b) => b[1].firing + b[1].resolved - (a[1].firing + a[1].resolved)).slice(0, CARD_ALERTS_LISTED);
  return t(lang, 'alert.cardSummary', {
    total: all.length, names: top.map(([name, c]) => t(lang, 'alert.digestName', { name, ...c })).join(t(lang, 'alert.listSep')), more: byName.size - top.length,
    start: formatShanghai(start), end: Number.isFinite(end) ? formatShanghai(end) : t(lang, 'alert.notRestored'), firing,
  });
}

function label(path: string, lang: Lang): string {
  const def = FIELDS.find((d) => d.path === path.replace(/^networks\.\d+\./, 'networks.N.'));
  return def ? def.label[lang] : path;
}

/** Lines for the incident card; empty when no alert is linked and no time came from one. */
export function sourceLines(s: IncidentState, lang: Lang): string[] {
  if (s.alerts.length === 0) return [];
  const lines: string[] = [];
  for (const [path, by] of Object.entries(s.valueBy)) {
    if (!TIMES.some((k) => path.endsWith(`.${k}`))) continue;
    const v = s.values[path];
    const value = typeof v === 'number' ? formatShanghai(v) : t(lang, 'alert.notRestored');
    const source = actorSource(by.actor);
    if (source) lines.push(t(lang, 'alert.sourceLine', { field: label(path, lang), value, from: t(lang, 'alert.from', { source: SOURCE_NAME[source] }) }));
    else if (by.reason) lines.push(t(lang, 'alert.correctedLine', { field: label(path, lang), value, actor: by.actor, reason: by.reason }));
  }
  if (s.alerts.length <= CARD_ALERTS_LISTED) {
    for (const a of s.alerts) {
      const source = SOURCE_NAME[a.source as AlertSource] ?? a.source;
      lines.push(t(lang, 'alert.alertLine', {
        name: a.name, from: t(lang, 'alert.from', { source }), start: formatShanghai(a.startsAt), end: a.endsAt === null ? t(lang, 'alert.stillFiring') : formatShanghai(a.endsAt),
      }));
    }
  } else {
    lines.push(summaryLine(s.alerts, lang));
  }
  if (s.alerts.some((a) => [...a.name].length >= ALERT_NAME_MAX && a.name.endsWith('…'))) lines.push(t(lang, 'alert.cutNote', { max: ALERT_NAME_MAX }));
  return lines;
}
