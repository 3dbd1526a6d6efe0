import { z } from 'zod';
import { isAckCommand } from '../ack.ts';
import type { ChatInput } from '../../src/conversation/types.ts';
import { INCOMING_TEXT_MAX } from '../text.ts';
import type { Inbound, PlatformParse } from '../kit/platform.ts';

// Identifiers the Slack adapter puts into Block Kit and reads back from interaction payloads.

export const ACTION_PREFIX = 'pboc:';
export const ANSWER_ACTION = 'pboc:answer'; // buttons: `pboc:answer:0`, `pboc:answer:1`... (unique per block)
export const SELECT_ACTION = 'pboc:select';
export const OPEN_ACTION = 'pboc:open'; // opens the answer modal
export const ACK_ACTION = 'pboc:ack'; // a reminder's acknowledge button: its value is the `ack` command
export const ACK_BLOCK = 'pboc-ack';
export const ANSWER_VIEW = 'pboc_answer'; // the modal's callback_id
export const INPUT_BLOCK = 'answer';
export const INPUT_ACTION = 'value';

/** `slack:T1:C1` for a channel of a workspace (or of an Enterprise Grid org when the team is absent). */
export function conversationId(team: string, channel: string): string {
  return `slack:${team}:${channel}`;
}

/** The channel of a Slack conversation id; null for another platform's. */
export function parseConversationId(id: string): { team: string; channel: string } | null {
  const m = /^slack:([^:]+):([^:]+)$/.exec(id);
  return m ? { team: m[1]!, channel: m[2]! } : null;
}

export const userId = (user: string): string => `slack:${user}`;

/** A question's actions block: `pboc-q|INC-20261130-01|occurredAt`. */
export function questionBlockId(incidentId: string, questionId: string): string {
  return `pboc-q|${incidentId}|${questionId}`;
}

export function parseQuestionBlockId(blockId: string): { incidentId: string; questionId: string } | null {
  const m = /^pboc-q\|([^|]+)\|([^|]+)$/.exec(blockId);
  return m ? { incidentId: m[1]!, questionId: m[2]! } : null;
}

/** What the answer modal must remember between opening and submission (Slack echoes it back, signed). */
export interface ModalMeta {
  team: string;
  channel: string;
  incidentId: string;
  questionId: string;
  responseUrl: string | null; // of the question message, to replace it with the next question
  lang: 'zh-CN' | 'en';
}

/** What the modal-opening button carries: the question as the core phrased it. */
export interface OpenValue {
  prompt: string;
  hint: string;
  answerType: string;
}

// Slack payloads -> plain ChatInput. Pure: each returns null for a payload it does not understand.

/** Where an input came from, in Slack's own ids (unprefixed), and how to answer it privately. */
export interface Origin {
  team: string;
  channel: string;
  user: string;
  responseUrl: string | null;
}

/** What the adapter does with one payload: run `input` once per `onceKey`. */
export interface Parsed {
  origin: Origin;
  input: ChatInput;
  onceKey: string;
  answered?: string; // the answer as the user saw it (a button's label, what they typed)
  fromQuestion?: boolean; // came from a question message, which the reply may replace
  threadTs?: string; // app_mention inside a thread
  tooLong?: boolean; // the text was over INCOMING_TEXT_MAX: refused with a notice, never handled
}

export interface OpenModal {
  origin: Origin;
  triggerId: string;
  open: OpenValue;
  incidentId: string;
  questionId: string;
  onceKey: string;
}

const str = z.string().min(1);

