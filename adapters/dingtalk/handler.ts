import { createHash } from 'node:crypto';
import type { Bot } from '../../src/bot.ts';
import type { Lang } from '../../src/i18n/index.ts';
import type { Reply } from '../../src/conversation/types.ts';
import type { Store } from '../../src/store/types.ts';
import { deliver, getCard, rememberCard, type DeliverDeps } from './deliver.ts';
import type { Target } from './openapi.ts';
import { parseCardCallback, parseRobotMessage, targetOf } from './parse.ts';
import { cardParams, langOf, UI } from './render.ts';
import { createChatWork } from '../work.ts';

const CLAIM_MS = 7 * 86_400_000; // DingTalk re-sends an unacknowledged message for a while; a week is far beyond it

export interface HandlerDeps extends DeliverDeps {
  bot: Bot;
  store: Store;
  lang: Lang; // the institution's language, for the adapter's own words
  allowedChats: ReadonlySet<string> | null;
  allowedUsers: ReadonlySet<string> | null;
}

/** The stream frame a handler answers: its messageId (for the ack) and its payload. */
export interface Frame { messageId: string; data: string }

export interface Handlers {
  /** Robot message: acks (`ack`), claims its msgId, runs it through the bot and answers in the chat. */
  onMessage(frame: Frame, ack: () => void): Promise<void>;
  /** Card callback: acks, claims it, answers the question the card asked and updates the card. */
  onCard(frame: Frame, ack: () => void): Promise<void>;
  /** Resolves when the work accepted so far is done. */
  idle(): Promise<void>;
  track(work: Promise<unknown>): void;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { bot, store, log } = deps;
  const { track, serial, idle } = createChatWork('dingtalk', log);

  /** Groups must be in DINGTALK_ALLOWED_CHATS, people in DINGTALK_ALLOWED_USERS; with only the chats listed, no one-to-one chat. */
  const allowed = (to: Target, userId: string) => {
    if (deps.allowedUsers !== null && !deps.allowedUsers.has(userId)) return false;
    if (deps.allowedChats === null) return true;
    return to.kind === 'group' ? deps.allowedChats.has(to.openConversationId) : deps.allowedUsers !== null;
  };
  const claim = (key: string) => store.claim(key, CLAIM_MS, deps.now());

  async function onMessage(frame: Frame, ack: () => void): Promise<void> {
    // Acked at once, before any work, well inside the window after which DingTalk sends the frame again. Acking
    // after the claim would buy nothing: a claimed message is never handled a second time either.
    ack();
    const m = parseRobotMessage(frame.data);
    if (!m) return;
    const key = `dingtalk-msg:${m.msgId}`;
    if (!(await claim(key))) {
      log(`dingtalk: message ${m.msgId} was delivered again; already handled`);
      return;
    }
    if (!allowed(m.target, m.userId)) {
      log(`dingtalk: refused a message from ${m.userId} in ${m.input.conversation} (not in DINGTALK_ALLOWED_CHATS / DINGTALK_ALLOWED_USERS)`);
      await deps.api.send(m.target, { msgKey: 'sampleText', msgParam: { content: UI[deps.lang].notAllowed } });
      await store.markDone(key);
      return;
    }
    await serial(m.input.conversation, async () => {
      const all = await bot.handle(m.input);
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
    });
    await store.markDone(key);
  }

  async function onCard(frame: Frame, ack: () => void): Promise<void> {
    ack(); // the card is updated through the OpenAPI afterwards, so the callback's answer carries nothing
    const a = parseCardCallback(frame.data);
    const card = a ? await getCard(store, a.outTrackId, deps.now()) : null;
    if (!a || !card) {
      if (a) log(`dingtalk: a click on card ${a.outTrackId}, which the bot does not know (expired or not its own)`);
      return;
    }
    const target = targetOf(card.conversation);
    // A re-delivered callback (same frame) or a double click (same answer to the same question) counts once.
    const once = createHash('sha256').update(`${a.outTrackId}|${card.questionId}|${a.userId}|${a.value}`).digest('hex').slice(0, 40);
    const claimed = await claim(`dingtalk-frame:${frame.messageId}`) && await claim(`dingtalk-click:${once}`);
    if (!claimed || !target) return;
    if (!allowed(target, a.userId)) {
      await deps.api.send({ kind: 'user', userId: a.userId }, { msgKey: 'sampleText', msgParam: { content: UI[deps.lang].notAllowed } });
      return;
    }
    if (!card.incidentId || !card.questionId) return; // a card without a question has nothing to click
    if (!a.typed && !card.options.some((o) => o.value === a.value)) {
      // A button of a question the card no longer shows (a click that raced the update): it answers nothing.
      log(`dingtalk: a click on card ${a.outTrackId} for an option it no longer shows; ignored`);
      return;
    }
    const label = card.options.find((o) => o.value === a.value)?.label ?? a.value;
    const input = {
      kind: 'action' as const, text: a.value, questionId: card.questionId, incidentId: card.incidentId,
      user: `dingtalk:${a.userId}`, conversation: card.conversation,
    };
    await serial(card.conversation, async () => {
      // Another click on this card may have moved it to the next question meanwhile: this one is then stale.
      const current = await getCard(store, a.outTrackId, deps.now());
      if (current?.questionId !== card.questionId) {
        log(`dingtalk: a click on card ${a.outTrackId} for a question it no longer shows; ignored`);
        return;
      }
      const replies: Reply[] = await bot.handle(input);
      const lang = langOf(replies, card.lang);
      if (replies.every((r) => r.type === 'error')) {
        // The card stays as it was, so the question can be answered again; the refusal goes to the chat.
        await deliver(deps, target, card.conversation, replies, lang, `click:${once}`);
        return;
      }
      await deps.api.updateCard(a.outTrackId, cardParams(replies, lang, label));
      await rememberCard(store, a.outTrackId, card.conversation, replies, lang, deps.now());
    });
  }

  return {
    onMessage,
    onCard,
    track,
    idle,
  };
}
