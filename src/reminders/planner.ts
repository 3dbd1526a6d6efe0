import { assess, type AssessContext } from '../incident/assess.ts';
import { awaitingConfirmation, type IncidentState } from '../incident/state.ts';
import type { Deadline, ReportKind } from '../rules/deadlines.ts';
import { startOfShanghaiDate } from '../rules/time.ts';
import type { Calendar } from '../rules/working-days.ts';

/** When reminders fall due; every offset is configurable. Legal deadlines ignore quiet hours. */
export interface ReminderPolicy {
  hourStepsMinutes: number[]; // before an hour clock's deadline, e.g. [30, 10, 0]
  overdueEveryMinutes: number; // after any deadline, until met
  workdayStepsDays: number[]; // working days before a working-day clock's due day, e.g. [3, 1, 0]
  workdayHour: string; // HH:mm on those days
  confirmFirstMinutes: number; // after an email/fax submission
  confirmEveryMinutes: number;
  lateAfterMs: number; // a step sent later than this after its time is marked late
}

export const DEFAULT_POLICY: ReminderPolicy = {
  hourStepsMinutes: [30, 10, 0],
  overdueEveryMinutes: 15,
  workdayStepsDays: [3, 1, 0],
  workdayHour: '09:00',
  confirmFirstMinutes: 10,
  confirmEveryMinutes: 15,
  lateAfterMs: 2 * 60_000,
};

export type Obligation = ReportKind | 'confirm';

export interface Reminder {
  key: string; // `${incidentId}:${obligationKey}:${step}`: deterministic, claimed once across replicas
  incidentId: string;
  obligation: Obligation;
  obligationKey: string;
  step: string; // e.g. T-30, T0, O+15, W-3, C+10
  atMs: number; // when this step fell due
  dueAtMs: number; // the obligation's deadline (for confirmations: when the submission was sent)
  dueDate?: string; // working-day clocks: due at 24:00 of this Shanghai date
  overdue: boolean;
  late: boolean; // sent after downtime: the latest missed step only
  reportId?: string;
}

const MIN = 60_000;
const HOUR_KINDS: ReadonlySet<ReportKind> = new Set(['brief', 'incident', 'progress', 'immediate', 'risk-feedback']);

interface Step { step: string; atMs: number; overdue: boolean }

