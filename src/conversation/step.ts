import { parseLang, t, type Lang } from '../i18n/index.ts';
import { assess, pendingRaises } from '../incident/assess.ts';
import type { EventInput, IncidentEvent } from '../incident/events.ts';
import { parseFieldValue, resolveField, type FieldValue } from '../incident/fields.ts';
import { apply, emptyState, type IncidentState } from '../incident/state.ts';
import { checkChannel, needsReceiptConfirmation } from '../rules/channels.ts';
import { LEVEL, atLeast } from '../rules/grades.ts';
import { isValidDate } from '../rules/working-days.ts';
import { parseIso, shanghaiDate } from '../rules/time.ts';
import { draftReport, isDraftKind } from '../reports/draft.ts';
import { actorSource, SOURCE_NAME } from '../alerts/signal.ts';
import { articleRef, buildCard } from './card.ts';
import { parseCommand, type Command } from './commands.ts';
import { helpText } from './help.ts';
import { formatShanghai, parseChoice, parseDuration, parseTime } from './parse.ts';
import { nextQuestion, QUESTIONS, questionView } from './questions.ts';
import type { BotConfig, ChatInput, IncidentCard, Reply, Session } from './types.ts';

export interface StepContext {
  input: ChatInput;
  session: Session;
  incident: IncidentState | null; // the incident the input targets, as loaded
  open: IncidentState[]; // open incidents of this conversation, for `list` and targeting
  nowMs: number;
  config: BotConfig;
  newId?: string; // allocated by the caller for `new`
}

export interface StepResult {
  session: Session;
  incidentId: string | null;
  events: IncidentEvent[]; // to append at incident.version (optimistic concurrency)
  replies: Reply[];
  /** Documents the caller renders (asynchronously) and attaches as file replies. */
  attachments?: Array<{ kind: 'final-docx' | 'revision-docx'; lang: Lang }>;
}

type Parsed = { ok: true; command: Command } | { ok: false; reply: Reply };

/** Turns any input into a command: a slash command, an answer typed as a message, or a button. */
export function toCommand(input: ChatInput, session: Session): Parsed {
  const lang = session.lang;
  if (input.kind === 'command') {
    const r = parseCommand(input.text);
    if (r.ok) return r;
    const e = r.error;
    if (e.code === 'unknown-command') return { ok: false, reply: { type: 'error', text: t(lang, 'err.unknownCommand', { word: e.word }) } };
    if (e.code === 'usage') return { ok: false, reply: { type: 'error', text: t(lang, 'err.usage', { usage: t(lang, `usage.${e.command}` as 'usage.new') }) } };
    return { ok: true, command: { name: 'help' } };
  }
  if (input.kind === 'action') return { ok: true, command: { name: 'answer', value: input.text } };
  if (!session.pending) return { ok: false, reply: { type: 'error', text: t(lang, 'err.noQuestion') } };
  return { ok: true, command: { name: 'answer', value: input.text } };
}

/** Which incident a command acts on: named, the user's active one, or the only open one here. */
export function resolveTarget(command: Command, input: ChatInput, session: Session, openIds: readonly string[]): string | null {
  if ((command.name === 'status' && command.id) || command.name === 'use') return command.id ?? null;
  if (input.kind === 'action' && input.incidentId) return input.incidentId;
  if (command.name === 'answer' && session.pending) return session.pending.incidentId;
  if (session.active && openIds.includes(session.active)) return session.active;
  if (session.active && command.name === 'status') return session.active;
  return openIds.length === 1 ? openIds[0]! : null;
}

const NEEDS_INCIDENT: ReadonlySet<Command['name']> = new Set(['draft', 'status', 'set', 'answer', 'skip', 'report', 'confirm', 'resolve', 'reopen', 'lower', 't0', 'feedback', 'risk', 'milestone', 'note', 'use']);

