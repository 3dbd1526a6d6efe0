import { t, type Lang } from '../i18n/index.ts';
import { assess, pendingRaises, type Assessment } from '../incident/assess.ts';
import type { IncidentEvent } from '../incident/events.ts';
import { apply, type IncidentState } from '../incident/state.ts';
import { articleRef, buildCard } from './card.ts';
import { formatShanghai } from './parse.ts';
import { nextQuestion, questionView } from './questions.ts';
import type { StepContext, StepResult } from './step-types.ts';
import type { IncidentCard, Reply, Session } from './types.ts';

/**
 * Applies events, records any grade raise the facts now require, and builds the replies.
 * `beforeCard` is the card of the incident as loaded (null for a new one): an answer that changed
 * nothing a reader acts on gets the compact card. The state after the events is assessed once, here,
 * and that assessment feeds both the card and the question flow.
 */
export function finish(ctx: StepContext, session: Session, before: IncidentState, beforeCard: IncidentCard | null, events: IncidentEvent[], replies: Reply[], ask = false): StepResult {
  const { nowMs, config } = ctx;
  const lang: Lang = session.lang;
  let s = events.reduce(apply, before);
  const raises = pendingRaises(s, nowMs, config.assess, 'bot');
  s = raises.reduce(apply, s);
  const out: Reply[] = [...replies];
  for (const r of raises) {
    if (r.type !== 'grade-raised' || r.from === null) continue;
    out.push({ type: 'text', text: t(lang, 'ok.raised', { from: r.from, to: r.to, at: formatShanghai(r.effectiveAt), basis: lang === 'en' ? r.basis.map((b) => articleRef(lang, b.article, b.item)).join(', ') : r.basis.map((b) => b.reason).join('；') }) });
  }
  const a: Assessment = assess(s, nowMs, config.assess);
  const card = buildCard(s, nowMs, lang, config, a);
  const compact = beforeCard !== null && before.version > 0 && events.length > 0 && raises.length === 0 && sameSubstance(beforeCard, card);
  out.push({ type: 'card', card, ...(compact ? { compact } : {}) });
  let next = session;
  if (ask || session.pending?.incidentId === s.id) {
    const q = nextQuestion(s, session, nowMs, config, a);
    next = { ...session, active: s.id, pending: q ? { incidentId: s.id, questionId: q.id, path: q.path } : null };
    if (q) out.push({ type: 'question', question: questionView(q, s.id, lang, config, s) });
    else if (ask) out.push({ type: 'text', text: t(lang, 'ok.flowDone') });
  }
  return { session: next, incidentId: s.id, events: [...events, ...raises], replies: out };
}

function sameSubstance(x: IncidentCard, y: IncidentCard): boolean {
  const key = (c: IncidentCard) => JSON.stringify([c.grade, c.basis, c.unsettled, c.deadlines.map((d) => [d.kind, d.dueAt, d.status]), c.awaiting, c.warnings, c.parallel, c.route, c.status, c.sources ?? [], c.record]);
  return key(x) === key(y);
}
