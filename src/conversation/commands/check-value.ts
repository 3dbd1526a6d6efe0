import { t, type Lang } from '../../i18n/index.ts';
import type { FieldValue } from '../../incident/fields.ts';
import type { IncidentState } from '../../incident/state.ts';

const num = (v: FieldValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** The network indexes the record has; a new network takes the next one. */
function networkCount(st: IncidentState): number {
  const seen = new Set<number>();
  for (const p of [...Object.keys(st.values), ...st.unknowns]) {
    const m = /^networks\.(\d+)\./.exec(p);
    if (m) seen.add(Number(m[1]));
  }
  return seen.size === 0 ? 0 : Math.max(...seen) + 1;
}

/** A value that contradicts what is recorded, or cannot be what the user meant: the message that says why, or null. */
export function checkValue(lang: Lang, st: IncidentState, path: string, value: FieldValue | 'unknown', input = ''): string | null {
  const net = /^networks\.(\d+)\./.exec(path);
  // A network index past the next free one would create a network no question or command reaches.
  if (net && Number(net[1]) > networkCount(st)) return t(lang, 'err.networkIndex', { index: Number(net[1]), next: networkCount(st) });
  if (value === 'unknown') return null;
  const v = st.values;
  const start = path.endsWith('outage.restored') ? v[path.replace('restored', 'start')] : undefined;
  if (typeof start === 'number' && typeof value === 'number' && value < start) return t(lang, 'err.restoredBeforeStart');
  const restored = path.endsWith('outage.start') ? v[path.replace('start', 'restored')] : undefined;
  if (typeof restored === 'number' && typeof value === 'number' && value > restored) return t(lang, 'err.restoredBeforeStart');
  if (path.endsWith('outage.provinces') && typeof value === 'number' && (value < 1 || value > 34)) return t(lang, 'err.provinces');
  if (typeof value !== 'number') return null;
  // 失败率 0.85: a fraction typed for a percentage is asked about, not read as 0.85%.
  if (path.endsWith('outage.failureRatePercent') && value > 0 && value < 1 && !/[%％]|百分/.test(input)) {
    return t(lang, 'err.rateFraction', { input: input.trim(), pct: String(value), whole: String(Math.round(value * 10000) / 100) });
  }
  const peak = path.endsWith('outage.peakMinutes') ? value : num(v[path.replace(/outage\.totalMinutes$/, 'outage.peakMinutes')]);
  const total = path.endsWith('outage.totalMinutes') ? value : num(v[path.replace(/outage\.peakMinutes$/, 'outage.totalMinutes')]);
  if ((path.endsWith('outage.peakMinutes') || path.endsWith('outage.totalMinutes')) && peak !== null && total !== null && peak > total) {
    return t(lang, 'err.peakOverTotal', { peak, total });
  }
  const sensitive = path === 'data.sensitivePersonalInfoRecords' ? value : num(v['data.sensitivePersonalInfoRecords']);
  const all = path === 'data.personalInfoRecords' ? value : num(v['data.personalInfoRecords']);
  if ((path === 'data.sensitivePersonalInfoRecords' || path === 'data.personalInfoRecords') && sensitive !== null && all !== null && sensitive > all) {
    return t(lang, 'err.sensitiveOverAll', { sensitive, all });
  }
  return null;
}
