import { both, type Localized } from '../../i18n/index.ts';
import { atLeast, type Grade } from './grades.ts';
import { endOfShanghaiDate, shanghaiDate } from '../../calendar/time.ts';
import { addWorkingDays, workingDaysBetween, type Calendar } from '../../calendar/working-days.ts';
import { ART15, ART16, ART17, ART23 } from './rules.ts';

export const REPORT_KINDS = ['brief', 'incident', 'progress', 'immediate', 'final', 'preliminary', 'revision', 'risk-feedback'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
/** Kinds of design.md's `deadlines` contract. */
export type ContractKind = 'brief' | 'incident' | 'progress' | 'final' | 'revision';
export type DeadlineStatus = 'pending' | 'met' | 'overdue';

export interface SubmittedReport {
  kind: ReportKind;
  atMs: number;
  committedDate?: string; // preliminary report: the date promised for the post-incident report
}

export interface Timeline {
  grade: Grade;
  publicOpinion?: boolean; // Art. 15 ¶2: 较大舆情 below 较大
  t0Ms: number; // the anchor of the 1 h and 24 h clocks (rules.md reading)
  majorAtMs?: number; // when the grade first reached 重大; t0 when absent and grade >= 重大
  majorRecordedAtMs?: number; // when the record first said 重大 (a milestone before then is no Art. 16 matter)
  escalations?: Array<{ atMs: number; grade: Grade }>; // grade raised from an earlier grade (Art. 12 ¶3), not the first grade
  milestones?: Array<{ atMs: number }>; // milestone reached or new problem found (Art. 16)
  resolvedAtMs?: number;
  reports: SubmittedReport[];
  feedbackReceivedAtMs?: number; // Art. 23: PBoC returned the post-incident report
  riskNotice?: { receivedAtMs: number; dueAtMs: number }; // Art. 24
}

export interface Deadline {
  kind: ReportKind;
  dueAtMs: number;
  article: number;
  status: DeadlineStatus;
  metAtMs?: number;
  late?: boolean; // met after dueAtMs
  dueDate?: string; // working-day clocks: the last Shanghai calendar date (due at its 24:00)
  provisional?: boolean; // computed across a year without an official holiday schedule
  triggerAtMs?: number; // immediate reports: the event that triggered them
}

export interface DeadlineResult {
  deadlines: Deadline[]; // brief, incident, next progress, final, revision: the CLI contract
  immediate: Deadline[]; // Art. 16 immediate reports (status pending until any report follows)
  preliminary: (Deadline & { limitDate: string; committedDate?: string; withinLimit?: boolean }) | null;
  riskFeedback: Deadline | null;
  warnings: Localized[];
}

const HOUR_MS = 3600_000;
// Reports that count as a report to PBoC for the progress clock (rules.md reading).
const TO_PBOC: ReadonlySet<ReportKind> = new Set(['brief', 'incident', 'progress', 'immediate']);

function statusOf(kind: ReportKind, dueAtMs: number, nowMs: number, met: SubmittedReport | undefined): Deadline {
  if (met) return { kind, dueAtMs, article: 0, status: 'met', metAtMs: met.atMs, late: met.atMs > dueAtMs };
  return { kind, dueAtMs, article: 0, status: nowMs > dueAtMs ? 'overdue' : 'pending' };
}

function firstReport(reports: readonly SubmittedReport[], kinds: ReadonlySet<ReportKind>, fromMs = -Infinity) {
  return reports
    .filter((r) => kinds.has(r.kind) && r.atMs >= fromMs)
    .sort((a, b) => a.atMs - b.atMs)[0];
}

/** N working days after the Shanghai date of an instant, due at 24:00 of the last one. */
function workingDayClock(fromMs: number, days: number, calendar: Calendar) {
  const r = addWorkingDays(shanghaiDate(fromMs), days, calendar);
  return { dueDate: r.date, dueAtMs: endOfShanghaiDate(r.date), provisional: r.provisional };
}

/** Every reporting deadline of an incident at `nowMs` (Art. 15-17, 23, 24). */
export function computeDeadlines(tl: Timeline, nowMs: number, calendar: Calendar): DeadlineResult {
  const deadlines: Deadline[] = [];
  const warnings: Localized[] = [];
  const reports = tl.reports;
  const one = (k: ReportKind) => new Set<ReportKind>([k]);

  // Art. 15: 较大 and above, or 较大舆情: brief within 1 h, incident report within 24 h.
  if (atLeast(tl.grade, '较大') || tl.publicOpinion) {
    deadlines.push({ ...statusOf('brief', tl.t0Ms + ART15.briefHours * HOUR_MS, nowMs, firstReport(reports, one('brief'))), article: 15 });
    deadlines.push({ ...statusOf('incident', tl.t0Ms + ART15.incidentHours * HOUR_MS, nowMs, firstReport(reports, one('incident'))), article: 15 });
  }

  // Art. 16: 重大 and above, a report at most every 2 h until handling ends; only the next is listed.
  const immediate: Deadline[] = [];
  if (atLeast(tl.grade, '重大')) {
    const majorAt = tl.majorAtMs ?? tl.t0Ms;
    if (tl.resolvedAtMs === undefined) {
      const last = Math.max(majorAt, ...reports.filter((r) => TO_PBOC.has(r.kind)).map((r) => r.atMs));
      deadlines.push({ ...statusOf('progress', last + ART16.progressHours * HOUR_MS, nowMs, undefined), article: 16 });
    }
    // Art. 16 "处置过程中": only while handling is under way (nothing after it ended). A raise to or within 重大+
    // from an earlier grade counts; the first grade, even 重大, is Art. 15's hour (escalations hold raises only).
    // A milestone counts once the record said 重大+ when it was noted: one noted before does not become one later.
    const duringHandling = (atMs: number) => tl.resolvedAtMs === undefined || atMs <= tl.resolvedAtMs;
    const majorKnown = Math.max(majorAt, tl.majorRecordedAtMs ?? majorAt);
    const triggers = [
      ...(tl.escalations ?? []).filter((e) => atLeast(e.grade, '重大') && e.atMs >= majorAt && duringHandling(e.atMs)),
      ...(tl.milestones ?? []).filter((m) => m.atMs >= majorKnown && duringHandling(m.atMs)),
    ];
    // One still pending when handling ends is met by the next report, the post-incident report included.
    const meets = tl.resolvedAtMs === undefined ? TO_PBOC : new Set<ReportKind>([...TO_PBOC, 'final']);
    for (const trig of triggers) {
      const met = firstReport(reports, meets, trig.atMs);
      // "立即": due at once; pending (not overdue) until a report follows. rules.md's reading: it counts as overdue an
      // hour after it arose, so a report made later than that is late (迟报) on the card, the ledger and the page.
      immediate.push(met
        ? { kind: 'immediate', dueAtMs: trig.atMs, article: 16, status: 'met', metAtMs: met.atMs, late: met.atMs > trig.atMs + HOUR_MS, triggerAtMs: trig.atMs }
        : { kind: 'immediate', dueAtMs: trig.atMs, article: 16, status: 'pending', triggerAtMs: trig.atMs });
    }
  }

  // Art. 17: every incident, 10 working days after handling ended; or a preliminary report then.
  let preliminary: DeadlineResult['preliminary'] = null;
  if (tl.resolvedAtMs !== undefined) {
    const clock = workingDayClock(tl.resolvedAtMs, ART17.finalWorkingDays, calendar);
    const limit = addWorkingDays(shanghaiDate(tl.resolvedAtMs), ART17.committedLimitWorkingDays, calendar);
    const prelim = firstReport(reports, one('preliminary'), tl.resolvedAtMs);
    const final = firstReport(reports, one('final'), tl.resolvedAtMs);
    let finalDue = clock;
    if (prelim) {
      // Each preliminary report carries its own committed date; the post-incident report follows the latest one.
      const dated = reports.filter((r) => r.kind === 'preliminary' && r.committedDate && r.atMs >= tl.resolvedAtMs!).sort((a, b) => a.atMs - b.atMs);
      const committed = dated.at(-1)?.committedDate ?? prelim.committedDate;
      if (dated.length > 1 && new Set(dated.map((r) => r.committedDate)).size > 1) {
        warnings.push(both('deadline.committedLatest', { committed: committed!, earlier: dated.slice(0, -1).map((r) => r.committedDate!).join(', ') }));
      }
      const within = committed === undefined ? undefined : workingDaysBetween(shanghaiDate(tl.resolvedAtMs), committed, calendar).days <= ART17.committedLimitWorkingDays;
      preliminary = {
        ...statusOf('preliminary', clock.dueAtMs, nowMs, prelim), article: 17, dueDate: clock.dueDate,
        provisional: clock.provisional || limit.provisional, limitDate: limit.date, committedDate: committed, withinLimit: within,
      };
      if (within === false) warnings.push(both('deadline.committedBeyond40', { committed: committed!, limit: limit.date }));
      // A timely preliminary report moves the post-incident report to the committed date.
      if (committed && prelim.atMs <= clock.dueAtMs) {
        finalDue = { dueDate: committed, dueAtMs: endOfShanghaiDate(committed), provisional: clock.provisional };
      }
    } else {
      preliminary = {
        ...statusOf('preliminary', clock.dueAtMs, nowMs, undefined), article: 17, dueDate: clock.dueDate,
        provisional: clock.provisional || limit.provisional, limitDate: limit.date,
      };
      if (final) preliminary = null; // not needed once the final report is in
    }
    deadlines.push({ ...statusOf('final', finalDue.dueAtMs, nowMs, final), article: 17, dueDate: finalDue.dueDate, provisional: finalDue.provisional });
    if (clock.provisional) warnings.push(both('deadline.provisional', { date: clock.dueDate }));
  }

  // Art. 23: a revised post-incident report 10 working days after PBoC's written feedback.
  if (tl.feedbackReceivedAtMs !== undefined) {
    const clock = workingDayClock(tl.feedbackReceivedAtMs, ART23.revisionWorkingDays, calendar);
    const met = firstReport(reports, one('revision'), tl.feedbackReceivedAtMs);
    deadlines.push({ ...statusOf('revision', clock.dueAtMs, nowMs, met), article: 23, dueDate: clock.dueDate, provisional: clock.provisional });
    if (clock.provisional) warnings.push(both('deadline.provisional', { date: clock.dueDate }));
  }

  // Art. 24: risk-notice feedback by the time the notice sets.
  const riskFeedback = tl.riskNotice
    ? { ...statusOf('risk-feedback', tl.riskNotice.dueAtMs, nowMs, firstReport(reports, one('risk-feedback'), tl.riskNotice.receivedAtMs)), article: 24 }
    : null;

  return { deadlines, immediate, preliminary, riskFeedback, warnings };
}
