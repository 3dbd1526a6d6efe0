import { t } from '../i18n/index.ts';
import { assess } from '../incident/assess.ts';
import type { EventInput, IncidentEvent } from '../incident/events.ts';
import { isOpen } from '../incident/state.ts';
import { buildCard } from './card.ts';
import { parseCommand, type Command } from './commands.ts';
import { COMMANDS } from './commands/index.ts';
import type { BaseContext, Handler, IncidentContext } from './commands/context.ts';
import { finish } from './finish.ts';
import type { StepContext, StepResult } from './step-types.ts';
import type { ChatInput, Reply, Session } from './types.ts';

export type { StepContext, StepResult } from './step-types.ts';

type Parsed = { ok: true; command: Command; target?: string } | { ok: false; reply: Reply };

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

/** Commands that mean the closed incident the user is on, even when another one is open here. */
const AFTER_CLOSE: ReadonlySet<Command['name']> = new Set(['status', 'feedback', 'reopen', 'contact']);
/** Commands that change handling facts: refused on a closed incident (reopen it first). */
const HANDLING: ReadonlySet<Command['name']> = new Set(['set', 'answer', 'skip', 'resolve', 'lower', 't0', 'risk', 'milestone']);

/** True for a command that still applies once the incident is closed (PBoC feedback, a revision, reopening). */
export function appliesAfterClose(command: Command): boolean {
  return AFTER_CLOSE.has(command.name) || (command.name === 'report' && command.kind === 'revision');
}

/**
 * Which incident a command acts on: the id it names, the user's active one (open, or closed for what still
 * applies after the final report), or the only open one here.
 */
export function resolveTarget(command: Command, input: ChatInput, session: Session, openIds: readonly string[], target?: string): string | null {
  if (target) return target;
  if ((command.name === 'status' && command.id) || command.name === 'use') return command.id ?? null;
  if (input.kind === 'action' && input.incidentId) return input.incidentId;
  if (command.name === 'answer' && session.pending) return session.pending.incidentId;
  if (session.active && openIds.includes(session.active)) return session.active;
  if (session.active && (appliesAfterClose(command) || openIds.length === 0)) return session.active;
  return openIds.length === 1 ? openIds[0]! : null;
}

/** One conversation step. Pure: the caller loads, appends `events` and saves `session`. */
export function step(ctx: StepContext): StepResult {
  const { input, nowMs, config } = ctx;
  const session: Session = { ...ctx.session };
  const lang = session.lang;
  const parsed = toCommand(input, session);
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
    const named = cmd.name === 'use' || (cmd.name === 'status' && cmd.id);
    if (named) return base.fail(t(lang, 'err.noSuchIncident', { id: (cmd as { id: string }).id }));
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
