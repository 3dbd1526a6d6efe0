import { t, type Lang } from '../../src/i18n/index.ts';
import type { Reply } from '../../src/conversation/types.ts';
import type { Sender } from '../../src/reminders/message.ts';
import type { InboxItem } from '../../src/store/types.ts';
import type { Accepted } from '../kit/inbox.ts';
import { createChatInbox, type ChatLifecycle, type HandlerBase } from '../kit/chat-inbox.ts';
import { refusal } from '../kit/refusals.ts';
import { refusedBy } from '../kit/settings.ts';
import { isTransient, type Messenger } from './transport/api.ts';
import { reminderUuid, type FeishuOut, type FeishuSent } from './transport/send.ts';
import { parseCardAction, parseMessageEvent, type ParsedAction, type ParsedMessage } from './parse.ts';
import { incidentsOf, langOf, reminderMessages, renderCards, toastFor, UI, withDraftFiles, type CardJson, type Toast } from './render.ts';
import { cut } from '../text.ts';

export interface HandlerDeps extends HandlerBase {
  messenger: Messenger;
  /** Replies, files and reminders: under a message, else to the chat; each incident's root kept. */
  out: FeishuOut;
  botOpenId: () => string | null;
  cardBudgetMs: number; // how long a card callback waits for the bot before answering "working" (Feishu allows 3 s)
}

/** Thrown to the SDK when the inbox is full: the event is not acknowledged (HTTP 503, or a 500 frame), so Feishu re-sends it. */
export class InboxBusyError extends Error {
  constructor() {
    super('inbox full: not acknowledged, Feishu will send it again');
    this.name = 'InboxBusyError';
  }
}

interface Waiter { settled: boolean; resolve: (r: CardResponse) => void }

/** The event as the inbox keeps it: without the verification token (header) or the card's update token. */
function storedPayload(data: unknown): unknown {
  if (!data || typeof data !== 'object') return data;
  const { token: _token, ...rest } = data as Record<string, unknown>;
  return rest;
}

/** The answer to a card.action.trigger callback: a toast, and the card that replaces the clicked one. */
export interface CardResponse {
  toast?: Toast;
  card?: { type: 'raw'; data: CardJson };
}

