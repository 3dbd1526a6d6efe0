import type { WsFrameHeaders } from '@wecom/aibot-node-sdk';
import { z } from 'zod';
import { INCOMING_TEXT_MAX } from '../text.ts';
import type { ChatInput } from '../../src/conversation/types.ts';
import type { Inbound, PlatformParse } from '../kit/platform.ts';
import { AckKey, AnswerKey, DONE_KEY } from './render/cards.ts';

// Frames as the SDK hands them to its listeners: { cmd, headers: { req_id }, body }.

const From = z.object({ userid: z.string().min(1) }).passthrough();

const MessageBody = z.object({
  msgid: z.string().min(1),
  chatid: z.string().optional(),
  chattype: z.enum(['single', 'group']),
  from: From,
  msgtype: z.string(),
  text: z.object({ content: z.string() }).passthrough().optional(),
  voice: z.object({ content: z.string() }).passthrough().optional(), // speech, already turned into text by WeCom
  // Text with pictures (a pasted screenshot): its text items are read, the pictures left aside.
  mixed: z.object({ msg_item: z.array(z.object({ msgtype: z.string(), text: z.object({ content: z.string() }).passthrough().optional() }).passthrough()) }).passthrough().optional(),
}).passthrough();

const Selected = z.object({
  question_key: z.string().optional(),
  option_ids: z.union([z.object({ option_id: z.array(z.string()) }).passthrough(), z.array(z.string())]).optional(),
}).passthrough();

const CardEvent = z.object({
  card_type: z.string().optional(),
  event_key: z.string().optional(),
  task_id: z.string().optional(),
  selected_items: z.union([z.object({ selected_item: z.array(Selected) }).passthrough(), z.array(Selected)]).optional(),
}).passthrough();

const EventBody = z.object({
  msgid: z.string().min(1),
  chatid: z.string().optional(),
  chattype: z.enum(['single', 'group']).optional(),
  from: From,
  msgtype: z.literal('event'),
  // WeCom nests the click under event.template_card_event; the SDK's typings put its fields on event itself.
  event: CardEvent.extend({ eventtype: z.literal('template_card_event'), template_card_event: CardEvent.optional() }).passthrough(),
}).passthrough();

/** Where a frame came from and where to answer: a group chat id, or the user's id in a one-to-one chat. */
interface Origin {
  msgid: string;
  chatId: string;
  group: boolean;
  userId: string;
}

/** An inbound chat message the bot should handle. */
export interface ParsedMessage extends Origin {
  input: ChatInput;
  tooLong?: boolean; // over INCOMING_TEXT_MAX: refused with a notice, never handled
}

/**
 * A click on one of the bot's question cards (or on an answered card: `input` null, nothing to do), or on a
 * reminder's acknowledge button (`ack`: its command, run as the clicker).
 */
export type ParsedAction = Origin & { taskId: string; answer: string } & ( // answer: the label, or the value
  | { ack?: undefined; input: (ChatInput & { kind: 'action'; questionId: string; incidentId: string }) | null }
  | { ack: true; input: ChatInput & { kind: 'command' } }
);

const PREFIX = /^[/／](?:incident|事件)(?=\s|$)\s*([\s\S]*)$/i;

/** The command text after `/incident` or `/事件`, or null when the text is not a command. */
export function commandText(text: string): string | null {
  const m = PREFIX.exec(text.trim());
  return m ? (m[1] ?? '').trim() : null;
}

/**
 * Drops the leading @-mentions of a group message ("@事件机器人 /incident new ..."): WeCom delivers a group message
 * only when it mentions the bot, with the mention in the text. Clients end a mention with U+2005; typed ones, a space.
 */
export function stripMentions(text: string): string {
  let s = text.trim();
  while (s.startsWith('@')) {
    const special = s.indexOf('\u2005');
    const line = s.indexOf('\n');
    const named = special > 0 && (line < 0 || special < line) && !/[/／]/.test(s.slice(0, special));
    const end = named ? special : s.search(/\s/);
    if (end < 0) return '';
    s = s.slice(end + 1).trim();
  }
  return s;
}

function origin(body: { msgid: string; chatid?: string | undefined; chattype?: 'single' | 'group' | undefined; from: { userid: string } }): Origin {
  const group = body.chattype === 'group' || (body.chattype === undefined && Boolean(body.chatid));
  const chatId = group && body.chatid ? body.chatid : body.from.userid;
  return { msgid: body.msgid, chatId, group, userId: body.from.userid };
}

/** A text (or voice, or the text of a mixed) message → ChatInput, or null when there is nothing to handle. */
export function parseMessage(frame: unknown): ParsedMessage | null {
  const r = MessageBody.safeParse((frame as { body?: unknown } | null)?.body);
  if (!r.success) return null;
  const b = r.data;
  const mixed = b.mixed?.msg_item.flatMap((i) => (i.msgtype === 'text' && i.text ? [i.text.content] : []));
  const raw = b.msgtype === 'text' ? b.text?.content : b.msgtype === 'voice' ? b.voice?.content : b.msgtype === 'mixed' && mixed?.length ? mixed.join('\n') : undefined;
  if (raw === undefined) return null;
  const o = origin(b);
  // Refused before any pattern runs over it (as Slack and Feishu do); never echoed.
  if (raw.length > INCOMING_TEXT_MAX) return { ...o, input: { user: `wecom:${o.userId}`, conversation: `wecom:${o.chatId}`, kind: 'message', text: '' }, tooLong: true };
  const text = o.group ? stripMentions(raw) : raw.trim();
  const command = commandText(text);
  if (command === null && text === '' && !o.group) return null;
  const base = { user: `wecom:${o.userId}`, conversation: `wecom:${o.chatId}` };
  const input: ChatInput = command !== null || text === ''
    ? { ...base, kind: 'command', text: command ?? '' }
    : { ...base, kind: 'message', text };
  return { ...o, input };
}

