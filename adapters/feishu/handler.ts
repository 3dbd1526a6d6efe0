import type { Bot } from '../../src/bot.ts';
import type { Lang } from '../../src/i18n/index.ts';
import type { Reply } from '../../src/conversation/types.ts';
import type { Store } from '../../src/store/types.ts';
import { isTransient, type Messenger } from './messenger.ts';
import { parseCardAction, parseMessageEvent, type ParsedAction } from './parse.ts';
import { langOf, renderCards, toastFor, UI, type CardJson, type Toast } from './render.ts';
import { sendFiles, uploadFiles } from './files.ts';
import { incidentsOf, rememberThread } from './sender.ts';
import { createChatWork } from '../work.ts';

const EVENT_CLAIM_MS = 7 * 86_400_000; // Feishu re-sends an unanswered event for a few hours at most

export interface HandlerDeps {
  bot: Bot;
  store: Store;
  messenger: Messenger;
  now: () => number;
  log: (msg: string) => void;
  lang: Lang; // the institution's language, for the adapter's own words
  allowedChats: ReadonlySet<string> | null;
  botOpenId: () => string | null;
  cardBudgetMs: number; // how long a card callback waits for the bot before answering "working" (Feishu allows 3 s)
}

/** The answer to a card.action.trigger callback: a toast, and the card that replaces the clicked one. */
export interface CardResponse {
  toast?: Toast;
  card?: { type: 'raw'; data: CardJson };
}

export interface Handlers {
  /** im.message.receive_v1: handles the message once (by event_id) and replies in the chat. */
  onMessage(data: unknown): Promise<void>;
  /** card.action.trigger: answers within cardBudgetMs; slower work finishes by patching the card. */
  onCard(data: unknown): Promise<CardResponse>;
  /** Runs work after the event has been answered; idle() waits for it. */
  track(work: Promise<unknown>): void;
  idle(): Promise<void>;
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
  const { bot, store, messenger, log } = deps;
  const { track, serial, idle } = createChatWork('feishu', log);

  const allowed = (chatId: string) => deps.allowedChats === null || deps.allowedChats.has(chatId);
  const eventKey = (id: string) => `feishu-event:${id}`;
  const claim = (id: string) => store.claim(eventKey(id), EVENT_CLAIM_MS, deps.now());
  // Feishu may deliver one message under several event ids (re-subscription, two apps' events): claim the message too.
  const claimMessage = (id: string) => store.claim(`feishu-message:${id}`, EVENT_CLAIM_MS, deps.now());

  async function remember(replies: readonly Reply[], chatId: string, messageId: string): Promise<void> {
    for (const id of incidentsOf(replies)) await rememberThread(store, id, { chatId, messageId }, deps.now());
  }

  async function direct(user: string, text: string, eventId: string): Promise<void> {
    const openId = user.replace(/^feishu:/, '');
    await messenger.create(openId, { msgType: 'text', text }, { uuid: `pv-${eventId}`, receiveIdType: 'open_id' })
      .catch((e: Error) => log(`feishu: a private message to ${openId} was not delivered (${e.message})`));
  }

  async function onMessage(data: unknown): Promise<void> {
    const m = parseMessageEvent(data, deps.botOpenId());
    if (!m) return;
    if (!allowed(m.chatId)) {
      log(`feishu: ignored a message in chat ${m.chatId}, which FEISHU_ALLOWED_CHATS does not list`);
      return;
    }
    if (!(await claim(m.eventId))) {
      log(`feishu: event ${m.eventId} was delivered again; already handled`);
      return;
    }
    if (!(await claimMessage(m.messageId))) {
      log(`feishu: message ${m.messageId} came again under event ${m.eventId}; already handled`);
      await store.markDone(eventKey(m.eventId));
      return;
    }
    await serial(m.chatId, async () => {
      const all = m.tooLong ? [{ type: 'error' as const, text: UI[deps.lang].tooLong }] : await bot.handle(m.input);
      // A private reply (a sign-in link) goes to the user directly, never to the chat.
      const replies = all.filter((r) => !(r.type === 'text' && r.private));
      for (const r of all) if (r.type === 'text' && r.private) await direct(m.input.user, r.text, m.eventId);
      if (replies.length === 0) return;
      const lang = langOf(replies, deps.lang);
      // Files are uploaded first, so that the card can say when one did not go; their messages follow the card.
      const { replies: shown, uploaded } = await uploadFiles(messenger, withDraftFiles(replies, lang), lang, log);
      const [first, ...rest] = renderCards(shown, { lang }).map((card) => ({ msgType: 'interactive' as const, card }));
      // The uuids come from the event, so that an attempt Feishu took but did not confirm is not posted twice.
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
    });
    await store.markDone(eventKey(m.eventId));
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
    if (!allowed(a.chatId)) return { toast: { type: 'error', content: UI[deps.lang].notAllowed } };
    if (!(await claim(a.eventId))) return { toast: { type: 'info', content: UI[deps.lang].duplicate } };
    const work = serial(a.chatId, () => bot.handle(a.input)); // the core answers the question the card was rendered for
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => { timer = setTimeout(() => resolve('slow'), deps.cardBudgetMs); });
    let first: Awaited<typeof work> | 'slow';
    try {
      first = await Promise.race([work, slow]);
    } finally {
      clearTimeout(timer);
    }
    if (first !== 'slow') {
      const { more, ...response } = respond(a, first);
      if (response.card) await remember(first, a.chatId, a.messageId);
      if (more.length) track(postMore(a, more));
      await store.markDone(eventKey(a.eventId));
      return response;
    }
    // Feishu shows an error after 3 s: answer now, and put the result on the card when it is ready.
    track(work.then(async (replies) => {
      const response = respond(a, replies);
      if (response.card) {
        await messenger.patch(a.messageId, response.card.data);
        await remember(replies, a.chatId, a.messageId);
        await postMore(a, response.more);
      } else {
        await messenger.reply(a.messageId, { msgType: 'interactive', card: renderCards(replies, { lang: langOf(replies, deps.lang) })[0]! }, { uuid: `cb-${a.eventId}`, chatId: a.chatId });
      }
      await store.markDone(eventKey(a.eventId));
    }));
    return { toast: { type: 'info', content: UI[deps.lang].working } };
  }

  return {
    onMessage,
    onCard,
    track,
    idle,
  };
}
