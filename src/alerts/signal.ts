// What every monitoring source is reduced to before the core looks at it: plain data, times in epoch ms.

export const ALERT_SOURCES = ['alertmanager', 'grafana', 'nightingale'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

/** The name a person reads: "来自 Alertmanager". */
export const SOURCE_NAME: Record<AlertSource, string> = { alertmanager: 'Alertmanager', grafana: 'Grafana', nightingale: '夜莺 Nightingale' };

/** The actor of events an alert source records (the Art. 25 ledger shows who set a time). */
export const sourceActor = (source: AlertSource): string => `alert:${source}`;

/** The source behind an actor, or null when a person (or the bot) acted. */
export function actorSource(actor: string): AlertSource | null {
  const m = /^alert:([a-z]+)$/.exec(actor);
  return m && (ALERT_SOURCES as readonly string[]).includes(m[1]!) ? (m[1] as AlertSource) : null;
}

/** One alert occurrence as a source reported it. */
export interface AlertSignal {
  source: AlertSource;
  alertId: string; // Alertmanager/Grafana fingerprint, Nightingale hash
  name: string; // alertname / rule_name
  status: 'firing' | 'resolved';
  labels: Record<string, string>; // labels, or Nightingale tags split at the first '='
  summary: string; // annotations.summary / description, or ''
  startsAtMs: number; // startsAt / first_trigger_time
  endsAtMs: number | null; // endsAt / recovery time, only when resolved
  cut?: true; // the name or a label was longer than the documented limit and was cut (schemas.ts)
}

/** The identity a replay shares: the same occurrence reported in the same state. */
export function signalKey(s: AlertSignal): string {
  return `${s.source}:${s.alertId}:${s.startsAtMs}:${s.status}:${s.endsAtMs ?? ''}`;
}