/** Slack escapes &, < and > in text it sends; the core wants what the user typed. */
export function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Message formatting back to plain words: `<@U1>` → `@U1`, `<#C1|x>` → `#x`, `<https://a|b>` → `b`. */
export function unformat(s: string): string {
  // No class may cross a `<`: with `[^>|]+` each unclosed `<` scanned to the end of the text, which was quadratic.
  const plainWords = s.replace(/<([@#!])([^<>|]+)(?:\|([^<>]*))?>/g, (_m, sigil: string, id: string, label?: string) => {
    if (sigil === '!') return `@${(label || id).replace(/^subteam\^/, '').replace(/^@/, '')}`;
    return `${sigil}${label || id}`;
  }).replace(/<([^<>|]+)(?:\|([^<>]*))?>/g, (_m, url: string, label?: string) => label || url);
  return decodeEntities(plainWords);
}

const commandSchema = z.object({
  team_id: z.string().optional(),
  enterprise_id: z.string().optional(),
  channel_id: str,
  user_id: str,
  user_name: z.string().optional(),
  text: z.string().default(''),
  response_url: z.string().optional(),
  trigger_id: str,
});

/** A slash command: its text is the command line after `/incident`. */
export function parseSlashCommand(payload: unknown): Parsed | null {
  const r = commandSchema.safeParse(payload);
  if (!r.success) return null;
  const c = r.data;
  const team = c.team_id || c.enterprise_id || 'T';
  const origin: Origin = { team, channel: c.channel_id, user: c.user_id, responseUrl: c.response_url || null };
  const tooLong = c.text.length > INCOMING_TEXT_MAX;
  const input: ChatInput = {
    kind: 'command', text: tooLong ? '' : decodeEntities(c.text).trim(), user: userId(c.user_id), conversation: conversationId(team, c.channel_id),
    ...(c.user_name ? { userName: c.user_name } : {}),
  };
  return { origin, input, onceKey: `slack:cmd:${c.trigger_id}`, ...(tooLong ? { tooLong } : {}) };
}

const idObj = z.object({ id: str }).nullish();
const userSchema = z.object({ id: str, username: z.string().optional(), name: z.string().optional() });
const actionSchema = z.object({
  action_id: str,
  block_id: z.string().default(''),
  value: z.string().optional(),
  text: z.object({ text: z.string() }).optional(),
  selected_option: z.object({ value: z.string(), text: z.object({ text: z.string() }).optional() }).nullish(),
});
const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  team: idObj,
  enterprise: idObj,
  user: userSchema,
  channel: idObj,
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional() }).passthrough().optional(),
  response_url: z.string().optional(),
  trigger_id: str,
  actions: z.array(actionSchema).min(1),
});

function userName(u: z.infer<typeof userSchema>): { userName: string } | Record<string, never> {
  const n = u.username || u.name;
  return n ? { userName: n } : {};
}

/**
 * A click on a question: an answer (button or select) or a request for the answer modal.
 * The once-key is the question message plus the question, so a double click answers once.
 */
export function parseBlockAction(payload: unknown): { answer: Parsed } | { modal: OpenModal } | null {
  const r = blockActionsSchema.safeParse(payload);
  if (!r.success) return null;
  const b = r.data;
  const a = b.actions[0]!;
  const channel = b.channel?.id ?? b.container?.channel_id;
  if (a.action_id === ACK_ACTION) {
    // A reminder's acknowledge button: the command it carries, run as the person who clicked (once per click target).
    if (!channel || !isAckCommand(a.value)) return null;
    const team = b.team?.id ?? b.enterprise?.id ?? 'T';
    const origin: Origin = { team, channel, user: b.user.id, responseUrl: b.response_url || null };
    const input: ChatInput = { kind: 'command', text: a.value, user: userId(b.user.id), conversation: conversationId(team, channel), ...userName(b.user) };
    return { answer: { origin, input, onceKey: `slack:ack:${team}:${channel}:${b.user.id}:${b.container?.message_ts ?? '-'}:${a.value}` } };
  }
  const q = parseQuestionBlockId(a.block_id);
  if (!q || !channel) return null;
  const team = b.team?.id ?? b.enterprise?.id ?? 'T';
  const origin: Origin = { team, channel, user: b.user.id, responseUrl: b.response_url || null };
  const where = `${team}:${channel}:${b.user.id}:${b.container?.message_ts ?? '-'}:${q.incidentId}:${q.questionId}`;
  if (a.action_id === OPEN_ACTION) {
    let open: OpenValue;
    try {
      open = z.object({ prompt: z.string(), hint: z.string(), answerType: z.string() }).parse(JSON.parse(a.value ?? ''));
    } catch {
      return null;
    }
    return { modal: { origin, triggerId: b.trigger_id, open, ...q, onceKey: `slack:open:${where}` } };
  }
  let value: string | undefined;
  let label: string | undefined;
  if (a.action_id === SELECT_ACTION) {
    value = a.selected_option?.value;
    label = a.selected_option?.text?.text;
  } else if (a.action_id.startsWith(`${ANSWER_ACTION}:`)) {
    value = a.value;
    label = a.text?.text;
  }
  if (value === undefined) return null;
  const input: ChatInput = {
    kind: 'action', text: value, questionId: q.questionId, incidentId: q.incidentId,
    user: userId(b.user.id), conversation: conversationId(team, channel), ...userName(b.user),
  };
  return { answer: { origin, input, onceKey: `slack:answer:${where}`, answered: label ?? value, fromQuestion: true } };
}

