import { assess, type AssessContext } from '../incident/assess.ts';
import { awaitingConfirmation, type IncidentState } from '../incident/state.ts';
import type { Deadline, ReportKind } from '../rules/deadlines.ts';
import { startOfShanghaiDate } from '../rules/time.ts';
import type { Calendar } from '../rules/working-days.ts';

export type Obligation = ReportKind | 'confirm';

/** One obligation's cadence, as the institution file may set it (`reminders.<kind>`); unset fields keep the defaults. */
export interface Cadence {
  beforeMinutes?: number[]; // hour clocks: minutes before the deadline, e.g. [30, 10, 0]
  overdueEveryMinutes?: number; // hour clocks: while overdue, until met
  workdaysBefore?: number[]; // working-day clocks: working days before the due day, e.g. [3, 1, 0]
  at?: string; // working-day clocks: HH:mm on those days
  overdueAt?: string[]; // working-day clocks, while overdue: HH:mm on each working day (never nights or days off)
  firstAfterMinutes?: number; // receipt confirmation: after the email or fax went out
  everyMinutes?: number; // receipt confirmation: then every so often
}

/** When reminders fall due; every offset is configurable. Legal deadlines ignore quiet hours. */
export interface ReminderPolicy {
  hourStepsMinutes: number[]; // before an hour clock's deadline, e.g. [30, 10, 0]
  overdueEveryMinutes: number; // after an hour clock's deadline, until met
  workdayStepsDays: number[]; // working days before a working-day clock's due day, e.g. [3, 1, 0]
  workdayHour: string; // HH:mm on those days
  workdayOverdueAt: string[]; // an overdue working-day clock: these times of each working day
  confirmFirstMinutes: number; // after an email/fax submission
  confirmEveryMinutes: number;
  lateAfterMs: number; // a step sent later than this after its time is marked late
  perObligation?: Partial<Record<Obligation, Cadence>>; // the institution file's `reminders:` block
}

export const DEFAULT_POLICY: ReminderPolicy = {
  hourStepsMinutes: [30, 10, 0],
  overdueEveryMinutes: 15,
  workdayStepsDays: [3, 1, 0],
  workdayHour: '09:00',
  workdayOverdueAt: ['09:00', '14:00'],
  confirmFirstMinutes: 10,
  confirmEveryMinutes: 15,
  lateAfterMs: 2 * 60_000,
};

/** The policy with one obligation's configured cadence laid over the defaults. */
function policyFor(p: ReminderPolicy, o: Obligation): ReminderPolicy {
  const c = p.perObligation?.[o];
  if (!c) return p;
  return {
    ...p,
    hourStepsMinutes: c.beforeMinutes ?? p.hourStepsMinutes,
    overdueEveryMinutes: c.overdueEveryMinutes ?? p.overdueEveryMinutes,
    workdayStepsDays: c.workdaysBefore ?? p.workdayStepsDays,
    workdayHour: c.at ?? p.workdayHour,
    workdayOverdueAt: c.overdueAt ?? p.workdayOverdueAt,
    confirmFirstMinutes: c.firstAfterMinutes ?? p.confirmFirstMinutes,
    confirmEveryMinutes: c.everyMinutes ?? p.confirmEveryMinutes,
  };
}

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

/** Steps that repeat until the obligation is met: overdue pings, receipt-confirmation pings. */
interface Repeat { latest(nowMs: number): Step | null; next(nowMs: number): number }

/** Every `everyMs` from `baseMs` (k >= kMin). */
function every(baseMs: number, everyMs: number, kMin: number, label: (k: number) => string, overdue: boolean): Repeat {
  return {
    latest(nowMs) {
      const k = Math.floor((nowMs - baseMs) / everyMs);
      return k < kMin ? null : { step: label(k), atMs: baseMs + k * everyMs, overdue };
    },
    next(nowMs) {
      return baseMs + Math.max(kMin, Math.floor((nowMs - baseMs) / everyMs) + 1) * everyMs;
    },
  };
}

const latestRepeat = (r: Repeat, nowMs: number) => r.latest(nowMs);
const nextRepeatAt = (r: Repeat, nowMs: number) => r.next(nowMs);

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};
const DAY = 86_400_000;
const dateOfMs = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * An overdue working-day clock: the set times of each working day after the due date, never at night
 * or on a day off. Looks at most 60 days each way.
 */
