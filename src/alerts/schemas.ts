// The payloads the monitoring systems send, as each documents them, parsed with zod into AlertSignal[].
import { z } from 'zod';
import type { AlertSignal, AlertSource } from './signal.ts';

const labelMap = z.record(z.string(), z.string());
// Go's zero time: Alertmanager sends it as endsAt of a firing alert.
const ZERO_TIME = /^0001-01-01T/;
const rfc3339 = z.string().refine((s) => ZERO_TIME.test(s) || !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time');

/** Alertmanager webhook v4 (webhook_configs); Grafana sends the same shape plus its own fields. */
const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap,
  annotations: labelMap.default({}),
  startsAt: rfc3339,
  endsAt: rfc3339.optional(),
  fingerprint: z.string().min(1).max(200),
  generatorURL: z.string().optional(),
});

export const AlertmanagerPayload = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelMap.default({}),
  commonLabels: labelMap.default({}),
  commonAnnotations: labelMap.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(AlertmanagerAlert).min(1).max(1000),
});

/** Grafana alerting webhook: Alertmanager v4 plus orgId, values, dashboardURL, panelURL, silenceURL... */
export const GrafanaPayload = AlertmanagerPayload.extend({
  version: z.string(),
  orgId: z.number().int(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
  alerts: z.array(AlertmanagerAlert.extend({
    values: z.record(z.string(), z.number().nullable()).nullable().optional(),
    valueString: z.string().optional(),
    dashboardURL: z.string().optional(),
    panelURL: z.string().optional(),
    silenceURL: z.string().optional(),
  })).min(1).max(1000),
});

const unixSeconds = z.number().int().nonnegative();

/** Nightingale (夜莺) callback: one AlertCurEvent, times in Unix seconds, tags as "key=value". */
export const NightingalePayload = z.object({
  hash: z.string().min(1).max(200),
  rule_name: z.string().min(1),
  rule_note: z.string().optional(),
  severity: z.number().int().min(1).max(3), // 1 紧急 2 警告 3 通知
  tags: z.array(z.string()).default([]),
  tags_map: labelMap.optional(),
  annotations: labelMap.nullable().optional(),
  first_trigger_time: unixSeconds,
  trigger_time: unixSeconds,
  last_eval_time: unixSeconds,
  is_recovered: z.union([z.boolean(), z.literal(0), z.literal(1)]),
  recover_time: unixSeconds.optional(),
  target_ident: z.string().optional(),
  group_name: z.string().optional(),
});

export type ParseResult = { ok: true; signals: AlertSignal[] } | { ok: false; field: string; message: string };

function failure(error: z.ZodError): ParseResult {
  const issue = error.issues[0]!;
  return { ok: false, field: issue.path.join('.') || '(body)', message: issue.message };
}

const summaryOf = (a: Record<string, string>) => (a.summary ?? a.description ?? a.message ?? '').slice(0, 500);

function fromAlertmanagerShape(source: AlertSource, alerts: z.infer<typeof AlertmanagerAlert>[]): ParseResult {
  const signals: AlertSignal[] = [];
  for (const [i, a] of alerts.entries()) {
    const startsAtMs = Date.parse(a.startsAt);
    const resolved = a.status === 'resolved';
    const endsAtMs = resolved && a.endsAt && !ZERO_TIME.test(a.endsAt) ? Date.parse(a.endsAt) : null;
    if (ZERO_TIME.test(a.startsAt)) return { ok: false, field: `alerts.${i}.startsAt`, message: 'a firing or resolved alert needs its start time' };
    if (resolved && endsAtMs === null) return { ok: false, field: `alerts.${i}.endsAt`, message: 'a resolved alert needs its end time' };
    if (endsAtMs !== null && endsAtMs < startsAtMs) return { ok: false, field: `alerts.${i}.endsAt`, message: 'ends before it starts' };
    signals.push({
      source, alertId: a.fingerprint, name: a.labels.alertname ?? a.fingerprint, status: a.status, labels: a.labels,
      summary: summaryOf(a.annotations), startsAtMs, endsAtMs,
    });
  }
  return { ok: true, signals };
}

function fromNightingale(e: z.infer<typeof NightingalePayload>): ParseResult {
  const labels: Record<string, string> = { ...e.tags_map };
  for (const tag of e.tags) {
    const at = tag.indexOf('=');
    if (at > 0) labels[tag.slice(0, at)] = tag.slice(at + 1);
  }
  labels.rulename ??= e.rule_name;
  const recovered = e.is_recovered === true || e.is_recovered === 1;
  const restoredS = e.recover_time && e.recover_time > 0 ? e.recover_time : e.last_eval_time;
  if (recovered && restoredS < e.first_trigger_time) return { ok: false, field: 'recover_time', message: 'recovered before it first triggered' };
  return {
    ok: true,
    signals: [{
      source: 'nightingale', alertId: e.hash, name: e.rule_name, status: recovered ? 'resolved' : 'firing', labels,
      summary: (e.rule_note ?? summaryOf(e.annotations ?? {})).slice(0, 500),
      startsAtMs: e.first_trigger_time * 1000, endsAtMs: recovered ? restoredS * 1000 : null,
    }],
  };
}

/** Parses a source's JSON body; a failure names the first field that did not parse. */
export function parseAlertPayload(source: AlertSource, body: unknown): ParseResult {
  if (source === 'nightingale') {
    const r = NightingalePayload.safeParse(body);
    return r.success ? fromNightingale(r.data) : failure(r.error);
  }
  const r = (source === 'grafana' ? GrafanaPayload : AlertmanagerPayload).safeParse(body);
  return r.success ? fromAlertmanagerShape(source, r.data.alerts) : failure(r.error);
}
