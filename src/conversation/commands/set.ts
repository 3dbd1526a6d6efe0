import { actorSource, SOURCE_NAME } from '../../alerts/signal.ts';
import { t } from '../../i18n/index.ts';
import { parseFieldValue, resolveField } from '../../incident/fields.ts';
import { formatShanghai, parseChoice } from '../parse.ts';
import { occurrenceBound, readTime } from '../read-time.ts';
import { QUESTIONS, questionView } from '../questions.ts';
import type { StepResult } from '../step-types.ts';
import { checkValue } from './check-value.ts';
import type { Handler, IncidentContext } from './context.ts';
import { skipQuestion } from './skip.ts';
import { backdate } from './t0.ts';

/** `set <field> <value>`, a typed answer, or a clicked option: one fact recorded. */
const SINCE_TYPES = new Set(['bool', 'count', 'minutes', 'grade-or-none']);
const OWN_TIME_FIELD = /^networks\.N\.(ref|name|protectionLevel|keyNetwork|financialService|disrupted|outage\.)/;

function setFact(c: IncidentContext, cmd: { name: 'set'; field: string; value: string } | { name: 'answer'; value: string }): StepResult {
  const { ctx, lang, s, session } = c;
  const { input, config, nowMs } = ctx;
  // A button answers the question it was rendered for, even if it is an older one or another user's.
  const clicked = input.kind === 'action' && input.questionId ? QUESTIONS.find((q) => q.id === input.questionId) : undefined;
  if (input.kind === 'action' && input.questionId && !clicked) return c.fail(t(lang, 'err.noQuestion'));
  const fieldName = cmd.name === 'set' ? cmd.field : clicked?.path ?? session.pending?.path;
  if (cmd.name === 'answer' && !clicked && (!session.pending || session.pending.incidentId !== s.id)) return c.fail(t(lang, 'err.noQuestion'));
  if (cmd.name === 'answer' && /^(skip|跳过)$/i.test(cmd.value.trim())) return skipQuestion(c, clicked?.id);
  if (cmd.name === 'set' && /^(t0|起算时间)$/i.test(cmd.field)) return backdate(c, cmd.value);
  const field = resolveField(fieldName!, 0);
  if (!field) return c.fail(t(lang, 'err.unknownField', { field: fieldName! }));
  // `set <field> <value> at <time>`: when a fact without a time of its own (a count, a data fact) became true, if
  // not when typed (rules.md reading of T0). Outage facts run on their own start and restoration times.
  const timed = cmd.name === 'set' && SINCE_TYPES.has(field.def.type) && !OWN_TIME_FIELD.test(field.def.path)
    ? /^(.*?)\s+(?:at|于)\s+(.+)$/i.exec(cmd.value) : null;
  let since: number | undefined;
  if (timed) {
    const read = readTime(lang, timed[2]!, nowMs, t(lang, 'field.since'), occurrenceBound(lang, s.values));
    if (!read.ok) return c.fail(read.message);
    since = read.value;
    cmd = { ...cmd, value: timed[1]! };
  }
  // A value a monitoring source recorded is corrected by a person with a reason (design.md: outside sources).
  const source = cmd.name === 'set' ? actorSource(s.valueBy[field.path]?.actor ?? '') : null;
  const corrected = source ? /^(.*?)\s+(?:原因|理由|reason|because)[:：]?\s*(.+)$/i.exec(cmd.value) : null;
  if (source && !corrected) return c.fail(t(lang, 'err.alertReason', { field: field.def.label[lang], source: SOURCE_NAME[source], example: `${fieldName!} ${cmd.value}` }));
  const reason = corrected ? corrected[2]!.slice(0, 500) : undefined;
  // An answer may pick one of the options the question showed, by its number or its label ("1", "是", "无").
  const asked = cmd.name === 'answer' ? clicked ?? QUESTIONS.find((q) => q.id === session.pending?.questionId) : undefined;
  const shown = asked ? questionView(asked, s.id, lang, config, s).options : [];
  const picked = shown.length > 0 ? parseChoice(cmd.value, shown.map((o) => ({ value: o.value, labels: [o.label] }))) : null;
  // "?" at a question asks what the options are: the question again, nothing recorded (not 不确定).
  if (asked && /^[?？]+$/.test(cmd.value.trim())) {
    return { session, incidentId: s.id, events: [], replies: [{ type: 'text', text: t(lang, 'answer.reask') }, { type: 'question', question: questionView(asked, s.id, lang, config, s) }] };
  }
  const value = picked?.ok ? picked.value : corrected ? corrected[1]! : cmd.value;
  const r = parseFieldValue(field.def, value, nowMs, config.assess.networks);
  const label = field.def.label[lang];
  // A time is read as the user meant it: asked about when it could be yesterday, never before the occurrence.
  const isTime = r.ok && typeof r.value === 'number' && (field.def.type === 'time' || field.def.type === 'time-or-no');
  if (isTime || (!r.ok && r.error.code === 'time')) {
    const read = readTime(lang, value, nowMs, label, field.path === 'occurredAt' ? undefined : occurrenceBound(lang, s.values));
    if (!read.ok) return c.fail(read.message);
  }
  // A whole number past what can be counted exactly is too large, not "not a number".
  if (!r.ok && r.error.code === 'number' && /^\d+$/.test(value.replace(/[,，\s]/g, '')) && Number(value.replace(/[,，\s]/g, '')) > Number.MAX_SAFE_INTEGER) {
    return c.fail(t(lang, 'err.value.tooLarge', { input: value, max: Number.MAX_SAFE_INTEGER.toLocaleString(lang === 'en' ? 'en' : 'zh-CN') }));
  }
  if (!r.ok) return c.fail(t(lang, `err.value.${r.error.code}` as 'err.value.number', { input: value, field: label }));
  const problem = checkValue(lang, s, field.path, r.value, value);
  if (problem) return c.fail(problem);
  const e = r.value === 'unknown' ? c.ev({ type: 'fact-unknown', path: field.path }) : c.ev({ type: 'fact-set', path: field.path, value: r.value, ...(reason ? { reason } : {}), ...(since !== undefined ? { since } : {}) });
  const next = session.pending?.path === field.path ? { ...session, pending: null } : session;
  const ask = cmd.name === 'answer' || next.pending === null;
  const echo = r.value === 'unknown' ? [t(lang, 'ok.unknown', { field: label })] : isTime ? [t(lang, 'ok.timeSet', { field: label, at: formatShanghai(r.value as number) })]
    : since !== undefined ? [t(lang, 'ok.factSince', { field: label, at: formatShanghai(since) })] : [];
  return c.done([e], echo.map((text) => ({ type: 'text' as const, text })), ask, next);
}

export const set: Handler<'set'> = { needsIncident: true, records: true, run: setFact };
export const answer: Handler<'answer'> = { needsIncident: true, run: setFact };
