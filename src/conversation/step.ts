import { t } from '../i18n/index.ts';
import { assess } from '../incident/assess.ts';
import type { EventInput, IncidentEvent } from '../incident/events.ts';
import { isOpen } from '../incident/state.ts';
import { buildCard } from './card.ts';
import { parseCommand, type Command } from './commands.ts';
import { COMMANDS } from './commands/index.ts';
import type { BaseContext, Handler, IncidentContext } from './commands/context.ts';
import { finish } from './finish.ts';
import { parseChoice } from './parse.ts';
import type { StepContext, StepResult } from './step-types.ts';
import type { ChatInput, Reply, Session } from './types.ts';

export type { StepContext, StepResult } from './step-types.ts';

type Parsed = { ok: true; command: Command; target?: string } | { ok: false; reply: Reply };

/** The question "which incident?": its answer runs the waiting command (kept in the session) on the one chosen. */
export const WHICH_INCIDENT = 'which-incident';

/** Turns any input into a command: a slash command, an answer typed as a message, or a button. */
export function toCommand(input: ChatInput, session: Session): Parsed {
  const lang = session.lang;
  const which = session.pending?.questionId === WHICH_INCIDENT ? session.pending : null;
  if ((input.kind === 'action' && input.questionId === WHICH_INCIDENT) || (input.kind === 'message' && which)) {
    if (!which?.command) return { ok: false, reply: { type: 'error', text: t(lang, 'err.noQuestion') } };
    const ids = which.path.split(',');
    const picked = parseChoice(input.text, ids.map((id) => ({ value: id, labels: [id] })));
    if (!picked.ok) return { ok: false, reply: { type: 'error', text: t(lang, 'err.whichAnswer', { input: input.text.slice(0, 40), ids: ids.join(', ') }) } };
    const r = parseCommand(which.command);
    return r.ok ? { ok: true, command: r.command, target: picked.value } : { ok: false, reply: { type: 'error', text: t(lang, 'err.noQuestion') } };
  }
  if (input.kind === 'command') {
    const r = parseCommand(input.text);
    if (r.ok) return r;
    const e = r.error;
    if (e.code === 'two-incidents') return { ok: false, reply: { type: 'error', text: t(lang, 'err.twoIncidents', { ids: e.ids.join(', ') }) } };
    if (e.code === 'unknown-command') return { ok: false, reply: { type: 'error', text: t(lang, 'err.unknownCommand', { word: e.word }) } };
    if (e.code === 'usage') return { ok: false, reply: { type: 'error', text: t(lang, 'err.usage', { usage: t(lang, `usage.${e.command}` as 'usage.new') }) } };
    return { ok: true, command: { name: 'help' } };
  }
  if (input.kind === 'action') return { ok: true, command: { name: 'answer', value: input.text } };
  if (!session.pending) return { ok: false, reply: { type: 'error', text: t(lang, 'err.noQuestion') } };
  return { ok: true, command: { name: 'answer', value: input.text } };
}

/** Commands that mean the closed incident the user is on, even when another one is open here. */
const AFTER_CLOSE: ReadonlySet<Command['name']> = new Set(['status', 'feedback', 'reopen', 'contact']);
/** Commands that change handling facts: refused on a closed incident (reopen it first). */
const HANDLING: ReadonlySet<Command['name']> = new Set(['set', 'answer', 'skip', 'resolve', 'lower', 't0', 'risk', 'milestone']);

/** True for a command that still applies once the incident is closed (PBoC feedback, a revision, reopening). */
export function appliesAfterClose(command: Command): boolean {
  return AFTER_CLOSE.has(command.name) || (command.name === 'report' && command.kind === 'revision');
}

/** True for a command that records something on an incident (its table entry says so): it never guesses which. */
export function recordsOnIncident(command: Command): boolean {
  const h = COMMANDS[command.name] as Handler<Command['name']>;
  return h.needsIncident && h.records === true;
}

