import { createHash } from 'node:crypto';
import type { Reply } from '../../src/conversation/types.ts';
import type { InboxItem } from '../../src/store/types.ts';
import { ACK_VALUE, deliver, getCard, rememberCard, type DeliverDeps } from './deliver.ts';
import { isAckCommand } from '../ack.ts';
import { refusal } from '../kit/refusals.ts';
import { INCOMING_TEXT_MAX } from '../text.ts';
import type { Target } from './openapi.ts';
import { parseCardCallback, parseRobotMessage, targetOf, type ParsedMessage } from './parse.ts';
import { cardParams, langOf } from './render.ts';
import type { Accepted } from '../kit/inbox.ts';
import { createChatInbox, type ChatLifecycle, type HandlerBase } from '../kit/chat-inbox.ts';

/** allowed: openConversationIds (cid...) and userIds. Past inboxMax a frame is not acknowledged (DingTalk sends it again). */
export interface HandlerDeps extends DeliverDeps, HandlerBase {}

/** The stream frame a handler answers: its messageId (for the ack) and its payload. */
export interface Frame { messageId: string; data: string }

export interface Handlers extends ChatLifecycle {
  /**
   * Robot message: written to the inbox (once per msgId), then acked (`ack`), then run through the bot from there
   * and answered in the chat. Store down: acked and answered so in the chat, nothing written. Inbox full: not
   * acked (DingTalk sends the frame again), nothing written.
   */
  onMessage(frame: Frame, ack: () => void): Promise<void>;
  /** Card callback: written to the inbox (once per card, question, person and answer), acked, then run as above. */
  onCard(frame: Frame, ack: () => void): Promise<void>;
}

/**
 * A card click as the inbox keeps it: the callback, and the question its card showed when it was clicked (a
 * reminder's acknowledge button: `ack`, no question).
 */
interface StoredClick { callback: string; questionId: string; ack?: true }

