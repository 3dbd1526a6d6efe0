import type { Channel, ConfirmChannel } from '../regimes/pboc-2025-4/channels.ts';
import { needsReceiptConfirmation } from '../regimes/pboc-2025-4/channels.ts';
import type { ReportKind } from '../regimes/pboc-2025-4/deadlines.ts';
import { atLeast, type Grade } from '../regimes/pboc-2025-4/grades.ts';
import type { IncidentEvent, RecordedBasis, RegimeObligationKey } from './events.ts';
import type { RegimeId } from '../regimes/port.ts';
import type { FieldValue } from './fields.ts';

export interface ReportRecord {
  reportId: string;
  kind: ReportKind;
  channel: Channel;
  recipient: string;
  at: number; // when it was sent (Art. 25 报告时间)
  recordedAt: number; // when it was recorded in the bot
  actor: string;
  contact?: string; // who at PBoC received it
  contentSource?: 'draft' | 'user';
  committedDate?: string;
  summary?: string;
  summaryCut?: number; // characters of the content cut beyond the cap, said in the reply and the ledger
  confirmation?: { channel: ConfirmChannel; contact: string; confirmedAt: number; actor: string; at: number };
  /** Voided by a person with a reason: kept in the record, marked, and no longer meets its obligation. */
  voided?: { reason: string; at: number; actor: string };
  /** Each amendment, oldest first: what it changed and the values before it (the original is amendments[0].before). */
  amendments?: ReportAmendment[];
}

/** A report under another regime: same record, void and amendment as PBoC's, with the regime's own kind. */
export interface RegimeReportRecord extends Omit<ReportRecord, 'kind' | 'channel' | 'confirmation' | 'committedDate' | 'contentSource'> {
  regime: Exclude<RegimeId, 'pboc'>;
  kind: string;
  channel: string;
}

/** One amendment of a report: the changed fields (new values) and the same fields before it. */
export interface ReportAmendment {
  at: number; // when recorded
  actor: string;
  reason: string;
  before: { at: number; contact?: string; summary?: string; summaryCut?: number };
  after: { at?: number; contact?: string; summary?: string };
}

export interface GradeChange {
  from: Grade | null;
  to: Grade;
  at: number; // when recorded
  effectiveAt: number; // when the facts met it
  actor: string;
  basis: RecordedBasis[];
  loweredReason?: string;
}

/** One alert occurrence linked to the incident (src/alerts); endsAt null while it fires. */
export interface AlertOccurrence {
  source: string;
  alertId: string;
  name: string;
  network: number;
  startsAt: number;
  endsAt: number | null;
  linkedAt: number;
}

export interface IncidentState {
  id: string;
  title: string;
  conversation: string;
  drill: boolean;
  createdAt: number;
  createdBy: string;
  values: Record<string, FieldValue>; // facts as set, by concrete path
  unknowns: string[]; // paths answered "unknown"
  grade: Grade | null; // as recorded: raised as facts require, lowered only explicitly
  gradeHistory: GradeChange[];
  t0: number | null; // anchor of the 1 h and 24 h clocks
  t0Backdated: boolean;
  majorAt: number | null; // when the grade first reached 重大
  reports: ReportRecord[];
  regimeReports: RegimeReportRecord[]; // reports under the other regimes, in the order recorded
  resolvedAt: number | null;
  feedbackReceivedAt: number | null;
  riskNotice: { receivedAt: number; dueAt: number; summary: string } | null;
  milestones: Array<{ at: number; text: string; actor: string }>;
  corrections: Array<{ field: 't0' | 'occurredAt'; from: number | null; to: number; reason: string; at: number; actor: string }>;
  notes: Array<{ at: number; text: string; actor: string }>;
  remindersSent: string[];
  acks: Array<{ obligation: ReportKind | 'confirm' | RegimeObligationKey; reportId?: string; step?: string; at: number; actor: string }>; // reminders acknowledged
  alerts: AlertOccurrence[]; // monitoring alerts linked to the incident
  valueBy: Record<string, { actor: string; at: number; reason?: string; since?: number }>; // who last set each fact; since: when it became true, if said
  clockMoves: Array<{ clock: 't0' | 'major'; from: number; to: number; at: number; basis: RecordedBasis[] }>; // clocks moved earlier by later facts
  lastEventAt: number;
  version: number;
}

