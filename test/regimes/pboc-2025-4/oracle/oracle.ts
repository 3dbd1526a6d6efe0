// An independent, slow and obvious reading of PBoC Order [2025] No. 4, Art. 6-17 and 31, over one incident's
// timeline, minute by minute. It imports nothing of the grading, outage-clock, assess or deadline code (only the
// working-day calendar) so that the engine can be checked against it. One key, financial-service network
// ("核心") with the example institution's peak hours; no institution rules of its own.
import type { Calendar } from '../../../../src/calendar/working-days.ts';

export const GRADE_ORDER = ['一般', '较大', '重大', '特别重大'] as const;
export type OGrade = (typeof GRADE_ORDER)[number];
const rank = (g: OGrade) => GRADE_ORDER.indexOf(g);
const maxG = (a: OGrade, b: OGrade): OGrade => (rank(a) >= rank(b) ? a : b);

const MIN = 60_000;
const HOUR = 60 * MIN;
const SH = 8 * HOUR; // Asia/Shanghai is UTC+8 all year

/** What a person types, at `at` (epoch ms, whole minutes). */
export type OStep =
  | { at: number; kind: 'outage'; start: number; provinces: number; rate: number }
  | { at: number; kind: 'restored'; restoredAt: number }
  | { at: number; kind: 'disrupted'; value: boolean }
  | { at: number; kind: 'persons'; count: number; since?: number } // since: `set … at <time>`, when it became true
  | { at: number; kind: 'importantData' }
  | { at: number; kind: 'coreData' }
  | { at: number; kind: 'ransomware' }
  | { at: number; kind: 'correctT0'; to: number }
  | { at: number; kind: 'milestone' }
  | { at: number; kind: 'resolve' };

export interface OScenario {
  createdAt: number;
  steps: OStep[]; // in time order, all at or after createdAt
  now: number;
}

export interface OResult {
  grade: OGrade;
  t0: number | null;
  majorAt: number | null;
  brief: number | null;
  incident: number | null;
  progress: number | null; // the next one, while handling goes on
  final: number | null; // 24:00 of the 10th working day after the day handling ended
  immediate: number[]; // Art. 16: when each immediate report fell due
}

// Peak hours of the example institution's core banking system (Art. 31(3), its own method): working days of the
// official calendar, make-up days included, 09:00-11:30 and 13:30-17:00.
function isPeakMinute(ms: number, cal: Calendar): boolean {
  const local = new Date(ms + SH);
  const date = local.toISOString().slice(0, 10);
  if (!cal.isWorkday(date)) return false;
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  return (m >= 9 * 60 && m < 11 * 60 + 30) || (m >= 13 * 60 + 30 && m < 17 * 60);
}

interface Known {
  outage?: { start: number; provinces: number; rate: number };
  restoredAt?: number;
  disrupted?: boolean;
  persons?: { count: number; since: number };
  importantData?: number; // since
  coreData?: number;
  ransomware?: number;
}

/** The grade the facts known give at instant t (Art. 7-10, 12 ¶1 "highest wins"); peak/total: outage minutes before t. */
function gradeAt(k: Known, t: number, peak: number, total: number): OGrade {
  let g: OGrade = '一般';
  const o = k.outage;
  if (o) {
    const whole = o.rate > 70 && o.provinces >= 1; // Art. 31(4): more than 70%
    const two = o.provinces >= 2;
    if (whole) {
      // Art. 7(1), 8(1), 9(1): key network, peak hours.
      if (peak >= (two ? 180 : 360)) g = maxG(g, '特别重大');
      else if (peak >= (two ? 90 : 180)) g = maxG(g, '重大');
      else if (peak >= (two ? 15 : 30)) g = maxG(g, '较大');
    }
    // Art. 10(1) (30 min any time) and 10(3) (1 h) give 一般 only: nothing above the floor.
    void total;
  }
  // Art. 7-10 item 2: people affected by a disrupted main function; "not disrupted" rules it out.
  const disrupted = k.disrupted !== false || (o !== undefined && o.rate > 70);
  if (k.persons && k.persons.since <= t && disrupted) {
    const n = k.persons.count;
    if (n >= 10_000_000) g = maxG(g, '特别重大');
    else if (n >= 1_000_000) g = maxG(g, '重大');
    else if (n >= 100_000) g = maxG(g, '较大');
  }
  if (k.coreData !== undefined && k.coreData <= t) g = maxG(g, '特别重大'); // Art. 7(3)
  if (k.importantData !== undefined && k.importantData <= t) g = maxG(g, '重大'); // Art. 8(3)
  if (k.ransomware !== undefined && k.ransomware <= t) g = maxG(g, '较大'); // Art. 9(4)
  return g;
}