export interface Handlers extends ChatLifecycle {
  /**
   * im.message.receive_v1: writes the message to the inbox (once per message id) and resolves, so that Feishu hears
   * back only once it is durable; the inbox then runs it and replies in the chat. Store down: the chat is told, and
   * this resolves (nothing written). Throws InboxBusyError when the inbox is full (nothing written).
   */
  onMessage(data: unknown): Promise<void>;
  /** card.action.trigger: written to the inbox, then answered within cardBudgetMs; slower work finishes by patching the card. */
  onCard(data: unknown): Promise<CardResponse>;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, messenger, out, log } = deps;
  const chat = createChatInbox({
    bot: deps.bot, store, source: 'feishu', now: deps.now, log, run: (item) => runItem(item), owner: deps.owner, maxQueued: deps.inboxMax,
  });
  const { bot, inbox, track } = chat;

  /** Which allow-list refuses: FEISHU_ALLOWED_CHATS, then FEISHU_ALLOWED_USERS (user: `feishu:ou_…`). */
  const refused = (chatId: string, user: string) => refusedBy(deps.allowed, chatId, user.replace(/^feishu:/, ''));
  // A message's key is its message id: Feishu may deliver one message again under the same event id (no answer in
  // time) or under another (re-subscription, two apps' events); either way it is taken once.
  const messageKey = (m: ParsedMessage) => `feishu-message:${m.messageId}`;
  // A reminder's acknowledge button counts once per reminder and person (a double click, or a click delivered again).
  const cardKey = (a: ParsedAction) => (a.ack ? `feishu-event:ack:${a.messageId}:${a.openId}` : `feishu-event:${a.eventId}`);
  /** Card callbacks waiting for their result (up to cardBudgetMs), by inbox key. */
  const waiting = new Map<string, Waiter>();

  const remember = (replies: readonly Reply[], chatId: string, messageId: string) => out.remember(incidentsOf(replies), chatId, messageId);

  async function direct(user: string, text: string, eventId: string): Promise<void> {
    const openId = user.replace(/^feishu:/, '');
    await messenger.create(openId, { msgType: 'text', text }, { uuid: `pv-${eventId}`, receiveIdType: 'open_id' })
      .catch((e: Error) => log(`feishu: a private message to ${openId} was not delivered (${e.message})`));
  }

  /** A message taken from the inbox: run through the bot (once: onceKey), answered in the chat. */
  async function runMessage(m: ParsedMessage, onceKey: string, receivedAtMs: number): Promise<void> {
    const all = m.tooLong ? [{ type: 'error' as const, text: UI[deps.lang].tooLong }] : await bot.handle({ ...m.input, onceKey, receivedAtMs });
    // A private reply (a sign-in link) goes to the user directly, never to the chat.
    const replies = all.filter((r) => !(r.type === 'text' && r.private));
    for (const r of all) if (r.type === 'text' && r.private) await direct(m.input.user, r.text, m.eventId);
    if (replies.length === 0) return;
    const lang = langOf(replies, deps.lang);
    // Files are uploaded first, so that the card can say when one did not go; their messages follow the card.
    const { shown, uploaded } = await uploadFiles(withDraftFiles(replies, lang), lang);
    const [first, ...rest] = renderCards(shown, { lang }).map((card) => ({ msgType: 'interactive' as const, card }));
    // The uuids come from the event, so that an attempt Feishu took but did not confirm is not posted twice
    // (nor when a restart resumes a message whose reply went out just before the crash). A reply refused for good
    // (the message recalled meanwhile) goes to the chat.
    let sent: FeishuSent;
    try {
      sent = await out.send({ chatId: m.chatId, under: m.messageId, inThread: m.inThread }, first!, { uuid: `ev-${m.eventId}`, about: incidentsOf(replies) });
    } catch (e) {
      if (!isTransient(e)) throw e;
      // Still refused after the messenger's retries (rate limit, server error): posting elsewhere would
      // meet the same limit, or post twice if an attempt did go through.
      log(`feishu: the reply to ${m.messageId} was not delivered (${(e as Error).message}); giving up`);
      return;
    }
    // The rest of a reply too long for one card follows under the first, in order.
    let next = sent.next;
    for (const [i, more] of rest.entries()) next = (await out.send(next, more, { uuid: `e${i + 1}-${m.eventId}`.slice(0, 50) })).next;
    const failed: string[] = [];
    // Each file under the incident's root message when that is in this chat, else as a new message to the chat.
    for (const [i, f] of uploaded.entries()) {
      await out.send({ chatId: m.chatId }, { msgType: 'file', fileKey: f.fileKey }, { uuid: `f${i}-${m.eventId}`.slice(0, 50), incident: f.incidentId, about: [], what: `sending ${f.filename}` })
        .catch((e: Error) => {
          log(`feishu: sending ${f.filename} for ${f.incidentId} to ${m.chatId} failed (${e.message})`);
          failed.push(f.filename);
        });
    }
    if (failed.length === 0) return;
    const errors: Reply[] = failed.map((name) => ({ type: 'error', text: UI[lang].fileFailed(name) }));
    await out.send(sent.next, { msgType: 'interactive', card: renderCards(errors, { lang })[0]! }, { uuid: `fe-${m.eventId}` })
      .catch((e: Error) => log(`feishu: could not say that a file was not sent (${e.message})`));
  }

  /**
   * Uploads the replies' files. Runs before the card is sent, so that the card can say when a file did not go: a
   * failed upload puts an error line (in `lang`) after the file's 📎 line. Never throws.
   */
  async function uploadFiles(replies: readonly Reply[], lang: Lang): Promise<{ shown: Reply[]; uploaded: Array<{ fileKey: string; incidentId: string; filename: string }> }> {
    const shown: Reply[] = [];
    const uploaded: Array<{ fileKey: string; incidentId: string; filename: string }> = [];
    for (const r of replies) {
      shown.push(r);
      if (r.type !== 'file') continue;
      try {
        uploaded.push({ fileKey: await messenger.uploadFile({ name: r.filename, data: r.data }), incidentId: r.incidentId, filename: r.filename });
      } catch (e) {
        log(`feishu: uploading ${r.filename} for ${r.incidentId} failed (${(e as Error).message})`);
        shown.push({ type: 'error', text: UI[lang].fileFailed(r.filename) });
      }
    }
    return { shown, uploaded };
  }

  /** A card answer taken from the inbox: to the callback still waiting for it, else onto the card (patched). */
  async function runCard(a: ParsedAction, onceKey: string, receivedAtMs: number): Promise<void> {
    if (a.ack) return runAck(a, onceKey, receivedAtMs);
    const replies = await bot.handle({ ...a.input, onceKey, receivedAtMs }); // the core answers the question the card was rendered for
    const { more, ...response } = respond(a, replies);
    const w = waiting.get(onceKey);
    if (w && !w.settled) {
      w.settled = true;
      w.resolve(response);
      if (response.card) await remember(replies, a.chatId, a.messageId);
      await postMore(a, more);
      return;
    }
    // The callback was answered "working" (or the bot restarted meanwhile): the result goes on the card.
    if (response.card) {
      await messenger.patch(a.messageId, response.card.data);
      await remember(replies, a.chatId, a.messageId);
      await postMore(a, more);
    } else {
      await messenger.reply(a.messageId, { msgType: 'interactive', card: renderCards(replies, { lang: langOf(replies, deps.lang) })[0]! }, { uuid: `cb-${a.eventId}`, chatId: a.chatId });
    }
  }

  /**
   * A reminder's acknowledge button taken from the inbox: `/incident ack …` run as the clicker. The clicker gets a
   * toast; the chat sees who acknowledged, under the reminder (which keeps its button, for the others).
   */
  async function runAck(a: Extract<ParsedAction, { ack: true }>, onceKey: string, receivedAtMs: number): Promise<void> {
    const replies = await bot.handle({ ...a.input, onceKey, receivedAtMs });
    const lang = langOf(replies, deps.lang);
    const error = replies.find((r) => r.type === 'error');
    const said = replies.find((r) => r.type === 'text');
    const toast: Toast = error ? { type: 'error', content: cut(error.text, 200) } : { type: 'success', content: cut(said?.type === 'text' ? said.text : UI[lang].recorded, 200) };
    const w = waiting.get(onceKey);
    const toasted = Boolean(w && !w.settled);
    if (w && toasted) {
      w.settled = true;
      w.resolve({ toast });
    }
    // A refusal the toast already told the clicker is not posted to the whole chat.
    const shown = error && toasted ? [] : replies;
    for (const [i, card] of renderCards(shown, { lang }).entries()) {
      if (shown.length === 0) break;
      await messenger.reply(a.messageId, { msgType: 'interactive', card }, { uuid: `ak${i}-${a.eventId}`.slice(0, 50), chatId: a.chatId });
    }
  }

  /** One inbox item: the event as Feishu sent it, parsed again (the same after a restart). */
  async function runItem(item: InboxItem): Promise<void> {
    if (item.key.startsWith('feishu-event:')) {
      const a = parseCardAction(item.payload);
      if (!a) return log(`feishu: unreadable inbox item ${item.key} ignored`);
      return runCard(a, item.key, item.receivedAtMs);
    }
    const m = parseMessageEvent(item.payload, deps.botOpenId());
    if (!m) return log(`feishu: unreadable inbox item ${item.key} ignored`);
    if (refused(m.chatId, m.input.user)) return log(`feishu: ignored a message in chat ${m.chatId} from ${m.input.user}, whom FEISHU_ALLOWED_CHATS / FEISHU_ALLOWED_USERS do not list`);
    return runMessage(m, item.key, item.receivedAtMs);
  }

  /** Writes the event to the inbox; null when the store failed (the inbox logs it once per outage: nothing was written). */
  async function accept(key: string, conversation: string, data: unknown): Promise<Accepted | null> {
    return inbox.accept(key, conversation, storedPayload(data)).catch(() => null);
  }

  async function onMessage(data: unknown): Promise<void> {
    const m = parseMessageEvent(data, deps.botOpenId());
    if (!m) return;
    const by = refused(m.chatId, m.input.user);
    if (by) {
      // Told in the chat (the people there see why the bot stayed silent), nothing written.
      const setting = by === 'chat' ? 'FEISHU_ALLOWED_CHATS' : 'FEISHU_ALLOWED_USERS';
      log(by === 'chat' ? `feishu: refused a message in chat ${m.chatId}, which ${setting} does not list` : `feishu: refused a message from ${m.input.user} in chat ${m.chatId}, whom ${setting} does not list`);
      track(messenger.reply(m.messageId, { msgType: 'text', text: refusal(by === 'chat' ? 'refused.chat' : 'refused.user', { setting }) }, { inThread: m.inThread, uuid: `nu-${m.eventId}`, chatId: m.chatId })
        .catch((e: Error) => log(`feishu: could not tell ${m.input.user} the message was refused (${e.message})`)));
      return;
    }
    const r = await accept(messageKey(m), m.input.conversation, data);
    if (r === null) {
      // Told in the chat, without the store; Feishu hears 200 (its re-sends would only repeat this answer).
      track(messenger.reply(m.messageId, { msgType: 'text', text: refusal('refused.storeDown.message') }, { inThread: m.inThread, uuid: `sd-${m.eventId}`, chatId: m.chatId })
        .catch((e: Error) => log(`feishu: could not tell chat ${m.chatId} that message ${m.messageId} was not taken (${e.message})`)));
      return;
    }
    if (r === 'duplicate') return log(`feishu: message ${m.messageId} was delivered again (event ${m.eventId}); already taken`);
    if (r === 'busy') {
      log(`feishu: inbox full (${inbox.queued()} waiting): refused message ${m.messageId}, so that Feishu sends it again`);
      throw new InboxBusyError();
    }
  }

  /** The card that replaces the clicked one, and any further cards a long answer needs (posted under it). */
  function respond(a: ParsedAction, replies: Reply[]): CardResponse & { more: CardJson[] } {
    const lang = langOf(replies, deps.lang);
    const toast = toastFor(replies, lang, a.answer);
    // A refused answer leaves the question card as it was, so it can be answered again.
    if (replies.every((x) => x.type === 'error')) return { toast, more: [] };
    const [card, ...more] = renderCards(replies, { lang, answered: a.answer });
    return { toast, card: { type: 'raw', data: card! }, more };
  }

  async function postMore(a: ParsedAction, more: readonly CardJson[]): Promise<void> {
    for (const [i, card] of more.entries()) await messenger.reply(a.messageId, { msgType: 'interactive', card }, { uuid: `c${i + 1}-${a.eventId}`.slice(0, 50), chatId: a.chatId });
  }

  async function onCard(data: unknown): Promise<CardResponse> {
    const a = parseCardAction(data);
    if (!a) return {};
    const by = refused(a.chatId, a.input.user);
    if (by) return { toast: { type: 'error', content: t(deps.lang, by === 'chat' ? 'refused.chat' : 'refused.user', { setting: by === 'chat' ? 'FEISHU_ALLOWED_CHATS' : 'FEISHU_ALLOWED_USERS' }) } };
    const key = cardKey(a);
    // Waiting before the write: with a fast store the answer can be ready as soon as the item is queued.
    let w!: Waiter;
    const result = new Promise<CardResponse>((resolve) => { w = { settled: false, resolve }; });
    waiting.set(key, w);
    let timer: NodeJS.Timeout | undefined;
    try {
      const slow = new Promise<'slow'>((resolve) => { timer = setTimeout(() => resolve('slow'), deps.cardBudgetMs); });
      const r = await accept(key, a.input.conversation, data);
      if (r === null) return { toast: { type: 'error', content: refusal('toast.storeDown') } };
      if (r === 'duplicate') return { toast: { type: 'info', content: UI[deps.lang].duplicate } };
      if (r === 'busy') {
        log(`feishu: inbox full (${inbox.queued()} waiting): refused card callback ${a.eventId}`);
        return { toast: { type: 'error', content: refusal('toast.busy') } };
      }
      const first = await Promise.race([result, slow]);
      if (first !== 'slow') return first;
      // Feishu shows an error after 3 s: answer now; the item puts its result on the card when it is ready.
      w.settled = true;
      return { toast: { type: 'info', content: UI[deps.lang].working } };
    } finally {
      clearTimeout(timer);
      waiting.delete(key);
    }
  }

  return { onMessage, onCard, ...chat.lifecycle };
}

