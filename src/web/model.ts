// What the compliance web page shows, derived from incident state and `now`. Pure: the adapter loads
// the incidents and renders these models as HTML; the chart reads the same timeline model.
import { t, type Lang } from '../i18n/index.ts';
import { assess } from '../incident/assess.ts';
import type { IncidentEvent } from '../incident/events.ts';
import { awaitingConfirmation, type IncidentState } from '../incident/state.ts';
import { buildCard } from '../conversation/card.ts';
import { formatDurationMs, formatShanghai } from '../conversation/parse.ts';
import { fieldDef } from '../conversation/questions.ts';
import type { BotConfig } from '../config/bot-config.ts';
import type { IncidentCard } from '../conversation/types.ts';
import { amendmentChanges } from '../reports/amendments.ts';
import { categoryLabel } from '../reports/gbt20986.ts';
import { REPORT_KINDS, type ReportKind } from '../regimes/pboc-2025-4/deadlines.ts';
import { anyChannelText, channelText, gradeText, kindText } from '../reports/format.ts';
import { regimeKindText, regimeText } from '../reports/regime-words.ts';
import type { Grade } from '../regimes/pboc-2025-4/grades.ts';
import { parseIso } from '../calendar/time.ts';
import type { RegimeId } from '../regimes/port.ts';
import { obligationRow, recordObligations, regimeConfigOf, type ObligationRow } from './regime-obligations.ts';

export interface NowIncident {
  card: IncidentCard; // grade, basis, deadlines (with Beijing time and time left), awaiting, parallel duties
  nextDueMs: number | null; // the earliest obligation not yet met
  /** Report kinds sent only by email or fax and not yet confirmed received (Art. 18): their deadline is not safely met. */
  awaitingKinds: string[];
  /** Every regime's obligations (PBoC's first; its rows are also the card's deadlines), each with its regime, article and recipient. */
  obligations: ObligationRow[];
  /** The regimes the incident has obligations under, in the registry's order. */
  regimes: RegimeId[];
}

/** The regimes of these obligations, each once, in the order given; PBoC's first and always (it binds every incident here). */
export function regimesOf(rows: ReadonlyArray<{ regime: RegimeId }>): RegimeId[] {
  return [...new Set<RegimeId>(['pboc', ...rows.map((r) => r.regime)])];
}

/** Report kinds whose every submission still awaits PBoC's receipt confirmation (Art. 18). */
export function awaitingKindsOf(s: IncidentState): string[] {
  const waiting = new Set(awaitingConfirmation(s).map((r) => r.kind as string));
  const settled = new Set(s.reports.filter((r) => !awaitingConfirmation(s).includes(r)).map((r) => r.kind as string));
  return [...waiting].filter((k) => !settled.has(k));
}

export interface AwaitingRow {
  incidentId: string;
  title: string;
  drill: boolean;
  reportId: string;
  kind: string;
  channel: string;
  sentAt: string; // Beijing minute
  since: string; // how long it has waited
}

export interface NowModel {
  incidents: NowIncident[]; // real incidents, next deadline first
  drills: NowIncident[]; // drills, kept apart
  awaiting: AwaitingRow[]; // every email/fax submission awaiting Art. 18 confirmation (real incidents), oldest first
  drillAwaiting: AwaitingRow[];
}

function nextDue(card: IncidentCard, others: readonly ObligationRow[] = []): number | null {
  const open = card.deadlines.filter((d) => d.status !== 'met').map((d) => parseIso(d.dueAt))
    .concat(others.filter((o) => o.regime !== 'pboc' && o.status !== 'met' && o.dueMs !== null).map((o) => o.dueMs!));
  return open.length ? Math.min(...open) : null;
}

function byNextDue(a: NowIncident, b: NowIncident): number {
  if (a.nextDueMs === null || b.nextDueMs === null) return a.nextDueMs === null ? (b.nextDueMs === null ? a.card.incidentId.localeCompare(b.card.incidentId) : 1) : -1;
  return a.nextDueMs - b.nextDueMs || a.card.incidentId.localeCompare(b.card.incidentId);
}