/** Where reading the minutes starts: the incident's opening, the outage start, or a fact dated earlier by the user. */
function earliestMinute(k: Known, createdAt: number): number {
  return Math.min(createdAt, k.outage?.start ?? Infinity, k.persons?.since ?? Infinity);
}

/** 24:00 of the 10th working day after the Shanghai date of `ms` (that day not counted). */
function tenWorkingDaysAfter(ms: number, cal: Calendar): number {
  let day = Math.floor((ms + SH) / (24 * HOUR));
  let n = 0;
  while (n < 10) {
    day++;
    if (cal.isWorkday(new Date(day * 24 * HOUR).toISOString().slice(0, 10))) n++;
  }
  return (day + 1) * 24 * HOUR - SH;
}

export function oracle(sc: OScenario, cal: Calendar): OResult {
  const k: Known = {};
  let recorded: OGrade = '一般'; // registered at the lowest grade when opened
  let t0: number | null = null;
  let t0Corrected = false;
  let majorAt: number | null = null;
  let majorRecordedAt: number | null = null;
  let reportableAt: number | null = null; // first time the grade was 较大+ (Art. 15)
  let resolvedAt: number | null = null;
  const raisesToMajor: number[] = []; // instants of raises to or within 重大+
  const milestones: number[] = [];

  // At each moment a person types something (and at `now`), the facts known then are read over every minute.
  const settle = (tau: number) => {
    let peak = 0;
    let total = 0;
    for (let t = earliestMinute(k, sc.createdAt); t <= tau; t += MIN) {
      // The minute just before t counts when the outage ran through it (start inclusive, restoration exclusive).
      const m = t - MIN;
      if (k.outage && m >= k.outage.start && m < (k.restoredAt ?? Infinity)) {
        total++;
        if (isPeakMinute(m, cal)) peak++;
      }
      const g = gradeAt(k, t, peak, total);
      if (rank(g) > rank(recorded)) {
        // A raise (Art. 12 ¶3), at the minute the facts met it. Art. 16 (below): an immediate report when it is to
        // 重大+ from an earlier grade PBoC was told of (较大+, as the facts finally show it), while handling goes on.
        if (rank(g) >= rank('重大')) raisesToMajor.push(t);
        recorded = g;
      }
      if (rank(g) >= rank('较大')) {
        if (reportableAt === null || t < reportableAt) reportableAt = t;
        if (!t0Corrected && (t0 === null || t < t0)) t0 = t; // never later on its own
      }
      if (rank(g) >= rank('重大')) {
        if (majorAt === null || t < majorAt) majorAt = t;
        if (majorRecordedAt === null) majorRecordedAt = tau;
      }
    }
  };

  settle(sc.createdAt);
  for (const s of sc.steps) {
    switch (s.kind) {
      case 'outage': k.outage = { start: s.start, provinces: s.provinces, rate: s.rate }; break;
      case 'restored': k.restoredAt = s.restoredAt; break;
      case 'disrupted': k.disrupted = s.value; break;
      case 'persons': k.persons = { count: s.count, since: s.since ?? s.at }; break;
      case 'importantData': k.importantData ??= s.at; break;
      case 'coreData': k.coreData ??= s.at; break;
      case 'ransomware': k.ransomware ??= s.at; break;
      case 'correctT0': if (t0 !== null) { t0 = s.to; t0Corrected = true; } break;
      case 'milestone': milestones.push(s.at); break;
      case 'resolve': resolvedAt ??= s.at; break;
    }
    settle(s.at);
  }
  settle(sc.now);

  const grade = recorded;
  const reportable = rank(grade) >= rank('较大');
  const major = rank(grade) >= rank('重大');
  const mAt = majorAt ?? t0;
  // Art. 16: a milestone noted while the record already said 重大+, before handling ended.
  const ms = major ? milestones.filter((m) => majorRecordedAt !== null && m >= majorRecordedAt && m >= mAt! && (resolvedAt === null || m <= resolvedAt)) : [];
  return {
    grade,
    t0: reportable ? t0 : null,
    majorAt: major ? mAt : null,
    brief: reportable && t0 !== null ? t0 + HOUR : null, // Art. 15: 1 hour
    incident: reportable && t0 !== null ? t0 + 24 * HOUR : null, // Art. 15: 24 hours
    progress: major && resolvedAt === null ? mAt! + 2 * HOUR : null, // Art. 16: every 2 hours (no report yet)
    final: resolvedAt !== null ? tenWorkingDaysAfter(resolvedAt, cal) : null, // Art. 17
    immediate: major
      ? [...raisesToMajor.filter((t) => reportableAt !== null && t > reportableAt && t >= mAt! && (resolvedAt === null || t <= resolvedAt)), ...ms].sort((a, b) => a - b)
      : [],
  };
}
