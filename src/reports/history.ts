// Art. 19 ¶3 处置历程回顾: a timeline derived from the incident record.
import type { Lang } from '../i18n/index.ts';
import { recordedNetworkName, type IncidentState } from '../incident/state.ts';
import { t } from '../i18n/index.ts';
import { amendmentChanges } from './amendments.ts';
import { channelText, gradeText, kindText, minute } from './format.ts';

export interface HistoryEntry {
  atMs: number;
  text: string;
}

/** Every dated step of the record, oldest first (ties keep record order). */
export function handlingTimeline(s: IncidentState, lang: Lang, networks: ReadonlyArray<{ id: string; name: string }> = []): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  const occurred = s.values.occurredAt;
  if (typeof occurred === 'number') out.push({ atMs: occurred, text: t(lang, 'history.occurred') });
  // Each live outage: when the main function went down and when it came back (names, never internal ids).
  for (const key of Object.keys(s.values)) {
    const m = /^networks\.(\d+)\.outage\.(start|restored)$/.exec(key);
    const at = s.values[key];
    if (!m || typeof at !== 'number') continue;
    const name = recordedNetworkName(s.values, m[1]!, networks) ?? '';
    out.push({ atMs: at, text: t(lang, m[2] === 'start' ? 'history.outageStart' : 'history.outageRestored', { name }) });
  }
  // The bot's opening 一般 is a placeholder until the facts are in: a later grade reads as the first grading.
  const placeholder = s.gradeHistory.length > 1 && s.gradeHistory[0]!.from === null && s.gradeHistory[0]!.to === '一般';
  s.gradeHistory.forEach((g, i) => {
    const grade = gradeText(g.to, lang);
    if (placeholder && i === 0) return;
    // A grade is dated when it was recorded; when the facts met it earlier (a raise noticed by the next pass, facts
    // entered late), the line says when, as the card's raise notice does.
    const reached = minute(g.effectiveAt) !== minute(g.at) ? t(lang, 'history.reachedAt', { at: minute(g.effectiveAt) }) : '';
    if (g.loweredReason !== undefined && g.from !== null) {
      out.push({ atMs: g.at, text: t(lang, 'history.lowered', { from: gradeText(g.from, lang), grade, reason: g.loweredReason }) });
    } else if (g.from === null || (placeholder && i === 1)) {
      out.push({ atMs: g.at, text: t(lang, 'history.graded', { grade }) + reached });
    } else {
      out.push({ atMs: g.at, text: t(lang, 'history.raised', { from: gradeText(g.from, lang), grade }) + reached });
    }
  });
  for (const m of s.milestones) out.push({ atMs: m.at, text: t(lang, 'history.milestone', { text: m.text }) });
  for (const r of s.reports) {
    const kind = kindText(r.kind, lang);
    out.push({ atMs: r.at, text: t(lang, 'history.report', { kind, channel: channelText(r.channel, lang), to: r.recipient }) });
    const c = r.confirmation;
    if (c) out.push({ atMs: c.confirmedAt, text: t(lang, 'history.confirmed', { contact: c.contact, channel: channelText(c.channel, lang), kind }) });
    // Beside the report, each amendment and a void, when recorded, with who and why; the report line keeps its time.
    for (const a of r.amendments ?? []) out.push({ atMs: a.at, text: t(lang, 'history.amended', { id: r.reportId, kind, changes: amendmentChanges(a, lang), actor: a.actor, reason: a.reason }) });
    if (r.voided) out.push({ atMs: r.voided.at, text: t(lang, 'history.voided', { id: r.reportId, kind, actor: r.voided.actor, reason: r.voided.reason }) });
  }
  for (const c of s.corrections) {
    const field = t(lang, c.field === 't0' ? 'field.t0' : 'field.occurredAt');
    out.push({ atMs: c.at, text: t(lang, 'history.corrected', { field, from: c.from === null ? '-' : minute(c.from), to: minute(c.to), actor: c.actor, reason: c.reason }) });
  }
  if (s.resolvedAt !== null) out.push({ atMs: s.resolvedAt, text: t(lang, 'history.resolved') });
  if (s.feedbackReceivedAt !== null) out.push({ atMs: s.feedbackReceivedAt, text: t(lang, 'history.feedback') });
  return out.map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i).map(({ e }) => e);
}

/** The timeline as lines "2026-11-29 10:05 定级为较大". */
export function handlingHistoryText(s: IncidentState, lang: Lang, networks?: ReadonlyArray<{ id: string; name: string }>): string {
  return handlingTimeline(s, lang, networks).map((e) => `${minute(e.atMs)} ${e.text}`).join('\n');
}
