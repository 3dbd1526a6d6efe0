import { z } from 'zod';
import type { ChatInput } from '../../src/conversation/types.ts';
import { INCOMING_TEXT_MAX } from '../text.ts';
import { isAckCommand } from '../ack.ts';
import type { Inbound, PlatformParse } from '../kit/platform.ts';
import type { FeishuTarget } from './transport/send.ts';

// Handlers receive events as the SDK's EventDispatcher flattens them: header and event fields side by side.

const Mention = z.object({
  key: z.string(),
  id: z.object({ open_id: z.string().optional() }).passthrough().optional(),
  name: z.string().optional(),
}).passthrough();

const MessageEvent = z.object({
  event_id: z.string().min(1),
  sender: z.object({
    sender_id: z.object({ open_id: z.string().min(1) }).passthrough(),
    sender_type: z.string(),
  }).passthrough(),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    thread_id: z.string().optional(),
    root_id: z.string().optional(),
    mentions: z.array(Mention).optional(),
  }).passthrough(),
}).passthrough();

const ActionValueSchema = z.object({
  kind: z.literal('answer'),
  incidentId: z.string().min(1),
  questionId: z.string().min(1),
  value: z.string().optional(),
  label: z.string().optional(),
});

const AckValueSchema = z.object({ kind: z.literal('ack'), command: z.string().refine(isAckCommand) });

const CardActionEvent = z.object({
  event_id: z.string().min(1),
  operator: z.object({ open_id: z.string().min(1) }).passthrough(),
  action: z.object({
    value: z.unknown(),
    option: z.string().optional(), // a select menu's chosen value
    form_value: z.record(z.unknown()).optional(),
  }).passthrough(),
  context: z.object({ open_message_id: z.string().min(1), open_chat_id: z.string().min(1) }).passthrough(),
}).passthrough();

/** An inbound chat message the bot should handle, with where to answer it. */
export interface ParsedMessage {
  eventId: string;
  chatId: string;
  messageId: string;
  inThread: boolean;
  input: ChatInput;
  tooLong?: boolean; // over INCOMING_TEXT_MAX: answered with an error, never handled
}

/** A button click or form submit on one of the bot's question cards, or a reminder's acknowledge button. */
export type ParsedAction = {
  eventId: string;
  chatId: string;
  messageId: string; // the card that was clicked
  answer: string; // what to show as answered: the button label or the typed text (for an acknowledgement: its command)
  typed: boolean; // from the card's form rather than a button or menu
} & (
  | { ack?: undefined; input: ChatInput & { kind: 'action'; questionId: string; incidentId: string } }
  | { ack: true; openId: string; input: ChatInput & { kind: 'command' } }
);

const PREFIX = /^[/／](?:incident|事件)(?=\s|$)\s*([\s\S]*)$/i;

/** The command text after `/incident` or `/事件`, or null when the text is not a command. */
export function commandText(text: string): string | null {
  const m = PREFIX.exec(text.trim());
  return m ? (m[1] ?? '').trim() : null;
}

/**
 * A text message -> ChatInput, or null when the bot should ignore it: not text, not from a person,
 * or in a group without mentioning the bot. In a one-to-one chat, text without the prefix answers the
 * pending question; in a group, so does text that mentions the bot. botOpenId null: any mention counts
 * (with only im:message.group_at_msg:readonly, Feishu delivers group messages that mention the bot).
 */
export function parseMessageEvent(data: unknown, botOpenId: string | null): ParsedMessage | null {
  const r = MessageEvent.safeParse(data);
  if (!r.success) return null;
  const { event_id: eventId, sender, message: m } = r.data;
  if (sender.sender_type !== 'user' || m.message_type !== 'text') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(m.content);
  } catch {
    return null;
  }
  const content = z.object({ text: z.string() }).safeParse(raw);
  if (!content.success) return null;
  const mentions = m.mentions ?? [];
  const isBot = (x: z.infer<typeof Mention>) => (botOpenId === null ? true : x.id?.open_id === botOpenId);
  let text = content.data.text;
  const base = { user: `feishu:${sender.sender_id.open_id}`, conversation: `feishu:${m.chat_id}` };
  if (text.length > INCOMING_TEXT_MAX) {
    // Longer than anyone types: refused before any parsing (the answer says so without echoing it).
    if (m.chat_type !== 'p2p' && !mentions.some(isBot)) return null;
    return { eventId, chatId: m.chat_id, messageId: m.message_id, inThread: Boolean(m.thread_id), input: { ...base, kind: 'message', text: '' }, tooLong: true };
  }
  // Placeholders: the bot's are dropped, other people's become their names.
  for (const x of mentions) text = text.split(x.key).join(isBot(x) ? '' : (x.name ?? ''));
  text = text.replace(/@_(?:user_\d+|all)/g, '').trim();
  const p2p = m.chat_type === 'p2p';
  if (!p2p && !mentions.some(isBot)) return null;
  const command = commandText(text);
  if (command === null && text === '' && p2p) return null;
  const input: ChatInput = command !== null || text === ''
    ? { ...base, kind: 'command', text: command ?? '' }
    : { ...base, kind: 'message', text };
  return { eventId, chatId: m.chat_id, messageId: m.message_id, inThread: Boolean(m.thread_id), input };
}