function awaitingRows(s: IncidentState, nowMs: number, lang: Lang): AwaitingRow[] {
  return awaitingConfirmation(s).map((r) => ({
    incidentId: s.id, title: s.title, drill: s.drill, reportId: r.reportId, kind: kindText(r.kind, lang),
    channel: channelText(r.channel, lang), sentAt: formatShanghai(r.at), since: formatDurationMs(Math.max(0, nowMs - r.at), lang),
  }));
}

/** The "Now" page: every open incident by its next deadline, and what awaits PBoC's confirmation. */
/**
 * One incident of the Now page, and until when it reads the same: its texts count minutes down to (or up from) its
 * deadlines, escalations and unconfirmed submissions, so it changes only when one of those counts ticks.
 */
export function nowIncident(s: IncidentState, nowMs: number, lang: Lang, config: BotConfig): { entry: NowIncident; sameUntilMs: number } {
  const a = assess(s, nowMs, config.assess);
  const card = buildCard(s, nowMs, lang, config, a);
  const obligations = recordObligations(s, nowMs, config.assess.calendar, regimeConfigOf(config.institution), a);
  const anchors = [
    ...a.deadlines.immediate, ...a.deadlines.deadlines, ...(a.deadlines.riskFeedback ? [a.deadlines.riskFeedback] : []),
  ].map((d) => d.dueAtMs).concat(a.escalations.map((e) => e.atMs), awaitingConfirmation(s).map((r) => r.at),
    obligations.filter((o) => o.regime !== 'pboc' && o.dueAtMs !== null).map((o) => o.dueAtMs!));
  const tick = (anchor: number) => {
    const r = Math.abs(anchor - nowMs) % 60_000;
    return anchor > nowMs ? nowMs + (r === 0 ? 1 : r) : nowMs + 60_000 - r;
  };
  const rows = obligations.map((o) => obligationRow(o, nowMs, lang));
  return { entry: { card, nextDueMs: nextDue(card, rows), awaitingKinds: awaitingKindsOf(s), obligations: rows, regimes: regimesOf(rows) }, sameUntilMs: Math.min(nowMs + 3_600_000, ...anchors.map(tick)) };
}

export function nowModel(open: readonly IncidentState[], nowMs: number, lang: Lang, config: BotConfig, entryOf?: (s: IncidentState) => NowIncident): NowModel {
  const entries = open.map((s) => ({ s, entry: entryOf ? entryOf(s) : nowIncident(s, nowMs, lang, config).entry }));
  const pick = (drill: boolean) => entries.filter((e) => e.s.drill === drill);
  const awaiting = (drill: boolean) => pick(drill).flatMap((e) => awaitingRows(e.s, nowMs, lang)).sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  return {
    incidents: pick(false).map((e) => e.entry).sort(byNextDue),
    drills: pick(true).map((e) => e.entry).sort(byNextDue),
    awaiting: awaiting(false),
    drillAwaiting: awaiting(true),
  };
}

type NetworkNames = ReadonlyArray<{ id: string; name: string }>;

export interface LogRow {
  atMs: number;
  at: string; // Beijing minute
  who: string;
  what: string;
}

export interface GradeStep {
  atMs: number; // when the facts met it (effectiveAt)
  grade: Grade;
  text: string;
}

export interface DeadlineRow {
  label: string;
  article: number;
  dueMs: number;
  due: string;
  metMs: number | null;
  status: 'pending' | 'met' | 'overdue';
  kind: string;
  late: boolean;
  provisional: boolean;
  left: string;
}

export interface TimelineModel {
  card: IncidentCard;
  awaitingKinds: string[];
  log: LogRow[];
  grades: GradeStep[];
  deadlines: DeadlineRow[];
  /** Every regime's obligations, PBoC's first. */
  obligations: ObligationRow[];
  nowMs: number;
}