const metaSchema = z.object({
  team: str, channel: str, incidentId: str, questionId: str, responseUrl: z.string().nullable(), lang: z.enum(['zh-CN', 'en']),
});
const viewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  user: userSchema,
  view: z.object({
    id: str,
    callback_id: z.literal(ANSWER_VIEW),
    private_metadata: z.string(),
    state: z.object({ values: z.record(z.record(z.object({ value: z.string().nullish() }).passthrough())) }),
  }),
});

/** The answer modal submitted: the typed value answers the question the modal was opened for. */
export function parseViewSubmission(payload: unknown): (Parsed & { meta: ModalMeta }) | null {
  const r = viewSubmissionSchema.safeParse(payload);
  if (!r.success) return null;
  const { user, view } = r.data;
  let meta: ModalMeta;
  try {
    meta = metaSchema.parse(JSON.parse(view.private_metadata));
  } catch {
    return null;
  }
  const value = (view.state.values[INPUT_BLOCK]?.[INPUT_ACTION]?.value ?? '').trim();
  if (!value || value.length > INCOMING_TEXT_MAX) return null; // the modal's input takes at most 3,000
  const input: ChatInput = {
    kind: 'action', text: value, questionId: meta.questionId, incidentId: meta.incidentId,
    user: userId(user.id), conversation: conversationId(meta.team, meta.channel), ...userName(user),
  };
  const origin: Origin = { team: meta.team, channel: meta.channel, user: user.id, responseUrl: meta.responseUrl };
  return { origin, input, onceKey: `slack:view:${view.id}`, answered: value, fromQuestion: true, meta };
}

const mentionSchema = z.object({
  team_id: z.string().optional(),
  event_id: str,
  event: z.object({ type: z.literal('app_mention'), user: str, text: z.string(), channel: str, ts: str, thread_ts: z.string().optional() }),
});

/**
 * `@bot 12万` answers the pending question; `@bot /incident status` (or `@bot incident status`) is a command.
 * The once-key is the event id, so Slack's retries (X-Slack-Retry-Num) run it once.
 */
export function parseMention(payload: unknown): Parsed | null {
  const r = mentionSchema.safeParse(payload);
  if (!r.success) return null;
  const { event: e } = r.data;
  const team = r.data.team_id || 'T';
  const tooLong = e.text.length > INCOMING_TEXT_MAX; // refused before any pattern runs over it
  const text = tooLong ? '' : unformat(e.text.replace(/^\s*(<@[A-Z0-9]+(\|[^<>]*)?>\s*)+/, '')).trim();
  const m = /^\/?(?:incident|事件)(?:\s+|$)(.*)$/is.exec(text);
  const base = { user: userId(e.user), conversation: conversationId(team, e.channel) };
  const input: ChatInput = m || text === '' ? { ...base, kind: 'command', text: (m?.[1] ?? 'help').trim() } : { ...base, kind: 'message', text };
  const origin: Origin = { team, channel: e.channel, user: e.user, responseUrl: null };
  return { origin, input, onceKey: `slack:event:${r.data.event_id}`, threadTs: e.thread_ts ?? e.ts, ...(tooLong ? { tooLong } : {}) };
}

