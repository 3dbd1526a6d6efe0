import type { WsFrameHeaders } from '@wecom/aibot-node-sdk';
import type { Reply } from '../../src/conversation/types.ts';
import { t } from '../../src/i18n/index.ts';
import type { InboxItem } from '../../src/store/types.ts';
import { answeredCard } from './cards.ts';
import { compose, pushReplies, sendFiles } from './deliver.ts';
import { langOf, UI } from './markdown.ts';
import { refusal } from '../kit/refusals.ts';
import { refusedBy } from '../kit/settings.ts';
import { INCOMING_TEXT_MAX } from '../text.ts';
import { isTransient, type Messenger } from './messenger.ts';
import { parseCardEvent, parseEnterChat, parseMessage, type ParsedAction } from './parse.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import type { Accepted } from '../kit/inbox.ts';
import { createChatInbox, type ChatLifecycle, type HandlerBase } from '../kit/chat-inbox.ts';

/** allowed.chats: group chat ids and, for one-to-one chats, userids. Past inboxMax a callback is answered "busy". */
export interface HandlerDeps extends HandlerBase {
  messenger: Messenger;
  cardBudgetMs: number; // how long a click waits for the bot before the card says "working" (WeCom takes an update within 5 s)
}

export interface Handlers extends ChatLifecycle {
  /**
   * aibot_msg_callback: written to the inbox (once per msgid) before anything else is done with it, then run from
   * there and answered on its req_id. Store down or inbox full: answered so on the req_id, nothing written.
   */
  onMessage(frame: WsFrameHeaders): Promise<void>;
  /** template_card_event: written to the inbox, then the clicked card is updated within cardBudgetMs and the answer pushed. */
  onCard(frame: WsFrameHeaders): Promise<void>;
  /** enter_chat: welcomes the user with the help text (plain text; WeCom takes a welcome within 5 s). */
  onEnterChat(frame: WsFrameHeaders): Promise<void>;
}

/** A callback as the inbox keeps it: without the temporary response_url (a credential the bot does not use). */
function storedFrame(frame: WsFrameHeaders): unknown {
  const f = frame as { cmd?: string; headers: WsFrameHeaders['headers']; body?: unknown };
  const { response_url: _url, ...body } = (f.body ?? {}) as Record<string, unknown>;
  return { cmd: f.cmd, headers: f.headers, body };
}

