import { assess, type AssessContext } from '../incident/assess.ts';
import { awaitingConfirmation, type IncidentState } from '../incident/state.ts';
import type { Deadline, ReportKind } from '../regimes/pboc-2025-4/deadlines.ts';
import { startOfShanghaiDate } from '../calendar/time.ts';
import type { Calendar } from '../calendar/working-days.ts';
import type { RegimeObligationKey } from '../incident/events.ts';
import { arisenAt, hasProfile, otherObligations } from '../incident/obligations.ts';
import type { Obligation as RegimeObligation } from '../regimes/port.ts';

/** What a reminder is for: a PBoC report, a receipt confirmation, or another regime's obligation (`cac.initial`). */
export type Obligation = ReportKind | 'confirm' | RegimeObligationKey;

/** Where `/incident lang` typed in a conversation is kept for the reminders posted there (a store session). */
export const conversationLangKey = (conversation: string) => `conversation-lang:${conversation}`;
/** How long a conversation's language is kept: for as long as anyone will use the conversation. */
export const CONVERSATION_LANG_TTL_MS = 100 * 365 * 86_400_000;

/** One obligation's cadence before its deadline, as the institution file may set it (`reminders.<kind>`); unset fields keep the defaults. */
export interface Cadence {
  beforeMinutes?: number[]; // hour clocks: minutes before the deadline, e.g. [30, 10, 0]
  workdaysBefore?: number[]; // working-day clocks: working days before the due day, e.g. [3, 1, 0]
  at?: string; // working-day clocks: HH:mm on those days
  firstAfterMinutes?: number; // receipt confirmation: due this long after the email or fax went out
}

/** One rung of the escalation ladder: this long after the deadline, the reminder goes to this role and mentions these people. */
export interface EscalationStep {
  afterMinutes: number;
  role: string; // as the institution names it, e.g. 值班负责人
  roleEn?: string; // the English name, when the conversation reads English
  mentions: string[]; // platform user ids (rendered as real mentions) or plain names
}

/**
 * When reminders fall due; every offset is configurable (the institution file's `reminders:` block).
 * Before a deadline: a few steps. Once overdue: the escalation ladder, one post per rung; after the last rung, the
 * obligation is carried in the conversation's digest at `digestAt` on working days, never one post per obligation.
 * Quiet hours hold back posts for an obligation overdue longer than `quiet.afterOverdueHours`.
 */
export interface ReminderPolicy {
  hourStepsMinutes: number[]; // before an hour clock's deadline, e.g. [30, 10, 0]
  workdayStepsDays: number[]; // working days before a working-day clock's due day, e.g. [3, 1, 0]
  workdayHour: string; // HH:mm on those days; an overdue working-day clock's ladder starts at this time of the next working day
  confirmFirstMinutes: number; // a receipt confirmation falls due this long after an email/fax submission
  escalation: EscalationStep[]; // the ladder once overdue, by afterMinutes
  digestAt: string[]; // HH:mm on working days: the digest of every obligation past its ladder
  quiet: { from: string; to: string; afterOverdueHours: number; nightPosts: boolean };
  lateAfterMs: number; // a step sent later than this after its time is marked late
  perObligation?: Partial<Record<Obligation, Cadence>>;
}

/**
 * The most reminders one post carries (those of one incident falling due in the same minute): its acknowledge button
 * names them all, and a button carries at most this many names (adapters/ack.ts). More go in a second post.
 */
export const GROUP_MAX = 6;

export const DEFAULT_ESCALATION: EscalationStep[] = [
  { afterMinutes: 0, role: '值班负责人', roleEn: 'duty manager', mentions: [] },
  { afterMinutes: 30, role: '分管领导', roleEn: 'leader in charge', mentions: [] },
  { afterMinutes: 120, role: '主管网络安全的领导班子成员', roleEn: 'senior executive responsible for cybersecurity', mentions: [] },
];

export const DEFAULT_POLICY: ReminderPolicy = {
  hourStepsMinutes: [30, 10, 0],
  workdayStepsDays: [3, 1, 0],
  workdayHour: '09:00',
  confirmFirstMinutes: 10,
  escalation: DEFAULT_ESCALATION,
  digestAt: ['09:00', '14:00'],
  quiet: { from: '22:00', to: '08:00', afterOverdueHours: 24, nightPosts: false },
  lateAfterMs: 2 * 60_000,
};