export function emptyState(): IncidentState {
  return {
    id: '', title: '', conversation: '', drill: false, createdAt: 0, createdBy: '', values: {}, unknowns: [],
    grade: null, gradeHistory: [], t0: null, t0Backdated: false, majorAt: null, reports: [], regimeReports: [], resolvedAt: null,
    feedbackReceivedAt: null, riskNotice: null, milestones: [], corrections: [], notes: [], remindersSent: [], acks: [], alerts: [], valueBy: {}, clockMoves: [], lastEventAt: 0, version: 0,
  };
}

/** Applies one event. Pure: returns a new state. */
export function apply(s: IncidentState, e: IncidentEvent): IncidentState {
  const n: IncidentState = { ...s, version: s.version + 1, lastEventAt: Math.max(s.lastEventAt, e.at) };
  switch (e.type) {
    case 'created':
      return { ...n, id: e.id, title: e.title, conversation: e.conversation, drill: e.drill ?? false, createdAt: e.at, createdBy: e.actor };
    case 'fact-set': {
      const values = { ...s.values, [e.path]: e.value };
      // 较大舆情 starts the Art. 15 clocks for an incident below 较大 (rules.md reading of T0).
      const t0 = e.path === 'publicOpinion' && e.value === true && s.t0 === null ? e.at : s.t0;
      const valueBy = { ...s.valueBy, [e.path]: { actor: e.actor, at: e.at, ...(e.reason ? { reason: e.reason } : {}), ...(e.since !== undefined ? { since: e.since } : {}) } };
      return { ...n, values, unknowns: s.unknowns.filter((p) => p !== e.path), t0, valueBy };
    }
    case 'fact-unknown': {
      const { [e.path]: _dropped, ...values } = s.values;
      return { ...n, values, unknowns: s.unknowns.includes(e.path) ? s.unknowns : [...s.unknowns, e.path] };
    }
    case 'fact-cleared': {
      const { [e.path]: _dropped, ...values } = s.values;
      // Who cleared it: a value a person cleared is not set again by a monitoring source.
      return { ...n, values, unknowns: s.unknowns.filter((p) => p !== e.path), valueBy: { ...s.valueBy, [e.path]: { actor: e.actor, at: e.at } } };
    }
    case 'grade-raised': {
      const change: GradeChange = { from: e.from, to: e.to, at: e.at, effectiveAt: e.effectiveAt, actor: e.actor, basis: e.basis };
      const t0 = s.t0 === null && atLeast(e.to, '较大') ? e.effectiveAt : s.t0;
      const majorAt = s.majorAt === null && atLeast(e.to, '重大') ? e.effectiveAt : s.majorAt;
      return { ...n, grade: e.to, gradeHistory: [...s.gradeHistory, change], t0, majorAt };
    }
    case 'grade-lowered': {
      const change: GradeChange = { from: e.from, to: e.to, at: e.at, effectiveAt: e.at, actor: e.actor, basis: [], loweredReason: e.reason };
      return { ...n, grade: e.to, gradeHistory: [...s.gradeHistory, change] };
    }
    case 'clock-earlier': {
      const clockMoves = [...(s.clockMoves ?? []), { clock: e.clock, from: e.from, to: e.to, at: e.at, basis: e.basis }];
      return e.clock === 't0' ? { ...n, t0: Math.min(e.to, s.t0 ?? Infinity), clockMoves } : { ...n, majorAt: Math.min(e.to, s.majorAt ?? Infinity), clockMoves };
    }
    case 't0-set':
      return { ...n, t0: e.t0, t0Backdated: true };
    case 'corrected': {
      const corrections = [...s.corrections, { field: e.field, from: e.from, to: e.to, reason: e.reason, at: e.at, actor: e.actor }];
      if (e.field === 't0') return { ...n, t0: e.to, corrections };
      return { ...n, values: { ...s.values, occurredAt: e.to }, corrections };
    }
    case 'report-submitted':
      return {
        ...n,
        reports: [...s.reports, {
          reportId: e.reportId, kind: e.kind, channel: e.channel, recipient: e.recipient, at: e.reportedAt ?? e.at, recordedAt: e.at, actor: e.actor,
          ...(e.contact ? { contact: e.contact } : {}), ...(e.contentSource ? { contentSource: e.contentSource } : {}),
          ...(e.committedDate ? { committedDate: e.committedDate } : {}), ...(e.summary ? { summary: e.summary } : {}),
          ...(e.summaryCut ? { summaryCut: e.summaryCut } : {}),
        }],
      };
    case 'regime-report-submitted':
      return {
        ...n,
        regimeReports: [...s.regimeReports, {
          reportId: e.reportId, regime: e.regime, kind: e.kind, channel: e.channel, recipient: e.recipient, at: e.reportedAt ?? e.at, recordedAt: e.at, actor: e.actor,
          ...(e.contact ? { contact: e.contact } : {}), ...(e.summary ? { summary: e.summary } : {}), ...(e.summaryCut ? { summaryCut: e.summaryCut } : {}),
        }],
      };
    case 'report-contact':
      return { ...n, reports: s.reports.map((r) => (r.reportId === e.reportId ? { ...r, contact: e.contact } : r)), regimeReports: s.regimeReports.map((r) => (r.reportId === e.reportId ? { ...r, contact: e.contact } : r)) };
    case 'report-voided': {
      const voided = { reason: e.reason, at: e.at, actor: e.actor };
      return { ...n, reports: s.reports.map((r) => (r.reportId === e.reportId ? { ...r, voided } : r)), regimeReports: s.regimeReports.map((r) => (r.reportId === e.reportId ? { ...r, voided } : r)) };
    }
    case 'report-amended': {
      const amend = <R extends ReportRecord | RegimeReportRecord>(r: R): R => {
        if (r.reportId !== e.reportId) return r;
        const after = { ...(e.reportedAt !== undefined ? { at: e.reportedAt } : {}), ...(e.contact !== undefined ? { contact: e.contact } : {}), ...(e.summary !== undefined ? { summary: e.summary } : {}) };
        const before = {
          at: r.at, ...(r.contact !== undefined ? { contact: r.contact } : {}), ...(r.summary !== undefined ? { summary: r.summary } : {}),
          ...(r.summaryCut ? { summaryCut: r.summaryCut } : {}),
        };
        const amendment: ReportAmendment = { at: e.at, actor: e.actor, reason: e.reason, before, after };
        const { summaryCut: _was, ...rest } = r;
        const content = e.summary !== undefined ? { ...('regime' in r ? {} : { contentSource: 'user' as const }), ...(e.summaryCut ? { summaryCut: e.summaryCut } : {}) } : r.summaryCut ? { summaryCut: r.summaryCut } : {};
        return { ...rest, ...after, ...content, amendments: [...(r.amendments ?? []), amendment] } as R;
      };
      return { ...n, reports: s.reports.map(amend), regimeReports: s.regimeReports.map(amend) };
    }
    case 'receipt-confirmed':
      return {
        ...n,
        reports: s.reports.map((r) => (r.reportId === e.reportId
          ? { ...r, confirmation: { channel: e.channel, contact: e.contact, confirmedAt: e.confirmedAt, actor: e.actor, at: e.at } }
          : r)),
      };
    case 'resolved':
      return { ...n, resolvedAt: e.resolvedAt };
    case 'reopened':
      return { ...n, resolvedAt: null };
    case 'feedback-received':
      return { ...n, feedbackReceivedAt: e.receivedAt };
    case 'risk-notice':
      return { ...n, riskNotice: { receivedAt: e.receivedAt, dueAt: e.dueAt, summary: e.summary } };
    case 'milestone':
      return { ...n, milestones: [...s.milestones, { at: e.at, text: e.text, actor: e.actor }] };
    case 'note':
      return { ...n, notes: [...s.notes, { at: e.at, text: e.text, actor: e.actor }] };
    case 'reminder-sent':
      return { ...n, remindersSent: [...s.remindersSent, e.key] };
    case 'reminder-acked':
      return { ...n, acks: [...s.acks, { obligation: e.obligation, ...(e.reportId ? { reportId: e.reportId } : {}), ...(e.step ? { step: e.step } : {}), at: e.at, actor: e.actor }] };
    case 'alert': {
      // The same occurrence (source, id, start) reported again updates its end; a new start is a new occurrence.
      const same = (a: AlertOccurrence) => a.source === e.source && a.alertId === e.alertId && a.startsAt === e.startsAt;
      const endsAt = e.status === 'resolved' ? e.endsAt : null;
      const alerts = s.alerts.some(same)
        ? s.alerts.map((a) => (same(a) ? { ...a, endsAt, network: e.network } : a))
        : [...s.alerts, { source: e.source, alertId: e.alertId, name: e.name, network: e.network, startsAt: e.startsAt, endsAt, linkedAt: e.at }];
      return { ...n, alerts };
    }
  }
}