/** One conversation step. Pure: the caller loads, appends `events` and saves `session`. */
export function step(ctx: StepContext): StepResult {
  const { input, nowMs, config } = ctx;
  let session: Session = { ...ctx.session };
  const lang = session.lang;
  const parsed = toCommand(input, session);
  const fail = (text: string): StepResult => ({ session: ctx.session, incidentId: ctx.incident?.id ?? null, events: [], replies: [{ type: 'error', text }] });
  if (!parsed.ok) return { session, incidentId: null, events: [], replies: [parsed.reply] };
  const cmd = parsed.command;
  const actor = input.userName ? `${input.user} (${input.userName})` : input.user;
  const ev = (e: EventInput): IncidentEvent => ({ ...e, at: nowMs, actor }) as IncidentEvent;

  switch (cmd.name) {
    case 'help':
      return { session, incidentId: null, events: [], replies: [{ type: 'text', text: helpText(lang, cmd.topic, { calendar: config.assess.calendar, nowMs }, config), ephemeral: true }] };
    case 'lang': {
      const l = parseLang(cmd.lang);
      if (!l) return fail(t(lang, 'err.lang', { input: cmd.lang }));
      return { session: { ...session, lang: l }, incidentId: null, events: [], replies: [{ type: 'text', text: t(l, 'ok.lang'), ephemeral: true }] };
    }
    case 'list': {
      const lines = ctx.open.map((s) => {
        const a = assess(s, nowMs, config.assess);
        return t(lang, 'list.line', { id: s.id, title: s.title, grade: a.grade, status: s.resolvedAt === null ? t(lang, 'status.open') : t(lang, 'status.resolved', { at: formatShanghai(s.resolvedAt) }) });
      });
      return { session, incidentId: null, events: [], replies: [{ type: 'text', text: lines.length ? `${t(lang, 'list.head')}\n${lines.join('\n')}` : t(lang, 'list.none') }] };
    }
    case 'new': {
      if (!ctx.newId) throw new Error('step: `new` needs an allocated id');
      const created = ev({ type: 'created', id: ctx.newId, title: cmd.title, conversation: input.conversation });
      session = { ...session, active: ctx.newId, pending: null };
      return finish(ctx, session, emptyState(), [created], [{ type: 'text', text: t(lang, 'ok.created', { id: ctx.newId, title: cmd.title }) }], true);
    }
    default:
      break;
  }

  if (NEEDS_INCIDENT.has(cmd.name) && !ctx.incident) {
    const named = cmd.name === 'use' || (cmd.name === 'status' && cmd.id);
    if (named) return fail(t(lang, 'err.noSuchIncident', { id: (cmd as { id: string }).id }));
    return fail(ctx.open.length > 1 ? t(lang, 'err.whichIncident', { ids: ctx.open.map((s) => s.id).join(', ') }) : t(lang, 'err.noIncident'));
  }
  const s = ctx.incident!;
  if (s.conversation !== input.conversation) return fail(t(lang, 'err.otherConversation', { id: s.id }));
  const done = (events: IncidentEvent[], replies: Reply[] = [], ask = false) => finish(ctx, session, s, events, replies, ask);

  switch (cmd.name) {
    case 'status':
      return done([]);
    case 'use':
      session = { ...session, active: s.id, pending: null };
      return finish(ctx, session, s, [], [], true);
    case 'set':
    case 'answer': {
      // A button answers the question it was rendered for, even if it is an older one or another user's.
      const clicked = input.kind === 'action' && input.questionId ? QUESTIONS.find((q) => q.id === input.questionId) : undefined;
      if (input.kind === 'action' && input.questionId && !clicked) return fail(t(lang, 'err.noQuestion'));
      const fieldName = cmd.name === 'set' ? cmd.field : clicked?.path ?? session.pending?.path;
      if (cmd.name === 'answer' && !clicked && (!session.pending || session.pending.incidentId !== s.id)) return fail(t(lang, 'err.noQuestion'));
      if (cmd.name === 'answer' && /^(skip|跳过)$/i.test(cmd.value.trim())) return skip(clicked?.id);
      if (cmd.name === 'set' && /^(t0|起算时间)$/i.test(cmd.field)) return backdate(cmd.value);
      const field = resolveField(fieldName!, 0);
      if (!field) return fail(t(lang, 'err.unknownField', { field: fieldName! }));
      // A value a monitoring source recorded is corrected by a person with a reason (design.md: outside sources).
      const source = cmd.name === 'set' ? actorSource(s.valueBy[field.path]?.actor ?? '') : null;
      const corrected = source ? /^(.*?)\s+(?:原因|理由|reason|because)[:：]?\s*(.+)$/i.exec(cmd.value) : null;
      if (source && !corrected) return fail(t(lang, 'err.alertReason', { field: field.def.label[lang], source: SOURCE_NAME[source], example: `${fieldName!} ${cmd.value}` }));
      const reason = corrected ? corrected[2]!.slice(0, 500) : undefined;
      // An answer may pick one of the options the question showed, by its number or its label ("1", "是", "无").
      const asked = cmd.name === 'answer' ? clicked ?? QUESTIONS.find((q) => q.id === session.pending?.questionId) : undefined;
      const shown = asked ? questionView(asked, s.id, lang, config, s).options : [];
      const picked = shown.length > 0 ? parseChoice(cmd.value, shown.map((o) => ({ value: o.value, labels: [o.label] }))) : null;
      const value = picked?.ok ? picked.value : corrected ? corrected[1]! : cmd.value;
      const r = parseFieldValue(field.def, value, nowMs, config.assess.networks);
      if (!r.ok) return fail(t(lang, `err.value.${r.error.code}` as 'err.value.number', { input: value, field: field.def.label[lang] }));
      const problem = checkValue(s, field.path, r.value);
      if (problem) return fail(problem);
      const e = r.value === 'unknown' ? ev({ type: 'fact-unknown', path: field.path }) : ev({ type: 'fact-set', path: field.path, value: r.value, ...(reason ? { reason } : {}) });
      if (session.pending?.path === field.path) session = { ...session, pending: null };
      const ask = cmd.name === 'answer' || session.pending === null;
      return done([e], r.value === 'unknown' ? [{ type: 'text', text: t(lang, 'ok.unknown', { field: field.def.label[lang] }) }] : [], ask);
    }
    case 'skip':
      return skip();
    case 'report': {
      if ((cmd.kind === 'final' || cmd.kind === 'preliminary') && s.resolvedAt === null) return fail(t(lang, 'err.notResolved'));
      if (cmd.kind === 'revision' && s.feedbackReceivedAt === null) return fail(t(lang, 'err.noFeedback'));
      if (cmd.kind === 'risk-feedback' && s.riskNotice === null) return fail(t(lang, 'err.noRiskNotice'));
      const check = checkChannel(cmd.kind, cmd.channel, { workSecrets: s.values.workSecrets === true, internetChannels: config.institution.internetChannels });
      if (!check.ok) return fail(t(lang, `err.channel.${check.reason}` as 'err.channel.work-secrets', { channel: t(lang, `channel.${cmd.channel}` as 'channel.email') }));
      if (cmd.kind === 'preliminary' && (!cmd.committedDate || !isValidDate(cmd.committedDate))) return fail(t(lang, 'err.committedDate'));
      if (cmd.committedDate && cmd.committedDate <= shanghaiDate(nowMs)) return fail(t(lang, 'err.committedDate'));
      const reportId = `R${s.reports.length + 1}`;
      const recipient = cmd.recipient ?? config.institution.recipients[0]?.name ?? '';
      // Art. 25: the ledger keeps the content reported; the draft at the moment of sending is that record.
      const summary = isDraftKind(cmd.kind) ? draftReport(cmd.kind, s, nowMs, config.institution, 'zh-CN').text.slice(0, 4000) : undefined;
      const e = ev({ type: 'report-submitted', reportId, kind: cmd.kind, channel: cmd.channel, recipient, ...(cmd.committedDate ? { committedDate: cmd.committedDate } : {}), ...(summary ? { summary } : {}) });
      const key = needsReceiptConfirmation(cmd.channel) ? 'ok.reportAwaiting' : 'ok.report';
      return done([e], [{ type: 'text', text: t(lang, key, { id: reportId, kind: t(lang, `report.${cmd.kind}` as 'report.brief'), channel: t(lang, `channel.${cmd.channel}` as 'channel.email'), to: recipient }) }]);
    }
    case 'confirm': {
      const ref = cmd.report.toUpperCase();
      const report = s.reports.find((r) => r.reportId === ref)
        ?? [...s.reports].reverse().find((r) => r.kind === ref.toLowerCase() && needsReceiptConfirmation(r.channel) && !r.confirmation);
      if (!report) return fail(t(lang, 'err.noSuchReport', { id: cmd.report, ids: s.reports.map((r) => r.reportId).join(', ') || '-' }));
      if (!needsReceiptConfirmation(report.channel)) return fail(t(lang, 'err.noConfirmNeeded', { id: report.reportId }));
      if (report.confirmation) return fail(t(lang, 'err.alreadyConfirmed', { id: report.reportId }));
      const at = cmd.at ? parseTime(cmd.at, nowMs) : { ok: true as const, value: nowMs };
      if (!at.ok) return fail(t(lang, 'err.value.time', { input: cmd.at ?? '', field: '' }));
      if (at.value < report.at) return fail(t(lang, 'err.confirmBeforeSend'));
      const e = ev({ type: 'receipt-confirmed', reportId: report.reportId, channel: cmd.channel, contact: cmd.contact, confirmedAt: at.value });
      return done([e], [{ type: 'text', text: t(lang, 'ok.confirmed', { id: report.reportId, contact: cmd.contact, channel: t(lang, `channel.${cmd.channel}` as 'channel.phone') }) }]);
    }
    case 'resolve': {
      if (s.resolvedAt !== null) return fail(t(lang, 'err.alreadyResolved'));
      const at = cmd.at ? parseTime(cmd.at, nowMs) : { ok: true as const, value: nowMs };
      if (!at.ok) return fail(t(lang, 'err.value.time', { input: cmd.at ?? '', field: '' }));
      if (at.value < s.createdAt - 30 * 86_400_000) return fail(t(lang, 'err.value.time', { input: cmd.at ?? '', field: '' }));
      return done([ev({ type: 'resolved', resolvedAt: at.value })], [{ type: 'text', text: t(lang, 'ok.resolved') }]);
    }
    case 'reopen':
      if (s.resolvedAt === null) return fail(t(lang, 'err.notResolved'));
      return done([ev({ type: 'reopened' })]);
    case 'lower': {
      const a = assess(s, nowMs, config.assess);
      if (!(LEVEL[cmd.grade] > LEVEL[a.grade])) return fail(t(lang, 'err.lowerNotLower', { grade: a.grade }));
      // Art. 12: facts that still meet a higher grade keep it; correct the facts first.
      if (LEVEL[a.result.grade] < LEVEL[cmd.grade]) return fail(t(lang, 'err.lowerFacts', { grade: a.result.grade }));
      return done([ev({ type: 'grade-lowered', from: a.grade, to: cmd.grade, reason: cmd.reason })], [{ type: 'text', text: t(lang, 'ok.lowered', { grade: cmd.grade }) }]);
    }
    case 't0':
      return backdate(cmd.at);
    case 'feedback': {
      if (!s.reports.some((r) => r.kind === 'final')) return fail(t(lang, 'err.noFinal'));
      const at = cmd.at ? parseTime(cmd.at, nowMs) : { ok: true as const, value: nowMs };
      if (!at.ok) return fail(t(lang, 'err.value.time', { input: cmd.at ?? '', field: '' }));
      return done([ev({ type: 'feedback-received', receivedAt: at.value })]);
    }
    case 'risk': {
      const due = futureTime(cmd.due, nowMs);
      if (due === null) return fail(t(lang, 'err.riskDue', { input: cmd.due }));
      return done([ev({ type: 'risk-notice', receivedAt: nowMs, dueAt: due, summary: cmd.summary })]);
    }
    case 'draft': {
      const l = cmd.lang ? parseLang(cmd.lang) : lang;
      if (!isDraftKind(cmd.kind) || !l) return fail(t(lang, 'err.usage', { usage: t(lang, 'usage.draft') }));
      const d = draftReport(cmd.kind, s, nowMs, config.institution, l);
      // Art. 18 ¶2: the post-incident report goes in writing with the seal; the DOCX is that document.
      if (cmd.docx && cmd.kind !== 'final' && cmd.kind !== 'revision') return fail(t(lang, 'err.docxFinalOnly'));
      const attachments = cmd.docx ? [{ kind: cmd.kind === 'revision' ? 'revision-docx' as const : 'final-docx' as const, lang: l }] : undefined;
      return { session, incidentId: s.id, events: [], replies: [{ type: 'text', text: d.text }], ...(attachments ? { attachments } : {}) };
    }
    case 'milestone':
      return done([ev({ type: 'milestone', text: cmd.text })], [{ type: 'text', text: t(lang, atLeast(assess(s, nowMs, config.assess).grade, '重大') ? 'ok.milestoneMajor' : 'ok.note') }]);
    case 'note':
      return done([ev({ type: 'note', text: cmd.text })], [{ type: 'text', text: t(lang, 'ok.note') }]);
    default:
      return fail(t(lang, 'err.unknownCommand', { word: (cmd as Command).name }));
  }

  /** Skips the clicked question, else the pending one. */
  function skip(questionId = session.pending?.questionId): StepResult {
    if (!questionId) return fail(t(lang, 'err.noQuestion'));
    const pending = session.pending?.questionId === questionId ? null : session.pending;
    session = { ...session, skipped: [...session.skipped, `${s.id}:${questionId}`], pending };
    return finish(ctx, session, s, [], [], true);
  }

  function backdate(text: string): StepResult {
    const at = parseTime(text, nowMs);
    if (!at.ok) return fail(t(lang, 'err.value.time', { input: text, field: 'T0' }));
    if (s.t0 === null) return fail(t(lang, 'err.t0NotStarted'));
    // rules.md: users may backdate T0; the product never moves it later.
    if (at.value >= s.t0) return fail(t(lang, 'err.t0Later', { t0: formatShanghai(s.t0) }));
    return done([ev({ type: 't0-set', t0: at.value, reason: 'backdated' })], [{ type: 'text', text: t(lang, 'ok.t0', { at: formatShanghai(at.value) }) }]);
  }

  function checkValue(st: IncidentState, path: string, value: FieldValue | 'unknown'): string | null {
    if (value === 'unknown') return null;
    const start = path.endsWith('outage.restored') ? st.values[path.replace('restored', 'start')] : undefined;
    if (typeof start === 'number' && typeof value === 'number' && value < start) return t(lang, 'err.restoredBeforeStart');
    const restored = path.endsWith('outage.start') ? st.values[path.replace('start', 'restored')] : undefined;
    if (typeof restored === 'number' && typeof value === 'number' && value > restored) return t(lang, 'err.restoredBeforeStart');
    if (path.endsWith('outage.provinces') && typeof value === 'number' && (value < 1 || value > 34)) return t(lang, 'err.provinces');
    return null;
  }
}

