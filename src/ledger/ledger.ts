// The Art. 25 ledger: for every incident, its time of occurrence, each report's time, the PBoC contact who
// received it and the content reported. One row per report; an incident with no report still gets a row.
import { t, type Lang } from '../i18n/index.ts';
import type { IncidentEvent } from '../incident/events.ts';
import { fold, type IncidentState, type RegimeReportRecord, type ReportRecord } from '../incident/state.ts';
import type { Grade } from '../regimes/pboc-2025-4/grades.ts';
import { isoShanghai } from '../calendar/time.ts';
import type { Store } from '../store/types.ts';
import { amendmentChanges } from '../reports/amendments.ts';
import { anyChannelText, channelText, gradeText, kindText, minute } from '../reports/format.ts';
import { regimeKindText, regimeText } from '../reports/regime-words.ts';

/** One ledger row. Every cell is text ('' when empty), so CSV and XLSX round-trip exactly. */
export interface LedgerRow {
  incidentId: string;
  reportId: string;
  title: string;
  occurredAt: string; // ISO +08:00
  grade: string; // the grade when the report was sent (the current grade on a row without a report)
  reportKind: string;
  reportedAt: string; // ISO +08:00
  channel: string;
  recipient: string;
  pbocContact: string; // who at PBoC received it, else who confirmed receipt (Art. 18, 25)
  confirmedAt: string; // ISO +08:00
  summary: string; // the content reported: the report's own summary, else grade + kind + title
  committedDate: string; // a preliminary report's own committed date for the post-incident report (YYYY-MM-DD)
  recordStatus: string; // '' for a report as recorded; 作废, 原记录, 修改后, 更正 (a row per version, the original first)
  change: string; // who voided, amended or corrected it, when, what changed and why; what the ledger cut
  regime: string; // whom the report went to under which rules: 人民银行 (PBoC Order 2025-4), 网信部门 (CAC), …; '' on a row that is no report
}

/** Column order of every export. */
export const LEDGER_COLUMNS = [
  'incidentId', 'reportId', 'title', 'occurredAt', 'grade', 'reportKind', 'reportedAt', 'channel', 'recipient', 'pbocContact', 'confirmedAt', 'summary',
  'committedDate', 'recordStatus', 'change',
  // Appended, so a script reading the existing columns by position reads them where it always did.
  'regime',
] as const satisfies ReadonlyArray<keyof LedgerRow>;
export type LedgerColumn = (typeof LEDGER_COLUMNS)[number];

export function columnHeader(col: LedgerColumn, lang: Lang): string {
  return t(lang, `ledger.col.${col}`);
}

/** The recorded grade in force at atMs (raised or lowered at or before it); null before any grade. */
export function gradeAt(s: IncidentState, atMs: number): Grade | null {
  let g: Grade | null = null;
  for (const change of s.gradeHistory) if (change.at <= atMs) g = change.to;
  return g;
}

function occurredAt(s: IncidentState): string {
  const v = s.values.occurredAt;
  return typeof v === 'number' ? isoShanghai(v) : '';
}

/** The longest content a ledger cell keeps (Excel's cell limit is 32,767); longer content says what was cut. */
export const LEDGER_TEXT_MAX = 20_000;

function keep(text: string, lang: Lang): { text: string; note: string } {
  if (text.length <= LEDGER_TEXT_MAX) return { text, note: '' };
  return { text: text.slice(0, LEDGER_TEXT_MAX), note: t(lang, 'ledger.change.cut', { max: LEDGER_TEXT_MAX, cut: text.length - LEDGER_TEXT_MAX }) };
}

const joinNotes = (lang: Lang, ...notes: string[]) => notes.filter(Boolean).join(lang === 'en' ? '; ' : '；');

/**
 * A report's rows: one per version, the original first, each amendment after it with who, when and why; a voided
 * report's last row is marked 作废 with its reason. Nothing recorded is left out.
 */
