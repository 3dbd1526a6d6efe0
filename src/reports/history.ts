// Art. 19 ¶3 处置历程回顾: a timeline derived from the incident record.
import type { Lang } from '../i18n/index.ts';
import type { IncidentState } from '../incident/state.ts';
import { channelText, gradeText, kindText, minute } from './format.ts';
import { rt } from './messages.ts';

export interface HistoryEntry {
  atMs: number;
  text: string;
}

/** Every dated step of the record, oldest first (ties keep record order). */
export function handlingTimeline(s: IncidentState, lang: Lang): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  const occurred = s.values.occurredAt;
  if (typeof occurred === 'number') out.push({ atMs: occurred, text: rt(lang, 'history.occurred') });
  if (s.createdAt > 0) out.push({ atMs: s.createdAt, text: rt(lang, 'history.created', { by: s.createdBy }) });
  for (const g of s.gradeHistory) {
    const grade = gradeText(g.to, lang);
    if (g.loweredReason !== undefined && g.from !== null) {
      out.push({ atMs: g.at, text: rt(lang, 'history.lowered', { from: gradeText(g.from, lang), grade, reason: g.loweredReason }) });
    } else if (g.from === null) {
      out.push({ atMs: g.at, text: rt(lang, 'history.graded', { grade }) });
    } else {
      out.push({ atMs: g.at, text: rt(lang, 'history.raised', { from: gradeText(g.from, lang), grade }) });
    }
  }
  for (const m of s.milestones) out.push({ atMs: m.at, text: rt(lang, 'history.milestone', { text: m.text }) });
  for (const r of s.reports) {
    const kind = kindText(r.kind, lang);
    out.push({ atMs: r.at, text: rt(lang, 'history.report', { kind, channel: channelText(r.channel, lang), to: r.recipient }) });
    const c = r.confirmation;
    if (c) out.push({ atMs: c.confirmedAt, text: rt(lang, 'history.confirmed', { contact: c.contact, channel: channelText(c.channel, lang), kind }) });
  }
  if (s.resolvedAt !== null) out.push({ atMs: s.resolvedAt, text: rt(lang, 'history.resolved') });
  if (s.feedbackReceivedAt !== null) out.push({ atMs: s.feedbackReceivedAt, text: rt(lang, 'history.feedback') });
  return out.map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i).map(({ e }) => e);
}

/** The timeline as lines "2026-11-29 10:05 定级为较大". */
export function handlingHistoryText(s: IncidentState, lang: Lang): string {
  return handlingTimeline(s, lang).map((e) => `${minute(e.atMs)} ${e.text}`).join('\n');
}