/** The policy with one obligation's configured cadence laid over the defaults. */
function policyFor(p: ReminderPolicy, o: Obligation): ReminderPolicy {
  const c = p.perObligation?.[o];
  if (!c) return p;
  return {
    ...p,
    hourStepsMinutes: c.beforeMinutes ?? p.hourStepsMinutes,
    workdayStepsDays: c.workdaysBefore ?? p.workdayStepsDays,
    workdayHour: c.at ?? p.workdayHour,
    confirmFirstMinutes: c.firstAfterMinutes ?? p.confirmFirstMinutes,
  };
}

export interface Reminder {
  key: string; // `${incidentId}:${obligationKey}:${step}`: deterministic, claimed once across replicas
  incidentId: string;
  obligation: Obligation;
  obligationKey: string;
  step: string; // T-30, T0, W-3 before; E1, E2 ... the ladder; D@2026-12-07T0900 a digest slot
  atMs: number; // when this step fell due
  dueAtMs: number; // the obligation's deadline (for confirmations: when the confirmation fell due)
  dueDate?: string; // working-day clocks: due at 24:00 of this Shanghai date
  overdue: boolean;
  late: boolean; // sent after downtime: the latest missed step only
  reportId?: string;
  sentAtMs?: number; // confirmations: when the submission went out
  /** The ladder's rung this step escalates to (E steps). */
  escalation?: EscalationStep;
  /** A digest slot: posted once per conversation with every obligation due in it. */
  digest?: boolean;
  /** Another regime's obligation, as the regime gave it: its title, article, recipient and clock. */
  regime?: RegimeObligation;
  /** When an obligation without a clock (立即 / 及时) arose. */
  arisenAtMs?: number;
}

const MIN = 60_000;
const DAY = 86_400_000;
const HOUR_KINDS: ReadonlySet<ReportKind> = new Set(['brief', 'incident', 'progress', 'immediate', 'risk-feedback']);

