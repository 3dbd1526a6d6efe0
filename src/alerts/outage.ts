// Alert occurrences -> the incident's outage times, as events attributed to the source. Pure.
import type { AssessContext } from '../incident/assess.ts';
import type { IncidentEvent } from '../incident/events.ts';
import type { FieldValue } from '../incident/fields.ts';
import { apply, type AlertOccurrence, type IncidentState } from '../incident/state.ts';
import { peakMinutesBetween } from '../regimes/pboc-2025-4/outage-clock.ts';
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

/** One alert of a notification to link: to network `index` (the institution's network `networkId`) of the incident. */
export interface LinkItem {
  signal: AlertSignal;
  index: number;
  networkId: string;
  route: AlertRoute | null;
}

export interface AlertLinks extends AlertLink {
  /** Items that were replays (the same occurrence in the same state): no event. */
  replays: number;
}

/**
 * The events that link a notification's alert occurrences to the incident, in one batch: one alert event per new
 * occurrence or state, then the outage values of each network touched, computed once. Replays give no events. A value
 * a person corrected is never overwritten. Cost: linear in the batch plus one pass over the network's occurrences.
 */
export function linkAlerts(s: IncidentState, items: readonly LinkItem[], nowMs: number, ctx: AssessContext): AlertLinks {
  const idOf = (source: string, alertId: string, startsAt: number) => `${source}\u0000${alertId}\u0000${startsAt}`;
  const known = new Map(s.alerts.map((a) => [idOf(a.source, a.alertId, a.startsAt), a] as const));
  const events: IncidentEvent[] = [];
  const alertEvents: IncidentEvent[] = [];
  const touched = new Map<number, LinkItem>();
  let replays = 0;
  for (const item of items) {
    const { signal, index } = item;
    const endsAt = signal.status === 'resolved' ? signal.endsAtMs : null;
    const key = idOf(signal.source, signal.alertId, signal.startsAtMs);
    const k = known.get(key);
    if (k && k.endsAt === endsAt && k.network === index) {
      replays++;
      continue;
    }
    const e: IncidentEvent = {
      type: 'alert', at: nowMs, actor: sourceActor(signal.source), source: signal.source, alertId: signal.alertId, name: signal.name, network: index,
      status: signal.status, startsAt: signal.startsAtMs, endsAt,
    };
    alertEvents.push(e);
    known.set(key, { source: signal.source, alertId: signal.alertId, name: signal.name, network: index, startsAt: signal.startsAtMs, endsAt, linkedAt: nowMs });
    if (!touched.has(index)) touched.set(index, item);
  }
  if (alertEvents.length === 0) return { events: [], kept: [], replays };
  events.push(...alertEvents);
  let after = alertEvents.reduce(apply, s);
  const kept: Array<[string, FieldValue]> = [];
  for (const [index, { signal, networkId, route }] of touched) {
    const actor = sourceActor(signal.source);
    const p = (k: string) => `networks.${index}.${k}`;
    const push = (e: IncidentEvent) => {
      events.push(e);
      after = apply(after, e);
    };
    const setIfAbsent = (k: string, value: FieldValue) => {
      if (after.values[p(k)] === undefined && !after.unknowns.includes(p(k)) && !setByPerson(after, p(k))) push({ type: 'fact-set', at: nowMs, actor, path: p(k), value });
    };
    setIfAbsent('ref', networkId);
    // A route's `outage:` states what the alert means for the main function (Art. 31(4), 31(5)).
    if (route?.outage) {
      setIfAbsent('disrupted', true);
      if (route.outage.provinces !== undefined) setIfAbsent('outage.provinces', route.outage.provinces);
      if (route.outage.failureRatePercent !== undefined) setIfAbsent('outage.failureRatePercent', route.outage.failureRatePercent);
    }
    const windows = ctx.networks.find((n) => n.id === networkId)?.peakWindows ?? [];
    const wanted = outageFromAlerts(after.alerts.filter((a) => a.network === index), windows);
    // Intervals that a late alert joined into one leave no earlier interval behind.
    for (const k of ['outage.priorMinutes', 'outage.priorPeakMinutes']) if (wanted[k] === undefined && typeof after.values[p(k)] === 'number') wanted[k] = 0;
    for (const [k, value] of Object.entries(wanted)) {
      const path = p(k);
      if (after.values[path] === value) continue;
      if (setByPerson(after, path)) {
        kept.push([path, value]);
        continue;
      }
      push({ type: 'fact-set', at: nowMs, actor: sourceActor(signal.source), path, value });
    }
  }
  return { events, kept, replays };
}

/** The events that link one alert occurrence to network `index` of the incident (linkAlerts with one item). */
export function linkAlert(s: IncidentState, signal: AlertSignal, index: number, networkId: string, route: AlertRoute | null, nowMs: number, ctx: AssessContext): AlertLink {
  const { events, kept } = linkAlerts(s, [{ signal, index, networkId, route }], nowMs, ctx);
  return { events, kept };
}
