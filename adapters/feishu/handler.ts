import { t, type Lang } from '../../src/i18n/index.ts';
import type { Reply } from '../../src/conversation/types.ts';
import type { InboxItem } from '../../src/store/types.ts';
import type { Accepted } from '../kit/inbox.ts';
import { createChatInbox, type ChatLifecycle, type HandlerBase } from '../kit/chat-inbox.ts';
import { refusal } from '../kit/refusals.ts';
import { refusedBy } from '../kit/settings.ts';
import { isTransient, type Messenger } from './transport/api.ts';
import { parseCardAction, parseMessageEvent, type ParsedAction, type ParsedMessage } from './parse.ts';
import { langOf, renderCards, toastFor, UI, type CardJson, type Toast } from './render.ts';
import { sendFiles, uploadFiles } from './files.ts';
import { incidentsOf, rememberThread } from './sender.ts';
import { cut } from '../text.ts';

export interface HandlerDeps extends HandlerBase {
  messenger: Messenger;
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

/** A text reply at least this long (a report draft) is also sent as a file, to copy or forward whole. */
export const DRAFT_FILE_MIN = 3000;

/** The replies plus a .txt file for each long text, named after the incident it is about. */
function withDraftFiles(replies: readonly Reply[], lang: Lang): Reply[] {
  const incidentId = incidentsOf(replies)[0] ?? /\b(?:INC|DRILL)-\d{8}-\d+\b/.exec(replies.map((r) => (r.type === 'text' ? r.text : '')).join('\n'))?.[0] ?? 'reply';
  const out: Reply[] = [];
  replies.forEach((r, i) => {
    out.push(r);
    if (r.type !== 'text' || r.text.length < DRAFT_FILE_MIN) return;
    const filename = `${incidentId}-text-${i + 1}.txt`;
    out.push({ type: 'file', filename, mimeType: 'text/plain; charset=utf-8', data: new TextEncoder().encode(r.text), title: UI[lang].textFile(filename), incidentId });
  });
  return out;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, messenger, log } = deps;
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

  async function remember(replies: readonly Reply[], chatId: string, messageId: string): Promise<void> {
    for (const id of incidentsOf(replies)) await rememberThread(store, id, { chatId, messageId }, deps.now());
  }

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
    const { replies: shown, uploaded } = await uploadFiles(messenger, withDraftFiles(replies, lang), lang, log);
    const [first, ...rest] = renderCards(shown, { lang }).map((card) => ({ msgType: 'interactive' as const, card }));
    // The uuids come from the event, so that an attempt Feishu took but did not confirm is not posted twice
    // (nor when a restart resumes a message whose reply went out just before the crash).
    let sent: string;
    try {
      sent = await messenger.reply(m.messageId, first!, { inThread: m.inThread, uuid: `ev-${m.eventId}`, chatId: m.chatId });
    } catch (e) {
      if (isTransient(e)) {
        // Still refused after the messenger's retries (rate limit, server error): posting elsewhere would
        // meet the same limit, or post twice if an attempt did go through.
        log(`feishu: the reply to ${m.messageId} was not delivered (${(e as Error).message}); giving up`);
        return;
      }
      // The message may have been recalled meanwhile; the chat still gets the answer.
      log(`feishu: reply to ${m.messageId} failed (${(e as Error).message}); posting to the chat instead`);
      sent = await messenger.create(m.chatId, first!, { uuid: `ec-${m.eventId}` });
    }
    await remember(replies, m.chatId, sent);
    // The rest of a reply too long for one card follows under the first, in order.
    for (const [i, more] of rest.entries()) await messenger.reply(sent, more, { uuid: `e${i + 1}-${m.eventId}`.slice(0, 50), chatId: m.chatId });
    if (uploaded.length === 0) return;
    const failed = await sendFiles(deps, m.chatId, uploaded, (i) => `f${i}-${m.eventId}`.slice(0, 50));
    if (failed.length === 0) return;
    const errors: Reply[] = failed.map((f) => ({ type: 'error', text: UI[lang].fileFailed(f.filename) }));
    await messenger.reply(sent, { msgType: 'interactive', card: renderCards(errors, { lang })[0]! }, { uuid: `fe-${m.eventId}`, chatId: m.chatId })
      .catch((e: Error) => log(`feishu: could not say that a file was not sent (${e.message})`));
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