/** A future deadline: an ISO/Shanghai date-time, or a duration from now ("24h", "3天"). */
function futureTime(text: string, nowMs: number): number | null {
  const iso = parseIso(text.replace(' ', 'T'));
  if (!Number.isNaN(iso)) return iso > nowMs ? iso : null;
  const d = parseDuration(text);
  return d.ok && d.value > 0 ? nowMs + d.value * 60_000 : null;
}

/** Applies events, records any grade raise the facts now require, and builds the replies. */
function finish(ctx: StepContext, session: Session, before: IncidentState, events: IncidentEvent[], replies: Reply[], ask = false): StepResult {
  const { nowMs, config } = ctx;
  const lang: Lang = session.lang;
  let s = events.reduce(apply, before);
  const raises = pendingRaises(s, nowMs, ctx.config.assess, 'bot');
  s = raises.reduce(apply, s);
  const out: Reply[] = [...replies];
  for (const r of raises) {
    if (r.type !== 'grade-raised' || r.from === null) continue;
    out.push({ type: 'text', text: t(lang, 'ok.raised', { from: r.from, to: r.to, at: formatShanghai(r.effectiveAt), basis: lang === 'en' ? r.basis.map((b) => articleRef(lang, b.article, b.item)).join(', ') : r.basis.map((b) => b.reason).join('；') }) });
  }
  const a = assess(s, nowMs, config.assess);
  const card = buildCard(s, nowMs, lang, config, a);
  // An answer that changed nothing a reader acts on (grade, basis, deadlines, warnings) gets the compact card.
  const compact = before.version > 0 && events.length > 0 && raises.length === 0 && sameSubstance(buildCard(before, nowMs, lang, config), card);
  out.push({ type: 'card', card, ...(compact ? { compact } : {}) });
  let next = session;
  if (ask || session.pending?.incidentId === s.id) {
    const q = nextQuestion(s, session, nowMs, config);
    next = { ...session, active: s.id, pending: q ? { incidentId: s.id, questionId: q.id, path: q.path } : null };
    if (q) out.push({ type: 'question', question: questionView(q, s.id, lang, config, s) });
    else if (ask) out.push({ type: 'text', text: t(lang, 'ok.flowDone') });
  }
  return { session: next, incidentId: s.id, events: [...events, ...raises], replies: out };
}

function sameSubstance(x: IncidentCard, y: IncidentCard): boolean {
  const key = (c: IncidentCard) => JSON.stringify([c.grade, c.basis, c.unsettled, c.deadlines.map((d) => [d.kind, d.dueAt, d.status]), c.awaiting, c.warnings, c.parallel, c.route, c.status, c.sources ?? []]);
  return key(x) === key(y);
}