interface Step { step: string; atMs: number; overdue: boolean; escalation?: EscalationStep; digest?: boolean }

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};
const dateOfMs = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const hhmmOf = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`;

/** The working day `days` working days before `date` (0: the date itself). */
function workdaysBefore(date: string, days: number, calendar: Calendar): string {
  let ms = startOfShanghaiDate(date);
  let left = days;
  while (left > 0) {
    ms -= DAY;
    if (calendar.isWorkday(dateOfMs(ms))) left--;
  }
  return dateOfMs(ms);
}

/** The first moment at or after fromMs that is `hhmm` on a working day (looks 60 days ahead). */
function nextWorkdayAt(fromMs: number, hhmm: string, calendar: Calendar): number {
  for (let day = startOfShanghaiDate(dateOfMs(fromMs)), n = 0; n < 60; day += DAY, n++) {
    const at = day + minutesOf(hhmm) * MIN;
    if (at >= fromMs && calendar.isWorkday(dateOfMs(day))) return at;
  }
  return Infinity;
}

/** True when ms falls in the quiet hours (from..to, across midnight when from > to). */
export function inQuietHours(ms: number, quiet: ReminderPolicy['quiet']): boolean {
  const m = Math.floor((ms - startOfShanghaiDate(dateOfMs(ms))) / MIN);
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  return from <= to ? m >= from && m < to : m >= from || m < to;
}

/**
 * The overdue part of an obligation's plan: the escalation ladder from `baseMs` (the deadline; for a working-day clock,
 * its first working-day morning after), then digest slots on working days. Slots are generated lazily around nowMs.
 */
interface Overdue {
  ladder: Step[];
  /** The latest digest slot at or before nowMs (after the ladder), or null. */
  latestSlot(nowMs: number): Step | null;
  /** The first digest slot after nowMs. */
  nextSlot(nowMs: number): number;
}

function overduePlan(dueAtMs: number, baseMs: number, p: ReminderPolicy, calendar: Calendar): Overdue {
  const quietOk = (atMs: number) => p.quiet.nightPosts || atMs - dueAtMs <= p.quiet.afterOverdueHours * 3600_000 || !inQuietHours(atMs, p.quiet);
  const ladder = [...p.escalation]
    .sort((a, b) => a.afterMinutes - b.afterMinutes)
    .map((e, i): Step => ({ step: `E${i + 1}`, atMs: baseMs + e.afterMinutes * MIN, overdue: true, escalation: e }))
    .filter((s) => quietOk(s.atMs));
  const ladderEnd = ladder.length ? ladder[ladder.length - 1]!.atMs : baseMs - 1;
  const mins = [...new Set(p.digestAt.map(minutesOf))].sort((a, b) => a - b);
  const slot = (day: number, m: number): Step => ({ step: `D@${dateOfMs(day)}T${hhmmOf(m)}`, atMs: day + m * MIN, overdue: true, digest: true });
  const ok = (day: number, m: number) => calendar.isWorkday(dateOfMs(day)) && day + m * MIN > ladderEnd && quietOk(day + m * MIN);
  return {
    ladder,
    latestSlot(nowMs) {
      if (mins.length === 0) return null;
      for (let day = startOfShanghaiDate(dateOfMs(nowMs)), n = 0; day + DAY > ladderEnd && n < 60; day -= DAY, n++) {
        const m = [...mins].reverse().find((x) => day + x * MIN <= nowMs && ok(day, x));
        if (m !== undefined) return slot(day, m);
      }
      return null;
    },
    nextSlot(nowMs) {
      if (mins.length === 0) return Infinity;
      for (let day = startOfShanghaiDate(dateOfMs(Math.max(nowMs, ladderEnd))), n = 0; n < 60; day += DAY, n++) {
        const m = mins.find((x) => day + x * MIN > nowMs && ok(day, x));
        if (m !== undefined) return day + m * MIN;
      }
      return Infinity;
    },
  };
}

function stepsBefore(d: Deadline, p: ReminderPolicy, calendar: Calendar): Step[] {
  if (d.kind === 'immediate') return []; // due when it arises: overdue at once
  // The ladder's first rung at the deadline itself speaks for "due now": no separate T0 post in the same minute.
  const zeroRung = p.escalation.some((e) => e.afterMinutes === 0);
  if (HOUR_KINDS.has(d.kind) || !d.dueDate) {
    return p.hourStepsMinutes.filter((m) => !(m === 0 && zeroRung)).map((m) => ({ step: m === 0 ? 'T0' : `T-${m}`, atMs: d.dueAtMs - m * MIN, overdue: false }));
  }
  return p.workdayStepsDays.map((n) => ({
    step: `W-${n}`,
    atMs: startOfShanghaiDate(workdaysBefore(d.dueDate!, n, calendar)) + minutesOf(p.workdayHour) * MIN,
    overdue: false,
  }));
}

/** Before an hour clock: the policy's minutes; before a day clock (due at 24:00 of dueDate): its working-day steps. */
function clockSteps(dueAtMs: number, dueDate: string | undefined, p: ReminderPolicy, calendar: Calendar): Step[] {
  const zeroRung = p.escalation.some((e) => e.afterMinutes === 0);
  if (!dueDate) return p.hourStepsMinutes.filter((m) => !(m === 0 && zeroRung)).map((m) => ({ step: m === 0 ? 'T0' : `T-${m}`, atMs: dueAtMs - m * MIN, overdue: false }));
  return p.workdayStepsDays.map((n) => ({ step: `W-${n}`, atMs: startOfShanghaiDate(workdaysBefore(dueDate, n, calendar)) + minutesOf(p.workdayHour) * MIN, overdue: false }));
}

/** An obligation due 及时 (no clock): reminded once a day at `hhmm` until recorded (rules.md reading); no ladder. */
function dailyPlan(fromMs: number, hhmm: string): Overdue {
  const slot = (day: number): Step => ({ step: `O@${dateOfMs(day)}T${hhmmOf(minutesOf(hhmm))}`, atMs: day + minutesOf(hhmm) * MIN, overdue: true });
  return {
    ladder: [],
    latestSlot(nowMs) {
      const today = startOfShanghaiDate(dateOfMs(nowMs));
      const day = today + minutesOf(hhmm) * MIN <= nowMs ? today : today - DAY;
      return day + minutesOf(hhmm) * MIN > fromMs ? slot(day) : null;
    },
    nextSlot(nowMs) {
      const today = startOfShanghaiDate(dateOfMs(Math.max(nowMs, fromMs)));
      const at = today + minutesOf(hhmm) * MIN;
      return at > nowMs && at > fromMs ? at : at + DAY;
    },
  };
}

const HOUR_MS = 3_600_000;

/**
 * The other regimes' open obligations as plans, under the same policy as PBoC's. A timed one: steps before, then the
 * ladder. One due 立即: reminded once overdue, one hour after it arose, then up the ladder. One due 及时: reminded at
 * the next daily slot after it arose, then daily. Keys `<regime>.<kind>` never meet PBoC's (`brief`, `progress@…`, `confirm:R1`).
 */
function regimePlans(s: IncidentState, list: readonly RegimeObligation[], policy: ReminderPolicy, calendar: Calendar): ObligationPlan[] {
  const out: ObligationPlan[] = [];
  const seen = new Map<string, number>();
  for (const o of list) {
    const base = `${o.regime}.${o.kind}` as RegimeObligationKey;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    if (o.status === 'met') continue;
    const key = (n === 1 ? base : `${base}#${n}`) as RegimeObligationKey;
    const p = policyFor(policy, key);
    const common = { obligation: key, key, regime: o, ackAtMs: lastAck(s, key, undefined) };
    if (o.dueAtMs !== null) {
      const at = o.dueDate ? nextWorkdayAt(o.dueAtMs, p.workdayHour, calendar) : o.dueAtMs;
      out.push({ ...common, dueAtMs: o.dueAtMs, ...(o.dueDate ? { dueDate: o.dueDate } : {}), steps: clockSteps(o.dueAtMs, o.dueDate, p, calendar), overdue: overduePlan(o.dueAtMs, at, p, calendar) });
      continue;
    }
    // No post when it arises: the card the fact's reply shows says it then, and a reminder in the same minute would
    // only repeat it. 及时: the next daily slot; 立即: the hour it may take, then the ladder.
    const arisen = arisenAt(s, o);
    if (o.due === '及时') out.push({ ...common, dueAtMs: arisen, arisenAtMs: arisen, steps: [], overdue: dailyPlan(arisen, p.workdayHour) });
    else {
      const overdueAt = o.overdueAtMs ?? arisen + HOUR_MS;
      out.push({ ...common, dueAtMs: overdueAt, arisenAtMs: arisen, steps: [], overdue: overduePlan(overdueAt, overdueAt, p, calendar) });
    }
  }
  return out;
}

