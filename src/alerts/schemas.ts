// The payloads the monitoring systems send, as each documents them, parsed with zod into AlertSignal[].
import { z } from 'zod';
import type { AlertSignal, AlertSource } from './signal.ts';

const labelMap = z.record(z.string(), z.string());
// Go's zero time: Alertmanager sends it as endsAt of a firing alert.
const ZERO_TIME = /^0001-01-01T00:00:00(?:\.0+)?Z$/;

/** How far back an alert may start, and how far ahead of the bot's clock any time may be (clock skew). */
export const MAX_ALERT_AGE_MS = 90 * 86_400_000;
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** An alert name and each label name and value are cut to this many characters (the card says so). */
export const ALERT_NAME_MAX = 200;
export const LABEL_MAX = 200;
/** Labels kept per alert (the first ones, by name); the rest are dropped and the alert marked as cut. */
export const LABELS_MAX = 64;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch ms of an RFC 3339 date-time (section 5.6): four-digit year, every field in range, and an offset (Z or
 * ±hh:mm); null otherwise. Date.parse takes "1" for 2001 and an offset-less time in the process's zone: never used.
 */
export function parseRfc3339(s: string): number | null {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > new Date(Date.UTC(y!, mo!, 0)).getUTCDate() || h! > 23 || mi! > 59 || se! > 59) return null;
  let offsetMin = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(y!, mo! - 1, d!);
  utc.setUTCHours(h!, mi!, se!, ms);
  return utc.getTime() - offsetMin * 60_000;
}

const rfc3339 = z.string().refine((s) => ZERO_TIME.test(s) || parseRfc3339(s) !== null, 'must be an RFC 3339 time with an offset (Z or ±hh:mm), e.g. 2026-11-30T03:20:00Z');

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

const AlertmanagerEnvelope = {
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelMap.default({}),
  commonLabels: labelMap.default({}),
  commonAnnotations: labelMap.default({}),
  externalURL: z.string().default(''),
  // Each alert is read on its own: one bad alert is refused, the others go on.
  alerts: z.array(z.unknown()).min(1).max(1000),
};
export const AlertmanagerPayload = z.object(AlertmanagerEnvelope);

const GrafanaAlert = AlertmanagerAlert.extend({
  values: z.record(z.string(), z.number().nullable()).nullable().optional(),
  valueString: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  silenceURL: z.string().optional(),
});

