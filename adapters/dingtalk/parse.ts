import { z } from 'zod';
import { INCOMING_TEXT_MAX } from '../text.ts';
import type { ChatInput } from '../../src/conversation/types.ts';
import type { Inbound, PlatformParse } from '../kit/platform.ts';
import type { Target } from './transport.ts';
import type { DingtalkPayload } from './render.ts';

// Stream frames carry the payload as a JSON string in `data` (DWClientDownStream).

const RobotMessage = z.object({
  msgId: z.string().min(1),
  msgtype: z.string(),
  conversationId: z.string().min(1),
  conversationType: z.enum(['1', '2']), // 1: one-to-one with the robot, 2: a group
  senderStaffId: z.string().optional(),
  senderId: z.string().optional(),
  senderNick: z.string().optional(),
  robotCode: z.string().optional(),
  text: z.object({ content: z.string() }).optional(),
}).passthrough();

const CardCallback = z.object({
  outTrackId: z.string().min(1),
  userId: z.string().min(1),
  content: z.string(),
}).passthrough();

const CardContent = z.object({
  cardPrivateData: z.object({
    actionIds: z.array(z.string()).optional(),
    params: z.record(z.unknown()).optional(),
  }),
});

/** A robot message the bot should handle, with where to answer it. */
export interface ParsedMessage {
  msgId: string;
  userId: string;
  target: Target;
  input: ChatInput;
  tooLong?: boolean; // over INCOMING_TEXT_MAX: refused with a notice, never handled
}

/** A click (or a submitted input) on one of the bot's cards, before its card record is looked up. */
export interface ParsedCardAction {
  outTrackId: string;
  userId: string;
  value: string; // the chosen option's value, or the typed text
  typed: boolean; // from the card's input (params.answer) rather than a button (params.value)
}

const PREFIX = /^[/／](?:incident|事件)(?=\s|$)\s*([\s\S]*)$/i;

/** The command text after `/incident` or `/事件`, or null when the text is not a command. */
export function commandText(text: string): string | null {
  const m = PREFIX.exec(text.trim());
  return m ? (m[1] ?? '').trim() : null;
}

/** The conversation id of a DingTalk chat: dingtalk:group:<openConversationId> or dingtalk:user:<userId>. */
export function conversationOf(t: Target): string {
  return t.kind === 'group' ? `dingtalk:group:${t.openConversationId}` : `dingtalk:user:${t.userId}`;
}

/** The chat a conversation id names, or null when it is not a DingTalk one. */
export function targetOf(conversation: string): Target | null {
  const m = /^dingtalk:(group|user):(.+)$/.exec(conversation);
  if (!m) return null;
  return m[1] === 'group' ? { kind: 'group', openConversationId: m[2]! } : { kind: 'user', userId: m[2]! };
}

/**
 * A robot message (topic /v1.0/im/bot/messages/get) -> ChatInput, or null when the bot should ignore it (not text,
 * no sender id, nothing typed). DingTalk delivers group messages only when they @ the robot, and strips that
 * mention from text.content; text without the /incident prefix answers the pending question.
 */
export function parseRobotMessage(raw: string): ParsedMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const r = RobotMessage.safeParse(json);
  if (!r.success || r.data.msgtype !== 'text' || !r.data.text) return null;
  const m = r.data;
  const userId = m.senderStaffId || m.senderId;
  if (!userId) return null;
  const target: Target = m.conversationType === '2' ? { kind: 'group', openConversationId: m.conversationId } : { kind: 'user', userId };
  // Refused before any pattern runs over it (as Slack and Feishu do); never echoed.
  if (m.text!.content.length > INCOMING_TEXT_MAX) {
    return { msgId: m.msgId, userId, target, input: { user: `dingtalk:${userId}`, conversation: conversationOf(target), kind: 'message', text: '' }, tooLong: true };
  }
  const text = m.text!.content.trim();
  const command = commandText(text);
  if (command === null && text === '') return null;
  const base = { user: `dingtalk:${userId}`, conversation: conversationOf(target), ...(m.senderNick ? { userName: m.senderNick } : {}) };
  const input: ChatInput = command !== null ? { ...base, kind: 'command', text: command } : { ...base, kind: 'message', text };
  return { msgId: m.msgId, userId, target, input };
}

/** A card callback (topic /v1.0/card/instances/callback) -> the value its button or input sent, or null. */
export function parseCardCallback(raw: string): ParsedCardAction | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const r = CardCallback.safeParse(json);
  if (!r.success) return null;
  let content: unknown;
  try {
    content = JSON.parse(r.data.content);
  } catch {
    return null;
  }
  const c = CardContent.safeParse(content);
  if (!c.success) return null;
  const params = c.data.cardPrivateData.params ?? {};
  const typed = params.value === undefined;
  const v = typed ? params.answer : params.value;
  // A typed answer over the cap is dropped before any pattern runs over it, like an over-long message.
  if (typeof v === 'string' && v.length > INCOMING_TEXT_MAX) return null;
  const value = typeof v === 'string' ? v.trim() : '';
  if (value === '') return null;
  return { outTrackId: r.data.outTrackId, userId: r.data.userId, value, typed };
}

const IGNORE = { kind: 'ignore' } as const;

/** A robot message as the inbox keeps it: without the session webhook (a temporary credential the bot does not use). */
function storedMessage(data: string): unknown {
  const { sessionWebhook: _hook, ...rest } = JSON.parse(data) as Record<string, unknown>;
  return rest;
}

function message(m: ParsedMessage | null, stored: () => unknown): Inbound<Target> {
  if (!m) return IGNORE;
  return {
    kind: 'message', key: `dingtalk-msg:${m.msgId}`, id: m.msgId, input: m.input, user: m.userId, to: m.target,
    chat: m.target.kind === 'group' ? m.target.openConversationId : null, ...(m.tooLong ? { tooLong: true } : {}), stored: stored(),
  };
}

function click(data: string): Inbound<Target> {
  const a = parseCardCallback(data);
  return a ? { kind: 'click', card: a.outTrackId, user: a.userId, value: a.value, typed: a.typed, stored: data } : IGNORE;
}

export const parse: PlatformParse<DingtalkPayload, Target> = {
  payload: (p) => (p.topic === 'card' ? click(p.data) : message(parseRobotMessage(p.data), () => storedMessage(p.data))),
  stored: (kind, s) => (kind === 'click' ? (typeof s === 'string' ? click(s) : IGNORE) : message(parseRobotMessage(JSON.stringify(s)), () => s)),
  target: targetOf,
  chat: (conversation) => (/^dingtalk:group:/.test(conversation) ? conversation.slice('dingtalk:group:'.length) : null),
  direct: (user) => ({ to: { kind: 'user', userId: user }, conversation: `dingtalk:user:${user}` }),
};
