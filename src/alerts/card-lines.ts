// The card's "where the times come from": outage times an alert set, a person's corrections, each alert. Pure.
import { t, type Lang } from '../i18n/index.ts';
import { formatShanghai } from '../conversation/parse-time.ts';
import { FIELDS } from '../incident/fields.ts';
import type { IncidentState } from '../incident/state.ts';
import { actorSource, SOURCE_NAME, type AlertSource } from './signal.ts';

const TIMES = ['outage.start', 'outage.restored'];

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
  for (const a of s.alerts) {
    const source = SOURCE_NAME[a.source as AlertSource] ?? a.source;
    lines.push(t(lang, 'alert.alertLine', {
      name: a.name, from: t(lang, 'alert.from', { source }), start: formatShanghai(a.startsAt), end: a.endsAt === null ? t(lang, 'alert.stillFiring') : formatShanghai(a.endsAt),
    }));
  }
  return lines;
}
