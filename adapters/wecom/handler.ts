import type { WsFrameHeaders } from '@wecom/aibot-node-sdk';
import type { Bot } from '../../src/bot.ts';
import type { Reply } from '../../src/conversation/types.ts';
import { t, type Lang } from '../../src/i18n/index.ts';
import type { Store } from '../../src/store/types.ts';
import { answeredCard } from './cards.ts';
import { compose, pushReplies, sendFiles } from './deliver.ts';
import { langOf, UI } from './markdown.ts';
import { isTransient, type Messenger } from './messenger.ts';
import { parseCardEvent, parseEnterChat, parseMessage } from './parse.ts';
import { renderText } from '../../src/conversation/render-text.ts';
import { createChatWork } from '../work.ts';

const MSG_CLAIM_MS = 7 * 86_400_000; // WeCom re-delivers a callback after a reconnect; a week is far beyond that

export interface HandlerDeps {
  bot: Bot;
  store: Store;
  messenger: Messenger;
  now: () => number;
  log: (msg: string) => void;
  lang: Lang; // the institution's language, for the adapter's own words
  allowedChats: ReadonlySet<string> | null; // group chat ids and, for one-to-one chats, userids
  allowedUsers: ReadonlySet<string> | null;
  cardBudgetMs: number; // how long a click waits for the bot before the card says "working" (WeCom takes an update within 5 s)
}

export interface Handlers {
  /** aibot_msg_callback: handles the message once (by msgid, claimed in the store) and replies on its req_id. */
  onMessage(frame: WsFrameHeaders): Promise<void>;
  /** template_card_event: updates the clicked card within cardBudgetMs, then posts the bot's answer to the chat. */
  onCard(frame: WsFrameHeaders): Promise<void>;
  /** enter_chat: welcomes the user with the help text (plain text; WeCom takes a welcome within 5 s). */
  onEnterChat(frame: WsFrameHeaders): Promise<void>;
  /** Runs work after the frame has been taken; idle() waits for it. */
  track(work: Promise<unknown>): void;
  idle(): Promise<void>;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { bot, store, messenger, log } = deps;
  const { track, serial, idle } = createChatWork('wecom', log);

  function allowed(o: { chatId: string; userId: string; msgid: string }): boolean {
    if (deps.allowedChats !== null && !deps.allowedChats.has(o.chatId)) {
      log(`wecom: ignored ${o.msgid} in chat ${o.chatId}, which WECOM_ALLOWED_CHATS does not list`);
      return false;
    }
    if (deps.allowedUsers !== null && !deps.allowedUsers.has(o.userId)) {
      log(`wecom: ignored ${o.msgid} from ${o.userId}, whom WECOM_ALLOWED_USERS does not list`);
      return false;
    }
    return true;
  }

  const msgKey = (id: string) => `wecom-msg:${id}`;
  async function claim(msgid: string): Promise<boolean> {
    if (await store.claim(msgKey(msgid), MSG_CLAIM_MS, deps.now())) return true;
    log(`wecom: ${msgid} was delivered again; already handled`);
    return false;
  }

  async function onMessage(frame: WsFrameHeaders): Promise<void> {
    const m = parseMessage(frame);
    if (!m || !allowed(m) || !(await claim(m.msgid))) return;
    await serial(m.chatId, async () => {
      const handled = await bot.handle(m.input);
      if (handled.length === 0) return;
      const lang = langOf(handled, deps.lang);
      // A private reply (a sign-in link) is never posted to a group: a one-to-one chat with the bot is private already.
      const replies: Reply[] = handled.map((r) => (r.type === 'text' && r.private && m.group ? { type: 'error', text: t(lang, 'err.webNotPrivate') } : r));
      const o = { lang, group: m.group, seed: m.msgid };
      const { markdown, card, files } = compose(replies, o);
      try {
        await messenger.reply(frame, markdown, card ?? undefined);
      } catch (e) {
        if (isTransient(e)) {
          // Still refused after the messenger's retries: a push would meet the same limit.
          log(`wecom: the reply to ${m.msgid} was not delivered (${(e as Error).message}); giving up`);
          return;
        }
        // The callback's req_id may no longer take a reply (too late); the chat still gets the answer.
        log(`wecom: reply to ${m.msgid} refused (${(e as Error).message}); pushing to the chat instead`);
        await pushReplies({ messenger, log }, m.chatId, replies, o);
        return;
      }
      await sendFiles({ messenger, log }, m.chatId, files, lang);
    });
    await store.markDone(msgKey(m.msgid));
  }

  /** After a click: the bot's replies pushed to the chat, headed by what was answered. */
  async function follow(a: NonNullable<ReturnType<typeof parseCardEvent>>, replies: Reply[]): Promise<void> {
    if (replies.length === 0) return;
    const lang = langOf(replies, deps.lang);
    const refused = replies.every((r) => r.type === 'error');
    await pushReplies({ messenger, log }, a.chatId, replies, { lang, group: a.group, seed: a.msgid, ...(refused ? {} : { answered: a.answer }) });
  }

  async function onCard(frame: WsFrameHeaders): Promise<void> {
    const a = parseCardEvent(frame);
    if (!a || !a.input || !allowed(a) || !(await claim(a.msgid))) return;
    const input = a.input;
    const work = serial(a.chatId, () => bot.handle(input)); // the core answers the question the card was rendered for
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => { timer = setTimeout(() => resolve('slow'), deps.cardBudgetMs); });
    let first: Reply[] | 'slow';
    try {
      first = await Promise.race([work, slow]);
    } finally {
      clearTimeout(timer);
    }
    const ui = UI[deps.lang];
    if (first !== 'slow') {
      // A refused answer leaves the question card as it was, so it can be answered again.
      if (!first.every((r) => r.type === 'error')) {
        await messenger.updateCard(frame, answeredCard(`✓ ${ui.recorded}`, ui.answered(a.answer), a.taskId))
          .catch((e: Error) => log(`wecom: could not update the card ${a.taskId} (${e.message})`));
      }
      await follow(a, first);
      await store.markDone(msgKey(a.msgid));
      return;
    }
    // WeCom takes a card update only within 5 s of the click: say "working" now, post the answer when ready.
    await messenger.updateCard(frame, answeredCard(`… ${a.answer}`, ui.working, a.taskId))
      .catch((e: Error) => log(`wecom: could not update the card ${a.taskId} (${e.message})`));
    track(work.then(async (replies) => {
      await follow(a, replies);
      await store.markDone(msgKey(a.msgid));
    }));
  }

  async function onEnterChat(frame: WsFrameHeaders): Promise<void> {
    const e = parseEnterChat(frame);
    if (!e || !allowed(e) || !(await claim(e.msgid))) return;
    const replies = await serial(e.chatId, () => bot.handle(e.input));
    if (replies.length > 0) await messenger.welcome(frame, renderText(replies));
    await store.markDone(msgKey(e.msgid));
  }

  return {
    onMessage,
    onCard,
    onEnterChat,
    track,
    idle,
  };
}
