import { t, type Lang } from '../../i18n/index.ts';
import type { FieldValue } from '../../incident/fields.ts';
import type { IncidentState } from '../../incident/state.ts';

/** A value that contradicts what is recorded: the message that says why, or null. */
export function checkValue(lang: Lang, st: IncidentState, path: string, value: FieldValue | 'unknown'): string | null {
  if (value === 'unknown') return null;
  const start = path.endsWith('outage.restored') ? st.values[path.replace('restored', 'start')] : undefined;
  if (typeof start === 'number' && typeof value === 'number' && value < start) return t(lang, 'err.restoredBeforeStart');
  const restored = path.endsWith('outage.start') ? st.values[path.replace('start', 'restored')] : undefined;
  if (typeof restored === 'number' && typeof value === 'number' && value > restored) return t(lang, 'err.restoredBeforeStart');
  if (path.endsWith('outage.provinces') && typeof value === 'number' && (value < 1 || value > 34)) return t(lang, 'err.provinces');
  return null;
}