/** Grafana alerting webhook: Alertmanager v4 plus orgId, values, dashboardURL, panelURL, silenceURL... */
export const GrafanaPayload = z.object({
  ...AlertmanagerEnvelope,
  version: z.string(),
  orgId: z.number().int(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
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

/** One alert refused on its own: the field and the rule it broke. */
export interface Refusal {
  field: string;
  message: string;
}

/**
 * ok: the alerts that passed (refused lists the others, each with its field and rule); not ok: nothing in the
 * body is usable (field and message name the first problem).
 */
export type ParseResult = { ok: true; signals: AlertSignal[]; refused: Refusal[] } | { ok: false; field: string; message: string; refused: Refusal[] };

function firstIssue(error: z.ZodError, prefix = ''): Refusal {
  const issue = error.issues[0]!;
  const path = issue.path.join('.');
  return { field: [prefix, path].filter(Boolean).join('.') || '(body)', message: issue.message };
}

function failure(error: z.ZodError): ParseResult {
  return { ok: false, ...firstIssue(error), refused: [] };
}

const summaryOf = (a: Record<string, string>) => (a.summary ?? a.description ?? a.message ?? '').slice(0, 500);

/** A start is in [now − 90 days, now + 5 min]; a restoration in [start, now + 5 min]. The rule broken, or null. */
export function startRule(startMs: number, nowMs: number): string | null {
  if (startMs < nowMs - MAX_ALERT_AGE_MS) return 'starts more than 90 days before now: not a live outage (a person records an old one)';
  if (startMs > nowMs + MAX_CLOCK_SKEW_MS) return 'starts more than 5 minutes after now: the source\'s clock is wrong';
  return null;
}
export function endRule(startMs: number, endMs: number, nowMs: number): string | null {
  if (endMs < startMs) return 'ends before it starts';
  if (endMs > nowMs + MAX_CLOCK_SKEW_MS) return 'ends more than 5 minutes after now: a restoration cannot be in the future';
  return null;
}

const cutText = (s: string, max: number): [string, boolean] => {
  const chars = [...s];
  return chars.length > max ? [`${chars.slice(0, max - 1).join('')}…`, true] : [s, false];
};

/** Name and labels cut to ALERT_NAME_MAX, LABEL_MAX and LABELS_MAX; cut: whether anything was. */
export function cutSignal(signal: AlertSignal): AlertSignal {
  let cut = false;
  const [name, nameCut] = cutText(signal.name, ALERT_NAME_MAX);
  cut ||= nameCut;
  const entries = Object.entries(signal.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length > LABELS_MAX) cut = true;
  const labels: Record<string, string> = {};
  for (const [k, v] of entries.slice(0, LABELS_MAX)) {
    const [kk, kc] = cutText(k, LABEL_MAX);
    const [vv, vc] = cutText(v, LABEL_MAX);
    cut ||= kc || vc;
    labels[kk] = vv;
  }
  return { ...signal, name, labels, ...(cut ? { cut: true } : {}) };
}

function fromAlertmanagerShape(source: AlertSource, alerts: readonly unknown[], nowMs: number): ParseResult {
  const schema = source === 'grafana' ? GrafanaAlert : AlertmanagerAlert;
  const signals: AlertSignal[] = [];
  const refused: Refusal[] = [];
  for (const [i, raw] of alerts.entries()) {
    const refuse = (field: string, message: string) => void refused.push({ field: `alerts.${i}.${field}`, message });
    const r = schema.safeParse(raw);
    if (!r.success) {
      refused.push(firstIssue(r.error, `alerts.${i}`));
      continue;
    }
    const a = r.data;
    if (ZERO_TIME.test(a.startsAt)) {
      refuse('startsAt', 'a firing or resolved alert needs its start time');
      continue;
    }
    const startsAtMs = parseRfc3339(a.startsAt)!;
    const startBad = startRule(startsAtMs, nowMs);
    if (startBad) {
      refuse('startsAt', startBad);
      continue;
    }
    const resolved = a.status === 'resolved';
    // A firing alert's endsAt is Prometheus's resend horizon, not a restoration: ignored.
    const endsAtMs = resolved && a.endsAt && !ZERO_TIME.test(a.endsAt) ? parseRfc3339(a.endsAt) : null;
    if (resolved && endsAtMs === null) {
      refuse('endsAt', 'a resolved alert needs its end time');
      continue;
    }
    const endBad = endsAtMs === null ? null : endRule(startsAtMs, endsAtMs, nowMs);
    if (endBad) {
      refuse('endsAt', endBad);
      continue;
    }
    signals.push(cutSignal({
      source, alertId: a.fingerprint, name: a.labels.alertname ?? a.fingerprint, status: a.status, labels: a.labels,
      summary: summaryOf(a.annotations), startsAtMs, endsAtMs,
    }));
  }
  return signals.length > 0 ? { ok: true, signals, refused } : { ok: false, ...refused[0]!, refused };
}

function fromNightingale(e: z.infer<typeof NightingalePayload>, nowMs: number): ParseResult {
  const labels: Record<string, string> = { ...e.tags_map };
  for (const tag of e.tags) {
    const at = tag.indexOf('=');
    if (at > 0) labels[tag.slice(0, at)] = tag.slice(at + 1);
  }
  labels.rulename ??= e.rule_name;
  const recovered = e.is_recovered === true || e.is_recovered === 1;
  const restoredS = e.recover_time && e.recover_time > 0 ? e.recover_time : e.last_eval_time;
  const startsAtMs = e.first_trigger_time * 1000;
  const no = (field: string, message: string): ParseResult => ({ ok: false, field, message, refused: [{ field, message }] });
  const startBad = startRule(startsAtMs, nowMs);
  if (startBad) return no('first_trigger_time', startBad);
  if (recovered && restoredS < e.first_trigger_time) return no('recover_time', 'recovered before it first triggered');
  const endBad = recovered ? endRule(startsAtMs, restoredS * 1000, nowMs) : null;
  if (endBad) return no(e.recover_time && e.recover_time > 0 ? 'recover_time' : 'last_eval_time', endBad);
  return {
    ok: true,
    refused: [],
    signals: [cutSignal({
      source: 'nightingale', alertId: e.hash, name: e.rule_name, status: recovered ? 'resolved' : 'firing', labels,
      summary: (e.rule_note ?? summaryOf(e.annotations ?? {})).slice(0, 500),
      startsAtMs, endsAtMs: recovered ? restoredS * 1000 : null,
    })],
  };
}

/**
 * Parses a source's JSON body at `nowMs` (the bot's clock bounds every time); a failure names the first field that
 * did not parse, and each refused alert is listed with its field and rule.
 */
export function parseAlertPayload(source: AlertSource, body: unknown, nowMs: number): ParseResult {
  if (source === 'nightingale') {
    const r = NightingalePayload.safeParse(body);
    return r.success ? fromNightingale(r.data, nowMs) : failure(r.error);
  }
  const r = (source === 'grafana' ? GrafanaPayload : AlertmanagerPayload).safeParse(body);
  return r.success ? fromAlertmanagerShape(source, r.data.alerts, nowMs) : failure(r.error);
}