/** The working day `days` working days before `date` (0: the date itself). */
function workdaysBefore(date: string, days: number, calendar: Calendar): string {
  let ms = startOfShanghaiDate(date);
  let left = days;
  while (left > 0) {
    ms -= 86_400_000;
    const d = new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
    if (calendar.isWorkday(d)) left--;
  }
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Steps repeating every `everyMs` from `baseMs` (k >= kMin): overdue pings, receipt-confirmation pings. */
interface Repeat { baseMs: number; everyMs: number; kMin: number; label: (k: number) => string; overdue: boolean }

function latestRepeat(r: Repeat, nowMs: number): Step | null {
  const k = Math.floor((nowMs - r.baseMs) / r.everyMs);
  if (k < r.kMin) return null;
  return { step: r.label(k), atMs: r.baseMs + k * r.everyMs, overdue: r.overdue };
}

function nextRepeatAt(r: Repeat, nowMs: number): number {
  const k = Math.max(r.kMin, Math.floor((nowMs - r.baseMs) / r.everyMs) + 1);
  return r.baseMs + k * r.everyMs;
}

function stepsOf(d: Deadline, p: ReminderPolicy, calendar: Calendar): Step[] {
  if (d.kind === 'immediate') return [{ step: 'T0', atMs: d.dueAtMs, overdue: false }];
  if (HOUR_KINDS.has(d.kind) || !d.dueDate) {
    return p.hourStepsMinutes.map((m) => ({ step: m === 0 ? 'T0' : `T-${m}`, atMs: d.dueAtMs - m * MIN, overdue: false }));
  }
  const [h, m] = p.workdayHour.split(':').map(Number) as [number, number];
  return p.workdayStepsDays.map((n) => ({
    step: `W-${n}`,
    atMs: startOfShanghaiDate(workdaysBefore(d.dueDate!, n, calendar)) + (h * 60 + m) * MIN,
    overdue: false,
  }));
}

function obligationKey(d: Deadline): string {
  if (d.kind === 'progress') return `progress@${d.dueAtMs}`; // the next progress deadline moves with each report
  if (d.kind === 'immediate') return `immediate@${d.triggerAtMs ?? d.dueAtMs}`;
  if (d.kind === 'final' || d.kind === 'revision') return `${d.kind}@${d.dueDate ?? d.dueAtMs}`;
  return d.kind;
}

interface ObligationPlan {
  obligation: Obligation;
  key: string;
  dueAtMs: number;
  dueDate?: string;
  steps: Step[];
  repeat: Repeat;
  reportId?: string;
}

/** Every open obligation with its steps. */
function obligations(s: IncidentState, nowMs: number, p: ReminderPolicy, ctx: AssessContext): ObligationPlan[] {
  const a = assess(s, nowMs, ctx);
  const out: ObligationPlan[] = [];
  const every = p.overdueEveryMinutes * MIN;
  const deadlines = [...a.deadlines.immediate, ...a.deadlines.deadlines, ...(a.deadlines.riskFeedback ? [a.deadlines.riskFeedback] : [])];
  for (const d of deadlines) {
    if (d.status === 'met') continue;
    const repeat: Repeat = { baseMs: d.dueAtMs, everyMs: every, kMin: 1, label: (k) => `O+${k * p.overdueEveryMinutes}`, overdue: d.kind !== 'immediate' };
    out.push({ obligation: d.kind, key: obligationKey(d), dueAtMs: d.dueAtMs, ...(d.dueDate ? { dueDate: d.dueDate } : {}), steps: stepsOf(d, p, ctx.calendar), repeat });
  }
  // Art. 18: every email or fax submission until PBoC's receipt is confirmed by phone or IM.
  for (const r of awaitingConfirmation(s)) {
    const repeat: Repeat = {
      baseMs: r.at + p.confirmFirstMinutes * MIN, everyMs: p.confirmEveryMinutes * MIN, kMin: 0,
      label: (k) => `C+${p.confirmFirstMinutes + k * p.confirmEveryMinutes}`, overdue: false,
    };
    out.push({ obligation: 'confirm', key: `confirm:${r.reportId}`, dueAtMs: r.at, steps: [], repeat, reportId: r.reportId });
  }
  return out;
}

/**
 * What is due at nowMs: for each obligation, the latest step at or before now that was not sent yet.
 * Earlier unsent steps are superseded, so a restart after downtime sends one late reminder, not a burst.
 */
export function dueReminders(s: IncidentState, nowMs: number, ctx: AssessContext, p: ReminderPolicy = DEFAULT_POLICY): Reminder[] {
  const sent = new Set(s.remindersSent);
  const out: Reminder[] = [];
  for (const o of obligations(s, nowMs, p, ctx)) {
    const candidates = [...o.steps.filter((st) => st.atMs <= nowMs), ...[latestRepeat(o.repeat, nowMs)].filter((x): x is Step => x !== null)];
    const latest = candidates.sort((x, y) => x.atMs - y.atMs).at(-1);
    if (!latest) continue;
    const key = `${s.id}:${o.key}:${latest.step}`;
    if (sent.has(key)) continue;
    out.push({
      key, incidentId: s.id, obligation: o.obligation, obligationKey: o.key, step: latest.step, atMs: latest.atMs, dueAtMs: o.dueAtMs, ...(o.dueDate ? { dueDate: o.dueDate } : {}),
      overdue: latest.overdue, late: nowMs - latest.atMs > p.lateAfterMs, ...(o.reportId ? { reportId: o.reportId } : {}),
    });
  }
  return out.sort((x, y) => x.atMs - y.atMs);
}

/** The earliest future moment the incident needs the ticker: a reminder step or a live-outage threshold; null when none. */
export function nextWake(s: IncidentState, nowMs: number, ctx: AssessContext, p: ReminderPolicy = DEFAULT_POLICY): number | null {
  let best = Infinity;
  for (const o of obligations(s, nowMs, p, ctx)) {
    for (const st of o.steps) if (st.atMs > nowMs) best = Math.min(best, st.atMs);
    best = Math.min(best, nextRepeatAt(o.repeat, nowMs));
  }
  const due = dueReminders(s, nowMs, ctx, p);
  if (due.length > 0) best = Math.min(best, nowMs);
  for (const e of assess(s, nowMs, ctx).escalations) best = Math.min(best, e.atMs);
  return Number.isFinite(best) ? best : null;
}