function obligationKey(d: Deadline): string {
  if (d.kind === 'progress') return `progress@${d.dueAtMs}`; // the next progress deadline moves with each report
  if (d.kind === 'immediate') return `immediate@${d.triggerAtMs ?? d.dueAtMs}`;
  if (d.kind === 'final' || d.kind === 'revision') return `${d.kind}@${d.dueDate ?? d.dueAtMs}`;
  return d.kind;
}

export interface ObligationPlan {
  obligation: Obligation;
  key: string;
  dueAtMs: number;
  dueDate?: string;
  steps: Step[]; // before the deadline
  overdue: Overdue;
  reportId?: string;
  sentAtMs?: number;
  /** The last acknowledgement of this obligation, if any: quiets it until the next rung of the ladder. */
  ackAtMs: number | null;
  regime?: RegimeObligation;
  arisenAtMs?: number;
}

/** The acknowledgement that covers an obligation: by its kind (`brief`), or a confirmation by its report id. */
function lastAck(s: IncidentState, obligation: Obligation, reportId: string | undefined): number | null {
  let best: number | null = null;
  for (const a of s.acks ?? []) {
    if (a.obligation !== obligation) continue;
    if (obligation === 'confirm' && a.reportId !== reportId) continue;
    best = best === null ? a.at : Math.max(best, a.at);
  }
  return best;
}

