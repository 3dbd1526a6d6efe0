// The card's record lines: when it happened, when the clocks started and why, what was corrected, and a
// grade kept higher than the facts now support. Pure.
import { t, type Lang } from '../i18n/index.ts';
import type { Assessment } from '../incident/assess.ts';
import type { IncidentState } from '../incident/state.ts';
import { atLeast, GRADE_EN, LEVEL, type Grade } from '../regimes/pboc-2025-4/grades.ts';

const gradeName = (g: Grade, lang: Lang): string => (lang === 'en' ? GRADE_EN[g] : g);
import { formatDurationMs, formatShanghai } from './parse.ts';
import { criterionMinutes } from '../regimes/pboc-2025-4/grading.ts';
import { shanghaiDate } from '../calendar/time.ts';
import type { RecordedBasis } from '../incident/events.ts';

function t0Why(s: IncidentState, lang: Lang): string {
  const last = [...s.corrections].reverse().find((c) => c.field === 't0');
  if (last && last.to === s.t0) return t(lang, 'card.t0Why.corrected', { reason: last.reason });
  if (s.t0Backdated) return t(lang, 'card.t0Why.backdated');
  const moved = [...(s.clockMoves ?? [])].reverse().find((m) => m.clock === 't0' && m.to === s.t0);
  if (moved) return t(lang, 'card.t0Why.earlier', { grade: gradeName('较大', lang), from: formatShanghai(moved.from) });
  const reached = s.gradeHistory.find((g) => g.effectiveAt === s.t0 && atLeast(g.to, '较大'));
  if (reached) return t(lang, 'card.t0Why.grade', { grade: gradeName(reached.to, lang) });
  if (s.values.publicOpinion === true) return t(lang, 'card.t0Why.opinion');
  return t(lang, 'card.t0Why.created');
}

const ZH_COUNT = ['', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];

/**
 * The one-line computation of a T0 set by a duration crossing its threshold: "中断 10:00 起，两省整体中断，10:15
 * 达到第九条第（一）项 15分钟 → 简要报告截止 11:15", saying at once when that time has passed. Null for other T0s.
 */
function t0Computation(s: IncidentState, a: Assessment, lang: Lang, nowMs: number, t0: number, basis: readonly RecordedBasis[]): string | null {
  const hm = (ms: number) => (shanghaiDate(ms) === shanghaiDate(t0) ? formatShanghai(ms).slice(11) : formatShanghai(ms));
  const starts = Object.keys(s.values).filter((p) => /^networks\.\d+\.outage\.start$/.test(p));
  for (const b of basis) {
    for (const p of starts) {
      const i = p.split('.')[1];
      const start = s.values[p] as number;
      const provinces = typeof s.values[`networks.${i}.outage.provinces`] === 'number' ? (s.values[`networks.${i}.outage.provinces`] as number) : 1;
      const minutes = b.article === 6 ? null : criterionMinutes(b.article, b.item, provinces);
      if (minutes === null && !(b.article === 6 && b.item === null)) continue;
      const ref = b.item === null ? t(lang, 'ref.article', { article: b.article }) : t(lang, 'ref.item', { article: b.article, item: b.item });
      const brief = a.deadlines.deadlines.find((d) => d.kind === 'brief');
      if (!brief) return null;
      const count = lang === 'en' ? `${provinces} province${provinces === 1 ? '' : 's'}` : `${ZH_COUNT[provinces] ?? provinces}${provinces <= 10 ? '省' : '个省级行政区'}`;
      const whole = b.item === 1 || b.article === 6;
      return t(lang, 'card.t0Line', {
        what: t(lang, whole ? 'card.t0Line.outage' : 'card.t0Line.disrupted'), start: hm(start),
        scope: whole ? t(lang, 'card.t0Line.scope', { provinces: count }) : '-', at: hm(t0), ref,
        threshold: minutes === null ? (lang === 'en' ? t(lang, 'card.t0Line.rule') : b.reason) : formatDurationMs(minutes * 60_000, lang),
        due: hm(brief.dueAtMs), overdue: brief.status === 'overdue' ? formatDurationMs(nowMs - brief.dueAtMs, lang) : '',
      });
    }
  }
  return null;
}