/** The incident this user chose themselves, if a command may still go to it; null when there is none. */
export function chosenTarget(command: Command, session: Session, openIds: readonly string[]): string | null {
  const c = session.chosen ?? null;
  return c !== null && (openIds.includes(c) || appliesAfterClose(command)) ? c : null;
}

/**
 * Whether to ask which incident instead of acting: several open here, none named, a recording command, and no
 * incident this user chose themselves (by `new`, `use` or naming it).
 */
export function asksWhich(command: Command, input: ChatInput, session: Session, openIds: readonly string[], target?: string): boolean {
  return !target && input.kind === 'command' && openIds.length > 1 && recordsOnIncident(command) && chosenTarget(command, session, openIds) === null;
}

/**
 * Which incident a command acts on: the id it names; with several open here, for a recording command, the one this
 * user chose; otherwise the user's active one (open, or closed for what still applies after the final report), or
 * the only open one here.
 */
export function resolveTarget(command: Command, input: ChatInput, session: Session, openIds: readonly string[], target?: string): string | null {
  if (target) return target;
  if ((command.name === 'status' && command.id) || command.name === 'use') return command.id ?? null;
  if (input.kind === 'action' && input.incidentId) return input.incidentId;
  if (command.name === 'answer' && session.pending) return session.pending.incidentId;
  if (openIds.length > 1 && recordsOnIncident(command)) return chosenTarget(command, session, openIds);
  if (session.active && openIds.includes(session.active)) return session.active;
  if (session.active && (appliesAfterClose(command) || openIds.length === 0)) return session.active;
  return openIds.length === 1 ? openIds[0]! : null;
}

/** One conversation step. Pure: the caller loads, appends `events` and saves `session`. */
export function step(ctx: StepContext): StepResult {
  const { input, nowMs, config } = ctx;
  const session: Session = { ...ctx.session };
  const lang = session.lang;
  const parsed: Parsed = ctx.parsed ? { ok: true, ...ctx.parsed } : toCommand(input, session);
  if (!parsed.ok) return { session, incidentId: null, events: [], replies: [parsed.reply] };
  const cmd = parsed.command;
  const actor = input.userName ? `${input.user} (${input.userName})` : input.user;
  const base: BaseContext = {
    ctx, lang, session, nowMs,
    ev: (e: EventInput): IncidentEvent => ({ ...e, at: nowMs, actor }) as IncidentEvent,
    fail: (text: string): StepResult => ({ session: ctx.session, incidentId: ctx.incident?.id ?? null, events: [], replies: [{ type: 'error', text }] }),
  };
  const handler = COMMANDS[cmd.name] as Handler<Command['name']>;
  if (!handler.needsIncident) return handler.run(base, cmd);

  if (!ctx.incident) {
    const named = parsed.target ?? (cmd.name === 'use' || (cmd.name === 'status' && cmd.id) ? (cmd as { id: string }).id : null);
    if (named) return base.fail(t(lang, 'err.noSuchIncident', { id: named }));
    return base.fail(ctx.open.length > 1 ? t(lang, 'err.whichIncident', { ids: ctx.open.map((s) => s.id).join(', ') }) : t(lang, 'err.noIncident'));
  }
  const s = ctx.incident;
  if (s.conversation !== input.conversation) return base.fail(t(lang, 'err.otherConversation', { id: s.id }));
  if (!isOpen(s) && HANDLING.has(cmd.name)) return base.fail(t(lang, 'err.closedIncident', { id: s.id }));
  // The incident as loaded, assessed once: handlers decide on it and the compact card compares against it.
  const a = assess(s, nowMs, config.assess);
  const beforeCard = buildCard(s, nowMs, lang, config, a);
  const c: IncidentContext = {
    ...base, s, a,
    done: (events, replies = [], ask = false, next = session) => finish(ctx, next, s, beforeCard, events, replies, ask),
  };
  return handler.run(c, cmd);
}