function workdayOverdue(dueDate: string, times: readonly string[], calendar: Calendar) {
  const first = startOfShanghaiDate(dueDate) + DAY;
  const mins = [...times].map(minutesOf).sort((a, b) => a - b);
  const stepOf = (dayMs: number, m: number): Step => ({ step: `O@${dateOfMs(dayMs)}T${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`, atMs: dayMs + m * MIN, overdue: true });
  return {
    latest(nowMs: number): Step | null {
      for (let day = startOfShanghaiDate(dateOfMs(nowMs)), n = 0; day >= first && n < 60; day -= DAY, n++) {
        if (!calendar.isWorkday(dateOfMs(day))) continue;
        const m = [...mins].reverse().find((x) => day + x * MIN <= nowMs);
        if (m !== undefined) return stepOf(day, m);
      }
      return null;
    },
    next(nowMs: number): number {
      for (let day = Math.max(first, startOfShanghaiDate(dateOfMs(nowMs))), n = 0; n < 60; day += DAY, n++) {
        if (!calendar.isWorkday(dateOfMs(day))) continue;
        const m = mins.find((x) => day + x * MIN > nowMs);
        if (m !== undefined) return day + m * MIN;
      }
      return Infinity;
    },
  };
}

function stepsOf(d: Deadline, p: ReminderPolicy, calendar: Calendar): Step[] {
  if (d.kind === 'immediate') return [{ step: 'T0', atMs: d.dueAtMs, overdue: false }];
  if (HOUR_KINDS.has(d.kind) || !d.dueDate) {
    return p.hourStepsMinutes.map((m) => ({ step: m === 0 ? 'T0' : `T-${m}`, atMs: d.dueAtMs - m * MIN, overdue: false }));
  }
  return p.workdayStepsDays.map((n) => ({
    step: `W-${n}`,
    atMs: startOfShanghaiDate(workdaysBefore(d.dueDate!, n, calendar)) + minutesOf(p.workdayHour) * MIN,
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
function obligations(s: IncidentState, nowMs: number, policy: ReminderPolicy, ctx: AssessContext): ObligationPlan[] {
  const a = assess(s, nowMs, ctx);
  const out: ObligationPlan[] = [];
  const deadlines = [...a.deadlines.immediate, ...a.deadlines.deadlines, ...(a.deadlines.riskFeedback ? [a.deadlines.riskFeedback] : [])];
  for (const d of deadlines) {
    if (d.status === 'met') continue;
    const p = policyFor(policy, d.kind);
    // Hour clocks keep pinging while overdue; working-day clocks remind on working days at set times.
    const repeat = HOUR_KINDS.has(d.kind) || !d.dueDate
      ? every(d.dueAtMs, p.overdueEveryMinutes * MIN, 1, (k) => `O+${k * p.overdueEveryMinutes}`, d.kind !== 'immediate')
      : workdayOverdue(d.dueDate, p.workdayOverdueAt, ctx.calendar);
    out.push({ obligation: d.kind, key: obligationKey(d), dueAtMs: d.dueAtMs, ...(d.dueDate ? { dueDate: d.dueDate } : {}), steps: stepsOf(d, p, ctx.calendar), repeat });
  }
  // Art. 18: every email or fax submission until PBoC's receipt is confirmed by phone or IM.
  const p = policyFor(policy, 'confirm');
  for (const r of awaitingConfirmation(s)) {
    const repeat = every(r.at + p.confirmFirstMinutes * MIN, p.confirmEveryMinutes * MIN, 0, (k) => `C+${p.confirmFirstMinutes + k * p.confirmEveryMinutes}`, false);
    out.push({ obligation: 'confirm', key: `confirm:${r.reportId}`, dueAtMs: r.at, steps: [], repeat, reportId: r.reportId });
  }
  return out;
}

/** When a step of this obligation (by its name in a reminder key) fell due; null for a name this plan does not know. */
function stepAt(o: ObligationPlan, step: string): number | null {
  const listed = o.steps.find((st) => st.step === step);
  if (listed) return listed.atMs;
  const after = /^[OC]\+(\d+)$/.exec(step); // O+15 after the deadline, C+25 after the submission
  if (after) return o.dueAtMs + Number(after[1]) * MIN;
  const day = /^O@(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})$/.exec(step); // a working-day clock's overdue ping
  if (day) return startOfShanghaiDate(day[1]!) + (Number(day[2]) * 60 + Number(day[3])) * MIN;
  return null;
}

/**
 * What is due at nowMs: for each obligation, the latest step at or before now that was not sent yet.
 * Earlier unsent steps are superseded, so a restart after downtime sends one late reminder, not a burst.
 * A step no later than one already sent for the same obligation is never due: after the clock is set back,
 * the channel does not hear "30 minutes left" after "overdue".
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
    const prefix = `${s.id}:${o.key}:`;
    const lastSentAt = Math.max(-Infinity, ...s.remindersSent.filter((k) => k.startsWith(prefix)).map((k) => stepAt(o, k.slice(prefix.length)) ?? -Infinity));
    if (latest.atMs <= lastSentAt) continue;
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