/** The basis recorded when T0 was set: the raise or the earlier move that put it where it is. */
function t0Basis(s: IncidentState): RecordedBasis[] {
  const moved = [...(s.clockMoves ?? [])].reverse().find((m) => m.clock === 't0' && m.to === s.t0);
  if (moved) return moved.basis;
  return s.gradeHistory.find((g) => g.effectiveAt === s.t0 && atLeast(g.to, '较大'))?.basis ?? [];
}

export function recordLines(s: IncidentState, a: Assessment, lang: Lang, nowMs: number): string[] {
  const out: string[] = [];
  const occurred = s.values.occurredAt;
  if (typeof occurred === 'number') out.push(t(lang, 'card.occurred', { at: formatShanghai(occurred) }));
  if (s.t0 !== null) {
    out.push(t(lang, 'card.t0', { at: formatShanghai(s.t0), why: t0Why(s, lang) }));
    const line = s.t0Backdated || s.corrections.some((c) => c.field === 't0') ? null : t0Computation(s, a, lang, nowMs, s.t0, t0Basis(s));
    if (line) out.push(line);
    // A person's correction stands; what the facts give is shown beside it.
    const f = a.t0FromFacts;
    if (f && f.atMs !== s.t0) {
      const b = f.result.basis.find((x) => x.grade === f.result.grade);
      out.push(t(lang, 'card.t0Line.facts', { computed: formatShanghai(f.atMs), why: b ? t(lang, b.item === null ? 'ref.article' : 'ref.item', { article: b.article, item: b.item ?? 0 }) : '-', at: formatShanghai(s.t0) }));
    }
  }
  for (const c of s.corrections) {
    out.push(t(lang, 'card.corrected', {
      field: t(lang, c.field === 't0' ? 'field.t0' : 'field.occurredAt'), from: c.from === null ? '-' : formatShanghai(c.from),
      to: formatShanghai(c.to), actor: c.actor, at: formatShanghai(c.at), reason: c.reason,
    }));
  }
  for (const kind of ['final', 'revision'] as const) {
    const filed = s.reports.filter((r) => r.kind === kind);
    if (filed.length > 0 && filed.every((r) => r.channel !== 'written')) out.push(t(lang, 'card.writtenStillDue', { kind: t(lang, `report.${kind}`), cmd: kind }));
  }
  // Reports with no deadline of their own (a brief report on a 一般 incident) are still on the record.
  const due = new Set([...a.deadlines.immediate, ...a.deadlines.deadlines].map((d) => d.kind));
  for (const r of s.reports) {
    if (!due.has(r.kind) && (r.kind === 'brief' || r.kind === 'incident') && !atLeast(a.grade, '较大')) {
      out.push(t(lang, 'card.noDeadline', { id: r.reportId, kind: t(lang, `report.${r.kind}`), at: formatShanghai(r.at), grade: gradeName(a.grade, lang) }));
    }
  }
  // Reaching 重大 at once opens several items: one brief report now meets the immediate one too.
  const pending = (k: string) => [...a.deadlines.immediate, ...a.deadlines.deadlines].some((d) => d.kind === k && d.status !== 'met');
  if (pending('immediate') && pending('brief')) out.push(t(lang, 'card.oneBriefMeetsAll'));
  // Art. 12: the grade never drops by itself; say when the facts no longer support it, and how to lower it.
  if (LEVEL[a.grade] < LEVEL[a.result.grade]) out.push(t(lang, 'card.higherThanFacts', { grade: gradeName(a.grade, lang), facts: gradeName(a.result.grade, lang), cmd: a.result.grade }));
  for (const g of s.gradeHistory) if (g.loweredReason && g.from) out.push(t(lang, 'card.lowered', { from: gradeName(g.from, lang), to: gradeName(g.to, lang), reason: g.loweredReason, at: formatShanghai(g.at) }));
  return out;
}