function reportRows(s: IncidentState, r: ReportRecord | RegimeReportRecord, lang: Lang): LedgerRow[] {
  const g = gradeAt(s, r.at) ?? s.grade;
  const grade = g === null ? '' : gradeText(g, lang);
  const pboc = 'regime' in r ? null : r;
  const kind = 'regime' in r ? regimeKindText(r.regime, r.kind, lang) : kindText(r.kind, lang);
  const confirmation = pboc?.confirmation;
  const amendments = r.amendments ?? [];
  // Version k: the values before amendment k (k < n), or the report as it stands (k = n).
  const versions = [...amendments.map((a) => a.before), { at: r.at, contact: r.contact, summary: r.summary, summaryCut: r.summaryCut }];
  return versions.map((v, k) => {
    const last = k === versions.length - 1;
    const content = keep(v.summary ?? t(lang, 'ledger.summary', { kind, title: s.title, grade: grade || '—' }), lang);
    const amended = k > 0 ? amendments[k - 1]! : null;
    const status = last && r.voided ? t(lang, 'ledger.status.void')
      : amendments.length === 0 ? ''
        : k === 0 ? t(lang, 'ledger.status.original')
          : last ? t(lang, 'ledger.status.amended', { n: k }) : t(lang, 'ledger.status.superseded', { n: k });
    const change = joinNotes(lang,
      amended ? t(lang, 'ledger.change.amend', { at: minute(amended.at), actor: amended.actor, changes: amendmentChanges(amended, lang), reason: amended.reason }) : '',
      last && r.voided ? t(lang, 'ledger.change.void', { at: minute(r.voided.at), actor: r.voided.actor, reason: r.voided.reason }) : '',
      content.note || (v.summaryCut ? t(lang, 'ledger.change.cut', { max: LEDGER_TEXT_MAX, cut: v.summaryCut }) : ''));
    return {
      incidentId: s.id,
      reportId: r.reportId,
      title: s.title,
      occurredAt: occurredAt(s),
      grade,
      reportKind: kind,
      reportedAt: isoShanghai(v.at),
      channel: pboc ? channelText(pboc.channel, lang) : anyChannelText(r.channel, lang),
      recipient: r.recipient,
      pbocContact: v.contact ?? (last ? confirmation?.contact : undefined) ?? '',
      confirmedAt: last && confirmation ? isoShanghai(confirmation.confirmedAt) : '',
      summary: content.text,
      committedDate: pboc?.committedDate ?? '',
      recordStatus: status,
      change,
      regime: regimeText('regime' in r ? r.regime : 'pboc', lang),
    };
  });
}

/** A correction of the occurrence time or the clock start: the original, the correction and its reason. */
function correctionRow(s: IncidentState, c: IncidentState['corrections'][number], lang: Lang): LedgerRow {
  const field = t(lang, c.field === 't0' ? 'field.t0' : 'field.occurredAt');
  return {
    ...emptyRow(s, lang), summary: '', recordStatus: t(lang, 'ledger.status.correction'),
    change: t(lang, 'ledger.change.correction', { field, from: c.from === null ? '-' : isoShanghai(c.from), to: isoShanghai(c.to), at: minute(c.at), actor: c.actor, reason: c.reason }),
  };
}

/** An acknowledged reminder (`/incident ack` or its button): who saw which obligation's reminder, and when. It is not a report. */
function ackRow(s: IncidentState, a: IncidentState['acks'][number], lang: Lang): LedgerRow {
  const what = a.obligation === 'confirm' ? `${t(lang, 'ack.confirmOf')} ${a.reportId ?? ''}`.trim() : kindText(a.obligation, lang);
  return {
    ...emptyRow(s, lang), reportId: a.reportId ?? '', summary: '', recordStatus: t(lang, 'ledger.status.ack'),
    change: t(lang, 'ledger.change.ack', { at: minute(a.at), actor: a.actor, what }),
  };
}

function emptyRow(s: IncidentState, lang: Lang): LedgerRow {
  return {
    incidentId: s.id, reportId: '', title: s.title, occurredAt: occurredAt(s), grade: s.grade === null ? '' : gradeText(s.grade, lang),
    reportKind: '', reportedAt: '', channel: '', recipient: '', pbocContact: '', confirmedAt: '', summary: t(lang, 'ledger.noReport'),
    committedDate: '', recordStatus: '', change: '', regime: '',
  };
}