/** The option ids chosen on a vote card. */
function chosen(ev: z.infer<typeof CardEvent>): string[] {
  const items = ev.selected_items === undefined ? [] : Array.isArray(ev.selected_items) ? ev.selected_items : ev.selected_items.selected_item;
  return items.flatMap((i) => (i.option_ids === undefined ? [] : Array.isArray(i.option_ids) ? i.option_ids : i.option_ids.option_id));
}

/** A template_card_event → the answer to the question its card asked, or null when it is not one of ours. */
export function parseCardEvent(frame: unknown): ParsedAction | null {
  const r = EventBody.safeParse((frame as { body?: unknown } | null)?.body);
  if (!r.success) return null;
  const ev = { ...r.data.event, ...(r.data.event.template_card_event ?? {}) };
  if (!ev.event_key || !ev.task_id) return null;
  const o = origin(r.data);
  if (ev.event_key === DONE_KEY) return { ...o, taskId: ev.task_id, answer: '', input: null };
  let key: AnswerKey;
  try {
    const raw: unknown = JSON.parse(ev.event_key);
    const ack = AckKey.safeParse(raw);
    if (ack.success) {
      return { ...o, taskId: ev.task_id, answer: ack.data.l, ack: true, input: { kind: 'command', text: ack.data.a, user: `wecom:${o.userId}`, conversation: `wecom:${o.chatId}` } };
    }
    const k = AnswerKey.safeParse(raw);
    if (!k.success) return null;
    key = k.data;
  } catch {
    return null;
  }
  let value = key.v;
  let label = key.l ?? key.v;
  if (value === undefined && key.o) {
    const pick = /^o(\d+)$/.exec(chosen(ev)[0] ?? '');
    const option = pick ? key.o[Number(pick[1])] : undefined;
    if (!option) return null;
    [value, label] = option;
  }
  if (value === undefined || value.trim() === '') return null;
  return {
    ...o,
    taskId: ev.task_id,
    answer: label ?? value,
    input: { kind: 'action', text: value, questionId: key.q, incidentId: key.i, user: `wecom:${o.userId}`, conversation: `wecom:${o.chatId}` },
  };
}

const EnterChatBody = z.object({
  msgid: z.string().min(1),
  from: From,
  msgtype: z.literal('event'),
  event: z.object({ eventtype: z.literal('enter_chat') }).passthrough(),
}).passthrough();

/** enter_chat (someone opens the one-to-one chat with the robot, first time that day) → who, or null. */
export function parseEnterChat(frame: unknown): { msgid: string; chatId: string; userId: string; group: false; input: ChatInput } | null {
  const r = EnterChatBody.safeParse((frame as { body?: unknown } | null)?.body);
  if (!r.success) return null;
  const userId = r.data.from.userid;
  return { msgid: r.data.msgid, chatId: userId, userId, group: false, input: { kind: 'command', text: 'help', user: `wecom:${userId}`, conversation: `wecom:${userId}` } };
}

/** A callback as the SDK hands it to its listeners: { cmd, headers: { req_id }, body }. */
export type WecomPayload = WsFrameHeaders;

/** Where an answer goes: a group chat id, or the user's id in a one-to-one chat (WeCom addresses both as chatid). */
export interface WecomTarget { chatId: string; group: boolean }

/** A callback as the inbox keeps it: without the temporary response_url (a credential the bot does not use). */
function storedFrame(frame: unknown): unknown {
  const f = frame as { cmd?: string; headers?: unknown; body?: unknown };
  const { response_url: _url, ...body } = (f.body ?? {}) as Record<string, unknown>;
  return { cmd: f.cmd, headers: f.headers, body };
}

const IGNORE = { kind: 'ignore' } as const;

function message(frame: unknown): Inbound<WecomTarget> {
  const m = parseMessage(frame);
  const e = m ? null : parseEnterChat(frame);
  const o = m ?? e;
  if (!o) return IGNORE;
  return {
    kind: 'message', key: `wecom-msg:${o.msgid}`, id: o.msgid, input: o.input, user: o.userId, to: { chatId: o.chatId, group: o.group },
    // A one-to-one chat is listed in WECOM_ALLOWED_CHATS by the user's id.
    chat: o.chatId, ...(o.group ? {} : { oneToOne: true as const }), ...(m?.tooLong ? { tooLong: true } : {}), ...(e ? { welcome: true as const } : {}),
    stored: storedFrame(frame),
  };
}

function click(frame: unknown): Inbound<WecomTarget> {
  const a = parseCardEvent(frame);
  if (!a || !a.input) return IGNORE; // not ours, or the ✓ of an answered card
  return { kind: 'click', card: a.taskId, user: a.userId, value: a.input.text, typed: false, to: { chatId: a.chatId, group: a.group }, stored: storedFrame(frame) };
}

const isClick = (frame: unknown) => (frame as { body?: { event?: { eventtype?: unknown } } } | null)?.body?.event?.eventtype === 'template_card_event';

export const parse: PlatformParse<WecomPayload, WecomTarget> = {
  payload: (p) => (isClick(p) ? click(p) : message(p)),
  stored: (kind, s) => (kind === 'click' ? click(s) : message(s)),
  // A chat a reminder or a card names: WeCom's chat ids do not say whether they are groups; pushed as to a group.
  target: (conversation) => (/^wecom:./.test(conversation) ? { chatId: conversation.slice('wecom:'.length), group: true } : null),
  chat: (conversation) => (/^wecom:./.test(conversation) ? conversation.slice('wecom:'.length) : null),
};