/** Feishu sends action.value as the object the card carried, or (some clients, old cards) as its JSON text. */
function jsonValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
}

/** A card.action.trigger callback -> an answer to the question the card asked, or null when it is not one of ours. */
export function parseCardAction(data: unknown): ParsedAction | null {
  const r = CardActionEvent.safeParse(data);
  if (!r.success) return null;
  const raw = jsonValue(r.data.action.value);
  const ack = AckValueSchema.safeParse(raw);
  if (ack.success) {
    // A reminder's acknowledge button: its `ack` command, run as the person who clicked.
    const chatId = r.data.context.open_chat_id;
    const openId = r.data.operator.open_id;
    return {
      eventId: r.data.event_id, chatId, messageId: r.data.context.open_message_id, answer: ack.data.command, typed: false, ack: true, openId,
      input: { kind: 'command', text: ack.data.command, user: `feishu:${openId}`, conversation: `feishu:${chatId}` },
    };
  }
  const v = ActionValueSchema.safeParse(raw);
  if (!v.success) return null;
  const typed = r.data.action.form_value?.answer;
  const text = (v.data.value ?? r.data.action.option ?? (typeof typed === 'string' ? typed : '')).trim();
  if (text === '' || text.length > INCOMING_TEXT_MAX) return null;
  const chatId = r.data.context.open_chat_id;
  return {
    eventId: r.data.event_id,
    chatId,
    messageId: r.data.context.open_message_id,
    answer: v.data.label ?? text,
    typed: v.data.value === undefined && r.data.action.option === undefined,
    input: {
      kind: 'action', text, questionId: v.data.questionId, incidentId: v.data.incidentId,
      user: `feishu:${r.data.operator.open_id}`, conversation: `feishu:${chatId}`,
    },
  };
}

/** An event as the transport hands it on: a message or a card callback, with the bot's own open_id (mentions of it address the bot). */
export interface FeishuPayload { kind: 'message' | 'card'; data: unknown; botOpenId: string | null }

/** The event as the inbox keeps it: without the verification token (header) or the card's update token. */
function storedPayload(data: unknown): unknown {
  if (!data || typeof data !== 'object') return data;
  const { token: _token, ...rest } = data as Record<string, unknown>;
  return rest;
}

function inboundMessage(data: unknown, botOpenId: string | null): Inbound<FeishuTarget> {
  const m = parseMessageEvent(data, botOpenId);
  if (!m) return { kind: 'ignore' };
  return {
    // A message's key is its message id: Feishu may deliver one message again under the same event id (no answer in
    // time) or under another (re-subscription, two apps' events); either way it is taken once.
    kind: 'message', key: `feishu-message:${m.messageId}`, id: m.messageId, input: m.input, chat: m.chatId,
    user: m.input.user.replace(/^feishu:/, ''), to: { chatId: m.chatId, under: m.messageId, inThread: m.inThread },
    ...(m.tooLong ? { tooLong: true } : {}), stored: storedPayload(data),
  };
}

function inboundClick(data: unknown): Inbound<FeishuTarget> {
  const a = parseCardAction(data);
  if (!a) return { kind: 'ignore' };
  const user = a.input.user.replace(/^feishu:/, '');
  return {
    kind: 'click', card: a.messageId, user, value: a.input.text, typed: a.typed, stored: storedPayload(data),
    chat: a.chatId, to: { chatId: a.chatId, under: a.messageId }, answerInAck: true,
  };
}

/** Feishu's events as the kit reads them; conversations are `feishu:<chat id>`. */
export const parse: PlatformParse<FeishuPayload, FeishuTarget> = {
  payload: (p) => (p.kind === 'message' ? inboundMessage(p.data, p.botOpenId) : inboundClick(p.data)),
  // A message resumed after a restart counts any mention as the bot's (it was taken as addressed to the bot).
  stored: (kind, stored) => (kind === 'message' ? inboundMessage(stored, null) : inboundClick(stored)),
  target: (conversation) => (/^feishu:oc_[A-Za-z0-9_-]+$/.test(conversation) ? { chatId: conversation.slice('feishu:'.length) } : null),
  chat: (conversation) => (conversation.startsWith('feishu:') ? conversation.slice('feishu:'.length) : null),
  // A private reply (a sign-in link) goes to the person directly, never to the chat.
  direct: (user) => ({ to: { chatId: user, openId: user }, conversation: `feishu:${user}` }),
};