export function fold(events: readonly IncidentEvent[]): IncidentState {
  return events.reduce(apply, emptyState());
}

/** The configured network a recorded one (`networks.<i>`) refers to, by its ref. */
export function configuredNetwork<N extends { id: string }>(values: IncidentState['values'], i: number | string, networks: readonly N[]): N | undefined {
  const ref = values[`networks.${i}.ref`];
  return typeof ref === 'string' ? networks.find((n) => n.id === ref) : undefined;
}

/** What a recorded network (`networks.<i>`) is called: the name typed for it, else its configured network's. */
export function recordedNetworkName(values: IncidentState['values'], i: number | string, networks: ReadonlyArray<{ id: string; name: string }>): string | undefined {
  const typed = values[`networks.${i}.name`];
  return typeof typed === 'string' ? typed : configuredNetwork(values, i, networks)?.name;
}

/** Email and fax submissions still waiting for a phone or IM confirmation of receipt (Art. 18). */
export function awaitingConfirmation(s: IncidentState): ReportRecord[] {
  return s.reports.filter((r) => needsReceiptConfirmation(r.channel) && !r.confirmation && !r.voided);
}

/** Art. 18 ¶2: a post-incident report or revision counts once it went in writing with the seal. A voided report counts for nothing. */
export function meetsObligation(r: ReportRecord): boolean {
  if (r.voided) return false;
  return (r.kind !== 'final' && r.kind !== 'revision') || r.channel === 'written';
}

/**
 * Whether the incident still has obligations: open until handling ended, the post-incident report
 * (and any revision PBoC asked for) went in, and every email or fax submission was confirmed.
 */
export function isOpen(s: IncidentState): boolean {
  if (s.resolvedAt === null) return true;
  if (awaitingConfirmation(s).length > 0) return true;
  if (!s.reports.some((r) => r.kind === 'final' && meetsObligation(r) && r.at >= s.resolvedAt!)) return true;
  if (s.feedbackReceivedAt !== null && !s.reports.some((r) => r.kind === 'revision' && meetsObligation(r) && r.at >= s.feedbackReceivedAt!)) return true;
  if (s.riskNotice !== null && !s.reports.some((r) => r.kind === 'risk-feedback' && !r.voided)) return true;
  return false;
}