/** A payload as Bolt's receiver hands it over: a slash command, an interaction or an Events API callback. */
export type SlackPayload = Record<string, unknown>;

/** Where replies go: the channel, and privately the user (through response_url when Slack gave one). */
export interface Destination extends Origin {
  fromQuestion?: boolean; // answering a question message: replace it (with the next question) unless the answer failed
  answered?: string;
  threadTs?: string;
}

function destinationOf(p: Parsed): Destination {
  return { ...p.origin, ...(p.fromQuestion ? { fromQuestion: true } : {}), ...(p.answered ? { answered: p.answered } : {}), ...(p.threadTs ? { threadTs: p.threadTs } : {}) };
}

/** A command for the kit: the payload kept whole but for the legacy verification token (the signature was checked). */
function message(p: Parsed, body: SlackPayload, o: { refuseInAck?: true; notResent?: true }): Inbound<Destination> {
  const { token: _token, ...stored } = body;
  return {
    kind: 'message', key: p.onceKey, id: p.onceKey, input: p.input, chat: `${p.origin.team}:${p.origin.channel}`, user: p.origin.user,
    to: destinationOf(p), stored, ...o, ...(p.tooLong ? { tooLong: true } : {}), ...(p.fromQuestion ? { forgetOnError: true } : {}),
  };
}

/**
 * One payload: slash commands, answers (buttons, selects, the modal) and mentions are commands for the inbox; the
 * "answer…" button opens a modal at once. Slack never re-sends a slash command or an interaction, so a full inbox is
 * said to those; a mention (an event) is left unacknowledged instead, and Slack sends it again.
 */
function payload(body: SlackPayload): Inbound<Destination> {
  const b = body as { command?: unknown; type?: unknown };
  if (typeof b.command === 'string') {
    const p = parseSlashCommand(body);
    return p ? message(p, body, { refuseInAck: true, notResent: true }) : { kind: 'ignore' };
  }
  if (b.type === 'block_actions') {
    const r = parseBlockAction(body);
    if (!r) return { kind: 'ignore' };
    if ('answer' in r) return message(r.answer, body, { notResent: true });
    const m = r.modal;
    return { kind: 'instant', key: m.onceKey, chat: `${m.origin.team}:${m.origin.channel}`, user: m.origin.user, to: m.origin, work: m };
  }
  if (b.type === 'view_submission') {
    const p = parseViewSubmission(body);
    return p ? message(p, body, { notResent: true }) : { kind: 'ignore' };
  }
  if (b.type === 'event_callback') {
    const p = parseMention(body);
    return p ? message(p, body, {}) : { kind: 'ignore' };
  }
  return { kind: 'ignore' };
}

/** A channel of a workspace as the kit addresses it: reminders and refusals go to the channel. */
const target = (conversation: string): Destination | null => {
  const c = parseConversationId(conversation);
  return c ? { team: c.team, channel: c.channel, user: '', responseUrl: null } : null;
};

export const parse: PlatformParse<SlackPayload, Destination> = {
  payload,
  stored: (_kind, stored) => payload(stored as SlackPayload),
  target,
  chat: (conversation) => {
    const c = parseConversationId(conversation);
    return c ? `${c.team}:${c.channel}` : null;
  },
  // Private replies (the web page's sign-in link) are ephemeral where the command was typed: only its sender sees them.
  direct: (user, from) => {
    if (!from) return { to: { team: 'T', channel: user, user, responseUrl: null }, conversation: conversationId('T', user) };
    const { fromQuestion: _q, answered: _a, ...to } = from;
    return { to, conversation: conversationId(to.team, to.channel) };
  },
};