/**
 * The reminder ticker's Sender: under the incident's root message, or to the chat when there is none or it is gone.
 * Throws when Feishu took neither, or refused for now (rate limit, server error): the ticker tries again later with
 * its own backoff, still in the thread. `out` should not retry much itself (each wait holds up the whole tick). A
 * reminder's key, with the store's identity, becomes Feishu's uuid, so that a retry after an answer lost on the way
 * back does not post it twice; each repeated ping (every 15 minutes) has a key of its own. Past the ticker's deadline
 * this gives up at once: a request still in flight may land, but the retry carries the same uuids.
 */
export function reminderSender(out: FeishuOut, lang: Lang): Sender {
  return {
    async send(m, opts) {
      if (!m.conversation.startsWith('feishu:')) throw new Error(`feishu sender: ${m.conversation} is not a Feishu chat`);
      const chatId = m.conversation.slice('feishu:'.length);
      const [message, ...rest] = reminderMessages(m, lang);
      const base = m.key ? await reminderUuid(out, m.key) : null;
      const uuid = (suffix: string) => (base ? `${base}-${suffix}` : undefined);
      const signal = opts?.signal;
      let { next } = await out.send({ chatId }, message!, { uuid: uuid('r'), incident: m.incidentId, signal, what: `the reminder for ${m.incidentId}` });
      // The rest of a reminder too long for one message follows under its first part.
      for (const [i, more] of rest.entries()) next = (await out.send(next, more, { uuid: uuid(`m${i + 1}`), signal })).next;
    },
  };
}