/** Every open obligation with its steps. Obligations that no longer apply (met, or no longer asked for) are simply absent. */
export function obligationPlans(s: IncidentState, nowMs: number, policy: ReminderPolicy, ctx: AssessContext): ObligationPlan[] {
  const a = assess(s, nowMs, ctx);
  const out: ObligationPlan[] = [];
  const deadlines = [...a.deadlines.immediate, ...a.deadlines.deadlines, ...(a.deadlines.riskFeedback ? [a.deadlines.riskFeedback] : [])];
  for (const d of deadlines) {
    if (d.status === 'met') continue;
    const p = policyFor(policy, d.kind);
    const hourClock = HOUR_KINDS.has(d.kind) || !d.dueDate;
    // A working-day clock falls due at 24:00: its ladder starts on the next working morning, not at midnight.
    const base = hourClock ? d.dueAtMs : nextWorkdayAt(d.dueAtMs, p.workdayHour, ctx.calendar);
    out.push({
      obligation: d.kind, key: obligationKey(d), dueAtMs: d.dueAtMs, ...(d.dueDate ? { dueDate: d.dueDate } : {}),
      steps: stepsBefore(d, p, ctx.calendar), overdue: overduePlan(d.dueAtMs, base, p, ctx.calendar), ackAtMs: lastAck(s, d.kind, undefined),
    });
  }
  // Art. 18: every email or fax submission until PBoC's receipt is confirmed by phone or IM.
  const p = policyFor(policy, 'confirm');
  for (const r of awaitingConfirmation(s)) {
    const due = r.at + p.confirmFirstMinutes * MIN;
    out.push({
      obligation: 'confirm', key: `confirm:${r.reportId}`, dueAtMs: due, steps: [], overdue: overduePlan(due, due, p, ctx.calendar),
      reportId: r.reportId, sentAtMs: r.at, ackAtMs: lastAck(s, 'confirm', r.reportId),
    });
  }
  // Art. 4: the other regimes that bind the institution (its `profile:`), reminded under the same policy.
  if (hasProfile(ctx)) out.push(...regimePlans(s, otherObligations(s, nowMs, ctx, a), policy, ctx.calendar));
  return out;
}

/** Until when an acknowledgement at ackAtMs quiets the obligation: its next rung, else the end of that day. */
function quietUntil(o: ObligationPlan): number {
  if (o.ackAtMs === null) return -Infinity;
  const rung = o.overdue.ladder.find((st) => st.atMs > o.ackAtMs!);
  return rung ? rung.atMs : startOfShanghaiDate(dateOfMs(o.ackAtMs)) + DAY;
}

/** Whether a step is held back by an acknowledgement: everything up to the next rung of the ladder. */
function quieted(o: ObligationPlan, st: Step): boolean {
  if (o.ackAtMs === null) return false;
  if (st.atMs <= o.ackAtMs) return true;
  return st.atMs < quietUntil(o) && !st.escalation;
}

/** Every step of the plan at or before nowMs, in time order. */
function stepsUpTo(o: ObligationPlan, nowMs: number): Step[] {
  const slot = o.overdue.latestSlot(nowMs);
  return [...o.steps, ...o.overdue.ladder, ...(slot ? [slot] : [])].filter((st) => st.atMs <= nowMs).sort((x, y) => x.atMs - y.atMs || (x.escalation ? 1 : 0) - (y.escalation ? 1 : 0));
}

/** Steps after nowMs, earliest first (at most the next digest slot). */
function stepsAfter(o: ObligationPlan, nowMs: number): Step[] {
  const next = o.overdue.nextSlot(nowMs);
  const slot: Step[] = Number.isFinite(next) ? [{ step: `D@${dateOfMs(next)}T${hhmmOf(Math.round((next - startOfShanghaiDate(dateOfMs(next))) / MIN))}`, atMs: next, overdue: true, digest: true }] : [];
  return [...o.steps, ...o.overdue.ladder, ...slot].filter((st) => st.atMs > nowMs && !quieted(o, st)).sort((x, y) => x.atMs - y.atMs);
}

/** When a step of this obligation (by its name in a reminder key) fell due; null for a name this plan does not know. */
function stepAt(o: ObligationPlan, step: string): number | null {
  const listed = [...o.steps, ...o.overdue.ladder].find((st) => st.step === step);
  if (listed) return listed.atMs;
  const day = /^[DO]@(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})$/.exec(step); // a digest slot
  if (day) return startOfShanghaiDate(day[1]!) + (Number(day[2]) * 60 + Number(day[3])) * MIN;
  return null;
}