/**
 * Ledger rows of the incidents given, in that order; each incident's reports, PBoC's and the other regimes', in the order sent (every version of an
 * amended report, a voided one marked), then its corrections of times, then the reminders acknowledged.
 */
export function ledgerRows(states: readonly IncidentState[], lang: Lang = 'zh-CN'): LedgerRow[] {
  return states.flatMap((s) => {
    // PBoC's reports and those under the other regimes, one list in the order sent (a stable sort keeps ties as recorded).
    const all = [...s.reports, ...(s.regimeReports ?? [])].sort((a, b) => a.at - b.at);
    const reports = all.length > 0 ? all.flatMap((r) => reportRows(s, r, lang)) : [emptyRow(s, lang)];
    return [...reports, ...s.corrections.map((c) => correctionRow(s, c, lang)), ...s.acks.map((a) => ackRow(s, a, lang))];
  });
}

/** Which incidents to read: those of one conversation (null: all), at most `limit` of them (earliest first); drills only when `drill`. */
export interface LedgerScope { conversation: string | null; limit?: number; drill?: boolean }

const YIELD_EVERY = 50; // incidents folded between two turns of the event loop (the SQLite store is synchronous)

/**
 * Incidents created in [fromMs, toMs), drills excluded (or only drills), folded from the store's event logs. Yields
 * to the event loop every YIELD_EVERY incidents, so a ledger of thousands does not hold up everyone else's requests.
 */
export async function loadIncidents(store: Store, fromMs: number, toMs: number, scope: LedgerScope = { conversation: null }): Promise<IncidentState[]> {
  const drill = scope.drill ?? false;
  const metas = (await store.listInRange(fromMs, toMs, drill ? { includeDrill: true } : undefined))
    .filter((m) => (scope.conversation === null || m.conversation === scope.conversation) && (m.drill ?? false) === drill);
  const states: IncidentState[] = [];
  for (const [i, meta] of metas.slice(0, scope.limit ?? metas.length).entries()) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
    const loaded = await store.load(meta.id);
    if (loaded) states.push(fold(loaded.events.map((e) => e.event as IncidentEvent)));
  }
  return states;
}

/**
 * What a ledger range filters on: `occurrence`, incidents that occurred in it (事发时间; the time the
 * incident was opened when none is recorded), with all their reports; `report`, the reports sent in it.
 */
export type LedgerBy = 'occurrence' | 'report';

const YEAR_MS = 366 * 86_400_000;

/** The ledger for [fromMs, toMs), as the store holds it. */
export async function ledgerFromStore(store: Store, fromMs: number, toMs: number, lang: Lang = 'zh-CN', scope: LedgerScope & { by?: LedgerBy } = { conversation: null }): Promise<LedgerRow[]> {
  const { by = 'occurrence', ...which } = scope;
  // An incident is opened after it occurs; its reports follow for up to the three-year keeping period.
  const states = await loadIncidents(store, by === 'report' ? fromMs - 3 * YEAR_MS : fromMs, by === 'report' ? toMs : toMs + YEAR_MS, which);
  const inRange = (ms: number) => ms >= fromMs && ms < toMs;
  if (by === 'occurrence') {
    return ledgerRows(states.filter((s) => inRange(typeof s.values.occurredAt === 'number' ? s.values.occurredAt : s.createdAt)), lang);
  }
  return ledgerRows(reportsIn(states, fromMs, toMs), lang);
}

/** The incidents with only their reports (PBoC's and the other regimes') sent in [fromMs, toMs); those with none dropped. */
export function reportsIn(states: readonly IncidentState[], fromMs: number, toMs: number): IncidentState[] {
  const inRange = (r: { at: number }) => r.at >= fromMs && r.at < toMs;
  return states
    .map((s) => ({ ...s, reports: s.reports.filter(inRange), regimeReports: (s.regimeReports ?? []).filter(inRange), corrections: [], acks: [] }))
    .filter((s) => s.reports.length + s.regimeReports.length > 0);
}