/** A click taken in this process: its live frame (for the card update) and whether the card was updated yet. */
interface Click { frame: WsFrameHeaders; updated: boolean; timer?: NodeJS.Timeout }

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, messenger, log } = deps;
  const chat = createChatInbox({
    bot: deps.bot, store, source: 'wecom', now: deps.now, log, run: (item) => runItem(item), owner: deps.owner, maxQueued: deps.inboxMax,
  });
  const { bot, inbox, track } = chat;
  /**
   * Callbacks accepted over the current process's connection, by inbox key: their req_id takes the reply. An item
   * resumed after a restart has none (its req_id belonged to the connection that is gone): it is pushed instead.
   */
  const live = new Map<string, WsFrameHeaders>();
  const clicks = new Map<string, Click>();

  function allowed(o: { chatId: string; userId: string; msgid: string }): boolean {
    const by = refusedBy(deps.allowed, o.chatId, o.userId);
    if (by === 'chat') log(`wecom: refused ${o.msgid} in chat ${o.chatId}, which WECOM_ALLOWED_CHATS does not list`);
    if (by === 'user') log(`wecom: refused ${o.msgid} from ${o.userId}, whom WECOM_ALLOWED_USERS does not list`);
    return by === null;
  }

  const msgKey = (id: string) => `wecom-msg:${id}`;

  async function runMessage(item: InboxItem, frame: WsFrameHeaders | undefined): Promise<void> {
    const m = parseMessage(item.payload);
    if (!m) return log(`wecom: unreadable inbox item ${item.key} ignored`);
    const handled = await bot.handle({ ...m.input, onceKey: item.key, receivedAtMs: item.receivedAtMs });
    if (handled.length === 0) return;
    const lang = langOf(handled, deps.lang);
    // A private reply (a sign-in link) is never posted to a group: a one-to-one chat with the bot is private already.
    const replies: Reply[] = handled.map((r) => (r.type === 'text' && r.private && m.group ? { type: 'error', text: t(lang, 'err.webNotPrivate') } : r));
    const o = { lang, group: m.group, seed: m.msgid };
    if (!frame) {
      // Resumed after a restart: the callback's req_id belonged to the connection that is gone. Pushed to the chat.
      await pushReplies({ messenger, log }, m.chatId, replies, o);
      return;
    }
    const { markdown, card, files } = compose(replies, o);
    try {
      await messenger.reply(frame, markdown, card ?? undefined);
    } catch (e) {
      if (isTransient(e)) {
        // Still refused after the messenger's retries: a push would meet the same limit.
        log(`wecom: the reply to ${m.msgid} was not delivered (${(e as Error).message}); giving up`);
        return;
      }
      // The callback's req_id may no longer take a reply (too late, or a reconnect since); the chat still gets the answer.
      log(`wecom: reply to ${m.msgid} refused (${(e as Error).message}); pushing to the chat instead`);
      await pushReplies({ messenger, log }, m.chatId, replies, o);
      return;
    }
    await sendFiles({ messenger, log }, m.chatId, files, lang);
  }

  async function updateCard(frame: WsFrameHeaders, card: ReturnType<typeof answeredCard>, taskId: string): Promise<void> {
    await messenger.updateCard(frame, card).catch((e: Error) => log(`wecom: could not update the card ${taskId} (${e.message})`));
  }

  async function runCard(item: InboxItem, click: Click | undefined): Promise<void> {
    const a = parseCardEvent(item.payload);
    if (!a || !a.input) return log(`wecom: unreadable inbox item ${item.key} ignored`);
    if (a.ack) return runAck(item, a, click);
    const replies = await bot.handle({ ...a.input, onceKey: item.key, receivedAtMs: item.receivedAtMs }); // the question the card was rendered for
    const ui = UI[deps.lang];
    // Within the budget (the card still says nothing): the card says what was answered. A refused answer leaves the
    // question card as it was, so it can be answered again. A resumed click's card can no longer be updated (5 s).
    if (click && !click.updated) {
      click.updated = true;
      clearTimeout(click.timer);
      if (!replies.every((r) => r.type === 'error')) await updateCard(click.frame, answeredCard(`✓ ${ui.recorded}`, ui.answered(a.answer), a.taskId), a.taskId);
    }
    if (replies.length === 0) return;
    const lang = langOf(replies, deps.lang);
    const refused = replies.every((r) => r.type === 'error');
    await pushReplies({ messenger, log }, a.chatId, replies, { lang, group: a.group, seed: a.msgid, ...(refused ? {} : { answered: a.answer }) });
  }

  /**
   * A reminder's acknowledge button: `/incident ack …` run as the clicker. The button card then says who acknowledged
   * (within WeCom's 5 s), and the chat gets the acknowledgement; a refusal leaves the button as it was.
   */
  async function runAck(item: InboxItem, a: Extract<ParsedAction, { ack: true }>, click: Click | undefined): Promise<void> {
    const replies = await bot.handle({ ...a.input, onceKey: item.key, receivedAtMs: item.receivedAtMs });
    const refused = replies.every((r) => r.type === 'error');
    if (click && !click.updated) {
      click.updated = true;
      clearTimeout(click.timer);
      const said = replies.find((r) => r.type === 'text');
      if (!refused) await updateCard(click.frame, answeredCard(`✓ ${a.answer}`, said?.type === 'text' ? said.text : null, a.taskId), a.taskId);
    }
    if (replies.length === 0) return;
    await pushReplies({ messenger, log }, a.chatId, replies, { lang: langOf(replies, deps.lang), group: a.group, seed: a.msgid });
  }

  async function runEnterChat(item: InboxItem, frame: WsFrameHeaders | undefined): Promise<void> {
    const e = parseEnterChat(item.payload);
    if (!e) return log(`wecom: unreadable inbox item ${item.key} ignored`);
    // WeCom takes a welcome only within 5 s of enter_chat: one resumed after a restart is too late.
    if (!frame) return log(`wecom: the welcome for ${e.userId} (enter_chat ${e.msgid}) was not sent: resumed after a restart, past WeCom's 5 s`);
    const replies = await bot.handle(e.input);
    if (replies.length > 0) await messenger.welcome(frame, renderText(replies));
  }

  /** One inbox item: the callback as WeCom sent it, parsed again (the same after a restart). */
  async function runItem(item: InboxItem): Promise<void> {
    const frame = live.get(item.key);
    const click = clicks.get(item.key);
    try {
      const cmd = (item.payload as { cmd?: string } | null)?.cmd;
      if (cmd === 'aibot_msg_callback') return await runMessage(item, frame);
      if (parseEnterChat(item.payload)) return await runEnterChat(item, frame);
      return await runCard(item, click);
    } finally {
      live.delete(item.key);
      if (click) clearTimeout(click.timer);
      clicks.delete(item.key);
    }
  }

  /**
   * Writes the callback to the inbox, `frame` kept as its live frame from the moment it is queued; null when the
   * store failed (the inbox logs it once per outage: nothing was written).
   */
  async function accept(key: string, conversation: string, frame: WsFrameHeaders, before?: () => void): Promise<Accepted | null> {
    // Set before the write: with a fast store the item can run as soon as it is queued. Dropped below unless accepted.
    // A second delivery of a key in flight here (a concurrent re-delivery) leaves the first one's frame as it is.
    const mine = !live.has(key);
    if (mine) {
      live.set(key, frame);
      before?.();
    }
    const r = await inbox.accept(key, conversation, storedFrame(frame)).catch(() => null); // store down: logged by the inbox
    if (r !== 'accepted' && mine && live.get(key) === frame) {
      live.delete(key);
      clicks.delete(key);
    }
    return r;
  }

  /** Says why a callback was not taken, on its req_id (a message) or pushed to its chat (a click); never throws. */
  async function refuse(what: 'message' | 'click', frame: WsFrameHeaders, chatId: string, msgid: string, text: string): Promise<void> {
    const said = what === 'message' ? messenger.reply(frame, text) : messenger.sendMarkdown(chatId, text);
    await said.catch((e: Error) => log(`wecom: could not tell chat ${chatId} that ${msgid} was not taken (${e.message})`));
  }

  /** The outcome of accept() that is not "accepted": said to the user, or logged. True when it was accepted. */
  async function taken(r: Accepted | null, what: 'message' | 'click', frame: WsFrameHeaders, o: { chatId: string; msgid: string }): Promise<boolean> {
    if (r === 'accepted') return true;
    if (r === 'duplicate') {
      log(`wecom: ${o.msgid} was delivered again; already handled`);
      return false;
    }
    if (r === 'busy') log(`wecom: inbox full (${inbox.queued()} waiting): refused ${o.msgid}; the chat is told to send it again`);
    await refuse(what, frame, o.chatId, o.msgid, refusal(r === 'busy' ? 'refused.busy.message' : 'refused.storeDown.message', undefined, '\n\n'));
    return false;
  }

  async function onMessage(frame: WsFrameHeaders): Promise<void> {
    const m = parseMessage(frame);
    if (!m) return;
    const by = refusedBy(deps.allowed, m.chatId, m.userId);
    if (by) {
      // Told in the chat (the people there see why the bot stayed silent), nothing written.
      allowed(m);
      const setting = by === 'chat' ? 'WECOM_ALLOWED_CHATS' : 'WECOM_ALLOWED_USERS';
      return refuse('message', frame, m.chatId, m.msgid, refusal(by === 'chat' ? 'refused.chat' : 'refused.user', { setting }, '\n\n'));
    }
    if (m.tooLong) {
      log(`wecom: ${m.msgid} refused: over ${INCOMING_TEXT_MAX} characters; not taken`);
      return refuse('message', frame, m.chatId, m.msgid, refusal('refused.tooLong', undefined, '\n\n'));
    }
    await taken(await accept(msgKey(m.msgid), m.input.conversation, frame), 'message', frame, m);
  }

  async function onCard(frame: WsFrameHeaders): Promise<void> {
    const a = parseCardEvent(frame);
    if (!a || !a.input || !allowed(a)) return;
    // A reminder's acknowledge button counts once per reminder card and person (a double click, a re-delivery).
    const key = a.ack ? `wecom-ack:${a.taskId}:${a.userId}` : msgKey(a.msgid);
    const click: Click = { frame, updated: false };
    // The budget counts from receipt, whatever waits before the click in its chat.
    const started = Date.now();
    const r = await accept(key, a.input.conversation, frame, () => clicks.set(key, click));
    if (!(await taken(r, 'click', frame, a))) return;
    // WeCom takes a card update only within 5 s of the click: past the budget say "working", post the answer when ready.
    const ui = UI[deps.lang];
    click.timer = setTimeout(() => {
      if (click.updated) return;
      click.updated = true;
      track(updateCard(frame, answeredCard(`… ${a.answer}`, ui.working, a.taskId), a.taskId));
    }, Math.max(0, deps.cardBudgetMs - (Date.now() - started)));
  }

  async function onEnterChat(frame: WsFrameHeaders): Promise<void> {
    const e = parseEnterChat(frame);
    if (!e || !allowed(e)) return;
    const r = await accept(msgKey(e.msgid), e.input.conversation, frame);
    if (r === 'duplicate') log(`wecom: ${e.msgid} was delivered again; already handled`);
    else if (r === 'busy') log(`wecom: inbox full (${inbox.queued()} waiting): no welcome for ${e.userId}`);
    // Store down: no welcome (the help text needs none of the store, but the bot's session does); the outage is logged.
  }

  return {
    onMessage,
    onCard,
    onEnterChat,
    ...chat.lifecycle,
  };
}