/** A robot message as the inbox keeps it: without the session webhook (a temporary credential the bot does not use). */
function storedMessage(data: string): unknown {
  const { sessionWebhook: _hook, ...rest } = JSON.parse(data) as Record<string, unknown>;
  return rest;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, log } = deps;
  const chat = createChatInbox({
    bot: deps.bot, store, source: 'dingtalk', now: deps.now, log, run: (item) => runItem(item), owner: deps.owner, maxQueued: deps.inboxMax,
  });
  const { bot, inbox, track } = chat;
  const NOT_ALLOWED = refusal('refused.chatOrUser', { setting: 'DINGTALK_ALLOWED_CHATS / DINGTALK_ALLOWED_USERS' });

  /** Groups must be in DINGTALK_ALLOWED_CHATS, people in DINGTALK_ALLOWED_USERS; with only the chats listed, no one-to-one chat. */
  const allowed = (to: Target, userId: string) => {
    const { chats, users } = deps.allowed;
    if (users !== null && !users.has(userId)) return false;
    if (chats === null) return true;
    return to.kind === 'group' ? chats.has(to.openConversationId) : users !== null;
  };

  /** Text to a chat without the store (a refusal); never throws. */
  function say(to: Target, text: string, what: string): void {
    track(deps.api.send(to, { msgKey: 'sampleText', msgParam: { content: text } })
      .catch((e: Error) => log(`dingtalk: could not say ${what} (${e.message})`)));
  }

  async function runMessage(m: ParsedMessage, item: InboxItem): Promise<void> {
    const all = await bot.handle({ ...m.input, onceKey: item.key, receivedAtMs: item.receivedAtMs });
    // A private reply (the web page's sign-in link) goes to the user one-to-one, never into a group.
    const isPrivate = (r: Reply) => r.type === 'text' && r.private === true;
    const replies = all.filter((r) => !isPrivate(r));
    const direct = all.filter(isPrivate);
    if (direct.length > 0) {
      const user = { kind: 'user' as const, userId: m.userId };
      await deliver(deps, user, `dingtalk:user:${m.userId}`, direct, langOf(direct, deps.lang), `msg:${m.msgId}:private`);
    }
    if (replies.length === 0) return;
    await deliver(deps, m.target, m.input.conversation, replies, langOf(replies, deps.lang), `msg:${m.msgId}`);
  }

  async function runClick(s: StoredClick, item: InboxItem): Promise<{ forget?: boolean } | void> {
    const a = parseCardCallback(s.callback);
    // Another click on this card may have moved it to the next question meanwhile: this one is then stale.
    const card = a ? await getCard(store, a.outTrackId, deps.now()) : null;
    const target = card ? targetOf(card.conversation) : null;
    if (s.ack) {
      if (!a || !card || !target || !isAckCommand(card.ack)) return log(`dingtalk: an acknowledge click on card ${a?.outTrackId ?? '?'}, which is no reminder of ours; ignored`);
      return runAck(a.outTrackId, a.userId, card, target, card.ack, item);
    }
    if (!a || !card || !target || !card.incidentId || card.questionId !== s.questionId) {
      log(`dingtalk: a click on card ${a?.outTrackId ?? '?'} for a question it no longer shows; ignored`);
      return;
    }
    const label = card.options.find((o) => o.value === a.value)?.label ?? a.value;
    const replies: Reply[] = await bot.handle({
      kind: 'action', text: a.value, questionId: s.questionId, incidentId: card.incidentId,
      user: `dingtalk:${a.userId}`, conversation: card.conversation, onceKey: item.key, receivedAtMs: item.receivedAtMs,
    });
    const lang = langOf(replies, card.lang);
    if (replies.every((r) => r.type === 'error')) {
      // The card stays as it was, so the question can be answered again; the refusal goes to the chat. The same click
      // (its key is card, question, person and answer) must then be taken again: its key is forgotten.
      await deliver(deps, target, card.conversation, replies, lang, `click:${item.key}`);
      return { forget: true };
    }
    await deps.api.updateCard(a.outTrackId, cardParams(replies, lang, label));
    await rememberCard(store, a.outTrackId, card.conversation, replies, lang, deps.now());
  }

  /**
   * A reminder's acknowledge button: `/incident ack …` run as the clicker. The reminder card then says who
   * acknowledged and when (its `answered` line; the button stays, for the others); a refusal is said in the chat.
   */
  async function runAck(outTrackId: string, userId: string, card: NonNullable<Awaited<ReturnType<typeof getCard>>>, target: Target, command: string, item: InboxItem): Promise<{ forget?: boolean } | void> {
    const replies: Reply[] = await bot.handle({
      kind: 'command', text: command, user: `dingtalk:${userId}`, conversation: card.conversation, onceKey: item.key, receivedAtMs: item.receivedAtMs,
    });
    const lang = langOf(replies, card.lang);
    if (replies.length === 0) return;
    if (replies.some((r) => r.type === 'error')) {
      // Not recorded: said in the chat, and this person's click can be taken again.
      await deliver(deps, target, card.conversation, replies, lang, `click:${item.key}`);
      return { forget: true };
    }
    const said = replies.map((r) => (r.type === 'text' ? r.text : '')).filter(Boolean).join('\n');
    await deps.api.updateCard(outTrackId, { answered: `✓ ${said}` });
  }

  /** One inbox item: the frame's payload as DingTalk sent it, parsed again (the same after a restart). */
  async function runItem(item: InboxItem): Promise<{ forget?: boolean } | void> {
    if (item.key.startsWith('dingtalk-click:')) return runClick(item.payload as StoredClick, item);
    const m = parseRobotMessage(JSON.stringify(item.payload));
    if (!m) return log(`dingtalk: unreadable inbox item ${item.key} ignored`);
    return runMessage(m, item);
  }

  /**
   * Writes the frame's payload to the inbox, then acks (not when the inbox is full: DingTalk then sends it again);
   * processing starts after the ack. null when the store failed (acked; logged once per outage: nothing written).
   */
  async function accept(key: string, conversation: string, payload: unknown, ack: () => void): Promise<Accepted | null> {
    let acked!: () => void;
    const after = new Promise<void>((resolve) => { acked = resolve; });
    const r = await inbox.accept(key, conversation, payload, { after }).catch(() => null); // store down: logged by the inbox
    // Store down: acked all the same, since DingTalk's re-sends would only repeat the answer.
    if (r !== 'busy') ack();
    acked();
    if (r === 'busy') log(`dingtalk: inbox full (${inbox.queued()} waiting): ${key} not acknowledged, so that DingTalk sends it again`);
    return r;
  }

  async function onMessage(frame: Frame, ack: () => void): Promise<void> {
    const m = parseRobotMessage(frame.data);
    if (!m) {
      ack();
      return;
    }
    if (!allowed(m.target, m.userId)) {
      ack();
      log(`dingtalk: refused a message from ${m.userId} in ${m.input.conversation} (not in DINGTALK_ALLOWED_CHATS / DINGTALK_ALLOWED_USERS)`);
      say(m.target, NOT_ALLOWED, `to ${m.userId} that the bot is not enabled there`);
      return;
    }
    if (m.tooLong) {
      ack();
      log(`dingtalk: message ${m.msgId} refused: over ${INCOMING_TEXT_MAX} characters; not taken`);
      say(m.target, refusal('refused.tooLong'), `in ${m.input.conversation} that message ${m.msgId} was too long`);
      return;
    }
    const r = await accept(`dingtalk-msg:${m.msgId}`, m.input.conversation, storedMessage(frame.data), ack);
    if (r === null) say(m.target, refusal('refused.storeDown.message'), `in ${m.input.conversation} that message ${m.msgId} was not taken`);
    else if (r === 'duplicate') log(`dingtalk: message ${m.msgId} was delivered again; already handled`);
  }

  async function onCard(frame: Frame, ack: () => void): Promise<void> {
    const a = parseCardCallback(frame.data);
    if (!a) {
      ack();
      return;
    }
    let card: Awaited<ReturnType<typeof getCard>>;
    try {
      card = await getCard(store, a.outTrackId, deps.now());
      inbox.outage.up();
    } catch (e) {
      // Without the store the card's chat is not known: the clicker is told one-to-one.
      ack();
      inbox.outage.down(e);
      say({ kind: 'user', userId: a.userId }, refusal('refused.storeDown.message'), `to ${a.userId} that a click on card ${a.outTrackId} was not taken`);
      return;
    }
    const target = card ? targetOf(card.conversation) : null;
    if (!card || !target) {
      ack();
      log(`dingtalk: a click on card ${a.outTrackId}, which the bot does not know (expired or not its own)`);
      return;
    }
    if (!allowed(target, a.userId)) {
      ack();
      say({ kind: 'user', userId: a.userId }, NOT_ALLOWED, `to ${a.userId} that the bot is not enabled there`);
      return;
    }
    if (card.ack) {
      // A reminder's acknowledge button: only its own fixed value is taken; the command comes from the card record.
      if (a.typed || a.value !== ACK_VALUE) {
        ack();
        return;
      }
      // Once per reminder card and person: a re-delivered callback or a double click is one acknowledgement.
      const once = createHash('sha256').update(`${a.outTrackId}|ack|${a.userId}`).digest('hex').slice(0, 40);
      const r = await accept(`dingtalk-click:${once}`, card.conversation, { callback: frame.data, questionId: '', ack: true } satisfies StoredClick, ack);
      if (r === null) say(target, refusal('refused.storeDown.message'), `in ${card.conversation} that a click on card ${a.outTrackId} was not taken`);
      else if (r === 'duplicate') log(`dingtalk: an acknowledge click on card ${a.outTrackId} was delivered again (or clicked twice); counted once`);
      return;
    }
    if (!card.incidentId || !card.questionId || (!a.typed && !card.options.some((o) => o.value === a.value))) {
      // A card without a question, or a button of a question the card no longer shows (a click that raced the update).
      ack();
      if (card.questionId) log(`dingtalk: a click on card ${a.outTrackId} for an option it no longer shows; ignored`);
      return;
    }
    // A re-delivered callback (same frame) or a double click (same answer to the same question) is one item.
    const once = createHash('sha256').update(`${a.outTrackId}|${card.questionId}|${a.userId}|${a.value}`).digest('hex').slice(0, 40);
    const stored: StoredClick = { callback: frame.data, questionId: card.questionId };
    const r = await accept(`dingtalk-click:${once}`, card.conversation, stored, ack);
    if (r === null) say(target, refusal('refused.storeDown.message'), `in ${card.conversation} that a click on card ${a.outTrackId} was not taken`);
    else if (r === 'duplicate') log(`dingtalk: a click on card ${a.outTrackId} was delivered again (or clicked twice); counted once`);
  }

  return { onMessage, onCard, ...chat.lifecycle };
}