function valueText(path: string, value: string | number | boolean, lang: Lang, networks: NetworkNames): string {
  const type = safeField(path)?.type;
  // Words, not codes: "尚未恢复", the category's name, 无.
  if (type === 'time-or-no' && value === false) return t(lang, 'answer.notRestored');
  if (type === 'category' && typeof value === 'string') return categoryLabel(value, undefined, lang) ?? value;
  if (type === 'grade-or-none' && value === 'none') return t(lang, 'answer.none');
  if (typeof value === 'boolean') return t(lang, value ? 'web.yes' : 'web.no');
  if (type === 'network' && typeof value === 'string') return networks.find((n) => n.id === value)?.name ?? value;
  if (typeof value === 'number' && (type === 'time' || type === 'time-or-no')) return formatShanghai(value);
  return String(value);
}

function safeField(path: string) {
  try {
    return fieldDef(path);
  } catch {
    return null;
  }
}

function fieldLabel(path: string, lang: Lang): string {
  return safeField(path)?.label[lang] ?? path;
}

/** A reminder's key (`INC-…:immediate@1790658000080:T0`, `INC-…:confirm:R1:…`) as the obligation it was about. */
function reminderText(key: string, lang: Lang): string {
  const m = /^[^:]+:([a-z-]+)(?:@\d+)?(?::(R\d+))?/.exec(key);
  const kind = m?.[1];
  if (kind === 'confirm') return `${t(lang, 'field.confirmedAt')}${m?.[2] ? ` ${m[2]}` : ''}`;
  return kind && (REPORT_KINDS as readonly string[]).includes(kind) ? kindText(kind as ReportKind, lang) : key;
}

/** One event of the log as a reader would say it. */
/** One event in words. `s`, the incident as folded, gives an amendment's values before it (the event holds only the new ones). */
export function describeEvent(e: IncidentEvent, lang: Lang, networks: NetworkNames = [], s?: IncidentState): string {
  switch (e.type) {
    case 'created': return t(lang, 'web.ev.created', { title: e.title });
    case 'fact-set': return t(lang, 'web.ev.factSet', { field: fieldLabel(e.path, lang), value: valueText(e.path, e.value, lang, networks) });
    case 'fact-unknown': return t(lang, 'web.ev.factUnknown', { field: fieldLabel(e.path, lang) });
    case 'fact-cleared': return t(lang, 'web.ev.factCleared', { field: fieldLabel(e.path, lang) });
    case 'grade-raised': return t(lang, 'web.ev.raised', { from: e.from ? gradeText(e.from, lang) : '', to: gradeText(e.to, lang), effective: formatShanghai(e.effectiveAt) });
    case 'grade-lowered': return t(lang, 'web.ev.lowered', { from: gradeText(e.from, lang), to: gradeText(e.to, lang), reason: e.reason });
    case 't0-set': return t(lang, 'web.ev.t0', { at: formatShanghai(e.t0) });
    case 'clock-earlier': return t(lang, 'web.ev.clockEarlier', { clock: e.clock === 't0' ? (lang === 'en' ? 'Clock start (T0)' : '时限起算（T0）') : (lang === 'en' ? 'Start of Major (progress clock)' : '达到重大时间（进展报告起算）'), from: formatShanghai(e.from), to: formatShanghai(e.to), basis: lang === 'en' ? e.basis.map((b) => (b.item === null ? `Art. ${b.article}` : `Art. ${b.article}(${b.item})`)).join(', ') : e.basis.map((b) => b.reason).join('；') });
    case 'report-submitted': return t(lang, 'web.ev.report', { id: e.reportId, kind: kindText(e.kind, lang), channel: channelText(e.channel, lang), to: e.recipient });
    case 'regime-report-submitted': return t(lang, 'web.ev.report', { id: e.reportId, kind: `${regimeText(e.regime, lang)} ${regimeKindText(e.regime, e.kind, lang)}`, channel: anyChannelText(e.channel, lang), to: e.recipient });
    case 'receipt-confirmed': return t(lang, 'web.ev.confirmed', { id: e.reportId, contact: e.contact, channel: channelText(e.channel, lang), at: formatShanghai(e.confirmedAt) });
    case 'resolved': return t(lang, 'web.ev.resolved', { at: formatShanghai(e.resolvedAt) });
    case 'reopened': return t(lang, 'web.ev.reopened');
    case 'corrected': return t(lang, 'web.ev.corrected', { field: t(lang, e.field === 't0' ? 'field.t0' : 'field.occurredAt'), from: e.from === null ? '-' : formatShanghai(e.from), to: formatShanghai(e.to), reason: e.reason });
    case 'report-contact': return t(lang, 'web.ev.contact', { id: e.reportId, contact: e.contact });
    case 'report-voided': return t(lang, 'history.voided', { id: e.reportId, kind: '', actor: e.actor, reason: e.reason }).replace(/（）|\(\) /, '');
    case 'report-amended': {
      const after = { ...(e.reportedAt !== undefined ? { at: e.reportedAt } : {}), ...(e.contact !== undefined ? { contact: e.contact } : {}), ...(e.summary !== undefined ? { summary: e.summary } : {}) };
      const before = [...(s?.reports ?? []), ...(s?.regimeReports ?? [])].find((r) => r.reportId === e.reportId)?.amendments?.find((x) => x.at === e.at && x.reason === e.reason)?.before;
      return t(lang, 'history.amended', { id: e.reportId, kind: '', changes: amendmentChanges({ after, ...(before ? { before } : {}) }, lang), actor: e.actor, reason: e.reason }).replace(/（）|\(\) /, '');
    }
    case 'feedback-received': return t(lang, 'web.ev.feedback', { at: formatShanghai(e.receivedAt) });
    case 'risk-notice': return t(lang, 'web.ev.risk', { due: formatShanghai(e.dueAt), summary: e.summary });
    case 'milestone': return t(lang, 'web.ev.milestone', { text: e.text });
    case 'note': return t(lang, 'web.ev.note', { text: e.text });
    case 'reminder-sent': return t(lang, 'web.ev.reminder', { key: reminderText(e.key, lang), late: e.late });
    case 'reminder-acked': return t(lang, 'web.ev.ack', { what: e.obligation === 'confirm' ? `${t(lang, 'ack.confirmOf')} ${e.reportId ?? ''}` : kindText(e.obligation, lang), step: e.step ?? '' });
    case 'alert': return t(lang, e.status === 'firing' ? 'web.ev.alertFiring' : 'web.ev.alertResolved', { source: e.source, name: e.name, at: formatShanghai(e.status === 'firing' ? e.startsAt : e.endsAt ?? e.startsAt) });
  }
}