/**
 * What is due at nowMs: for each obligation, the latest step at or before now that was not sent yet.
 * Earlier unsent steps are superseded, so a restart after downtime sends one late reminder, not a burst, and a
 * deadline already past when it became known starts with the overdue reminder, never a stale "30 minutes left".
 * A step no later than one already sent for the same obligation is never due: after the clock is set back,
 * the channel does not hear "30 minutes left" after "overdue". An acknowledged obligation is quiet until its next rung.
 */
export function dueReminders(s: IncidentState, nowMs: number, ctx: AssessContext, p: ReminderPolicy = DEFAULT_POLICY): Reminder[] {
  const sent = new Set(s.remindersSent);
  const out: Reminder[] = [];
  for (const o of obligationPlans(s, nowMs, p, ctx)) {
    const latest = stepsUpTo(o, nowMs).at(-1);
    if (!latest || quieted(o, latest)) continue;
    const key = `${s.id}:${o.key}:${latest.step}`;
    if (sent.has(key)) continue;
    const prefix = `${s.id}:${o.key}:`;
    const lastSentAt = Math.max(-Infinity, ...s.remindersSent.filter((k) => k.startsWith(prefix)).map((k) => stepAt(o, k.slice(prefix.length)) ?? -Infinity));
    if (latest.atMs <= lastSentAt) continue;
    out.push({
      key, incidentId: s.id, obligation: o.obligation, obligationKey: o.key, step: latest.step, atMs: latest.atMs, dueAtMs: o.dueAtMs, ...(o.dueDate ? { dueDate: o.dueDate } : {}),
      overdue: latest.overdue,
      // Late: it fell due while nothing changed and went out only now (downtime). A step that fell due before the last
      // recorded change (a deadline that became known already past) was not missed: it is simply the first reminder.
      late: nowMs - latest.atMs > p.lateAfterMs && latest.atMs >= s.lastEventAt, ...(o.reportId ? { reportId: o.reportId } : {}), ...(o.sentAtMs !== undefined ? { sentAtMs: o.sentAtMs } : {}),
      ...(latest.escalation ? { escalation: latest.escalation } : {}), ...(latest.digest ? { digest: true } : {}),
      ...(o.regime ? { regime: o.regime } : {}), ...(o.arisenAtMs !== undefined ? { arisenAtMs: o.arisenAtMs } : {}),
    });
  }
  return out.sort((x, y) => x.atMs - y.atMs);
}

/** What the card says about reminders: the next post, and the next rung of the ladder with its role. */
export interface ReminderOutlook {
  nextAtMs: number | null;
  nextEscalation: { atMs: number; step: EscalationStep } | null;
}

export function reminderOutlook(s: IncidentState, nowMs: number, ctx: AssessContext, p: ReminderPolicy = DEFAULT_POLICY): ReminderOutlook {
  let next = Infinity;
  let esc: ReminderOutlook['nextEscalation'] = null;
  for (const o of obligationPlans(s, nowMs, p, ctx)) {
    const after = stepsAfter(o, nowMs);
    if (after[0]) next = Math.min(next, after[0].atMs);
    const rung = after.find((st) => st.escalation);
    if (rung && (!esc || rung.atMs < esc.atMs)) esc = { atMs: rung.atMs, step: rung.escalation! };
  }
  if (dueReminders(s, nowMs, ctx, p).length > 0) next = Math.min(next, nowMs);
  return { nextAtMs: Number.isFinite(next) ? next : null, nextEscalation: esc };
}

/** The earliest future moment the incident needs the ticker: a reminder step or a live-outage threshold; null when none. */
export function nextWake(s: IncidentState, nowMs: number, ctx: AssessContext, p: ReminderPolicy = DEFAULT_POLICY): number | null {
  let best = Infinity;
  for (const o of obligationPlans(s, nowMs, p, ctx)) {
    const after = stepsAfter(o, nowMs)[0];
    if (after) best = Math.min(best, after.atMs);
  }
  const due = dueReminders(s, nowMs, ctx, p);
  if (due.length > 0) best = Math.min(best, nowMs);
  for (const e of assess(s, nowMs, ctx).escalations) best = Math.min(best, e.atMs);
  return Number.isFinite(best) ? best : null;
}
