// The card's record lines: when it happened, when the clocks started and why, what was corrected, and a
// grade kept higher than the facts now support. Pure.
import { t, type Lang } from '../i18n/index.ts';
import type { Assessment } from '../incident/assess.ts';
import type { IncidentState } from '../incident/state.ts';
import { atLeast, GRADE_EN, LEVEL, type Grade } from '../rules/grades.ts';

const gradeName = (g: Grade, lang: Lang): string => (lang === 'en' ? GRADE_EN[g] : g);
import { formatShanghai } from './parse.ts';

function t0Why(s: IncidentState, lang: Lang): string {
  const last = [...s.corrections].reverse().find((c) => c.field === 't0');
  if (last && last.to === s.t0) return t(lang, 'card.t0Why.corrected', { reason: last.reason });
  if (s.t0Backdated) return t(lang, 'card.t0Why.backdated');
  const reached = s.gradeHistory.find((g) => g.effectiveAt === s.t0 && atLeast(g.to, '较大'));
  if (reached) return t(lang, 'card.t0Why.grade', { grade: gradeName(reached.to, lang) });
  if (s.values.publicOpinion === true) return t(lang, 'card.t0Why.opinion');
  return t(lang, 'card.t0Why.created');
}

export function recordLines(s: IncidentState, a: Assessment, lang: Lang): string[] {
  const out: string[] = [];
  const occurred = s.values.occurredAt;
  if (typeof occurred === 'number') out.push(t(lang, 'card.occurred', { at: formatShanghai(occurred) }));
  if (s.t0 !== null) out.push(t(lang, 'card.t0', { at: formatShanghai(s.t0), why: t0Why(s, lang) }));
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