/** The "Timeline" page of one incident: its log as it happened, the grade over time, each deadline and when it was met. */
export function timelineModel(s: IncidentState, events: readonly IncidentEvent[], nowMs: number, lang: Lang, config: BotConfig): TimelineModel {
  const a = assess(s, nowMs, config.assess);
  const card = buildCard(s, nowMs, lang, config, a);
  const log = events.map((e) => ({ atMs: e.at, at: formatShanghai(e.at), who: e.actor, what: describeEvent(e, lang, config.assess.networks, s) }));
  const grades = s.gradeHistory.map((g) => ({ atMs: g.effectiveAt, grade: g.to, text: gradeText(g.to, lang) }));
  const all = [...a.deadlines.immediate, ...a.deadlines.deadlines, ...(a.deadlines.riskFeedback ? [a.deadlines.riskFeedback] : [])];
  const deadlines = all.map((d, i) => ({
    label: card.deadlines[i]?.label ?? kindText(d.kind, lang),
    article: d.article,
    kind: d.kind as string,
    dueMs: d.dueAtMs,
    due: card.deadlines[i]?.dueText ?? formatShanghai(d.dueAtMs),
    metMs: d.metAtMs ?? null,
    status: d.status,
    late: d.late === true,
    provisional: d.provisional === true,
    left: card.deadlines[i]?.leftText ?? '',
  }));
  const obligations = recordObligations(s, nowMs, config.assess.calendar, regimeConfigOf(config.institution), a).map((o) => obligationRow(o, nowMs, lang));
  return { card, awaitingKinds: awaitingKindsOf(s), log, grades, deadlines, obligations, nowMs };
}
