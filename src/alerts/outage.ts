// Alert occurrences -> the incident's outage times, as events attributed to the source. Pure.
import type { AssessContext } from '../incident/assess.ts';
import type { IncidentEvent } from '../incident/events.ts';
import type { FieldValue } from '../incident/fields.ts';
import { apply, type AlertOccurrence, type IncidentState } from '../incident/state.ts';
import { peakMinutesBetween } from '../rules/outage-clock.ts';
import type { AlertRoute } from './routes.ts';
import { actorSource, sourceActor, type AlertSignal } from './signal.ts';

const MIN_MS = 60_000;

/** Merged [start, end) intervals of the occurrences (end Infinity while firing), in time order. */
export function mergeIntervals(occurrences: readonly AlertOccurrence[]): Array<[number, number]> {
  const sorted = occurrences.map((o): [number, number] => [o.startsAt, o.endsAt ?? Infinity]).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * The outage values of network i from its alerts: the current interval's start and restoration (earliest
 * start, latest restoration of overlapping alerts), and the earlier intervals' durations, which add up.
 */
export function outageFromAlerts(occurrences: readonly AlertOccurrence[], windows: Parameters<typeof peakMinutesBetween>[2]): Record<string, FieldValue> {
  const merged = mergeIntervals(occurrences);
  const current = merged[merged.length - 1];
  if (!current) return {};
  const earlier = merged.slice(0, -1);
  const round = (m: number) => Math.round(m * 100) / 100;
  const out: Record<string, FieldValue> = {
    'outage.start': current[0],
    'outage.restored': Number.isFinite(current[1]) ? current[1] : false,
  };
  if (earlier.length > 0) {
    out['outage.priorMinutes'] = round(earlier.reduce((m, [a, b]) => m + (b - a) / MIN_MS, 0));
    out['outage.priorPeakMinutes'] = round(earlier.reduce((m, [a, b]) => m + peakMinutesBetween(a, b, windows), 0));
  }
  return out;
}

/** Whether a person (not a monitoring source, not the bot's own bookkeeping) last set the value at path. */
export function setByPerson(s: IncidentState, path: string): boolean {
  const by = s.valueBy[path];
  return by !== undefined && actorSource(by.actor) === null;
}

export interface AlertLink {
  events: IncidentEvent[];
  /** Values a person corrected that this alert would have changed: [path, alert's value]. */
  kept: Array<[string, FieldValue]>;
}

/**
 * The events that link one alert occurrence to network `index` of the incident. Replays (the same
 * occurrence in the same state) give no events. A value a person corrected is never overwritten.
 */
export function linkAlert(s: IncidentState, signal: AlertSignal, index: number, networkId: string, route: AlertRoute | null, nowMs: number, ctx: AssessContext): AlertLink {
  const actor = sourceActor(signal.source);
  const endsAt = signal.status === 'resolved' ? signal.endsAtMs : null;
  const known = s.alerts.find((a) => a.source === signal.source && a.alertId === signal.alertId && a.startsAt === signal.startsAtMs);
  if (known && known.endsAt === endsAt && known.network === index) return { events: [], kept: [] };
  const events: IncidentEvent[] = [{
    type: 'alert', at: nowMs, actor, source: signal.source, alertId: signal.alertId, name: signal.name, network: index,
    status: signal.status, startsAt: signal.startsAtMs, endsAt,
  }];
  const p = (k: string) => `networks.${index}.${k}`;
  const setIfAbsent = (k: string, value: FieldValue) => {
    if (s.values[p(k)] === undefined && !s.unknowns.includes(p(k)) && !setByPerson(s, p(k))) events.push({ type: 'fact-set', at: nowMs, actor, path: p(k), value });
  };
  setIfAbsent('ref', networkId);
  // A route's `outage:` states what the alert means for the main function (Art. 31(4), 31(5)).
  if (route?.outage) {
    setIfAbsent('disrupted', true);
    if (route.outage.provinces !== undefined) setIfAbsent('outage.provinces', route.outage.provinces);
    if (route.outage.failureRatePercent !== undefined) setIfAbsent('outage.failureRatePercent', route.outage.failureRatePercent);
  }
  const after = events.reduce(apply, s);
  const windows = ctx.networks.find((n) => n.id === networkId)?.peakWindows ?? [];
  const wanted = outageFromAlerts(after.alerts.filter((a) => a.network === index), windows);
  // Intervals that a late alert joined into one leave no earlier interval behind.
  for (const k of ['outage.priorMinutes', 'outage.priorPeakMinutes']) if (wanted[k] === undefined && typeof after.values[p(k)] === 'number') wanted[k] = 0;
  const kept: Array<[string, FieldValue]> = [];
  for (const [k, value] of Object.entries(wanted)) {
    const path = p(k);
    if (after.values[path] === value) continue;
    if (setByPerson(after, path)) {
      kept.push([path, value]);
      continue;
    }
    events.push({ type: 'fact-set', at: nowMs, actor, path, value });
  }
  return { events, kept };
}
