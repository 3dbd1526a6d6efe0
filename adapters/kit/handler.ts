// The one inbound handler every declared platform runs through: allow-lists, the too-long and store-down refusals,
// the inbox (written before the platform is acknowledged; busy: not acknowledged, so it re-sends), private replies
// one-to-one, card clicks checked against the question the card shows, acknowledge buttons once per person.
// And the one way out: replies rendered and sent, each failed platform call counted once (ops.apiError).
import { randomUUID } from 'node:crypto';
import { isAckCommand } from '../ack.ts';
import { t, type Lang } from '../../src/i18n/index.ts';
import { langOf } from '../../src/conversation/reply-lang.ts';
import type { Reply } from '../../src/conversation/types.ts';
import type { Outbound, Sender, SendOptions } from '../../src/reminders/message.ts';
import type { InboxItem } from '../../src/store/types.ts';
import { INCOMING_TEXT_MAX } from '../text.ts';
import { countApiError } from './errors.ts';
import { cardRecords, digestOf, type CardRecord } from './cards.ts';
import { createChatInbox, type ChatLifecycle, type HandlerBase } from './chat-inbox.ts';
import type { Accepted } from './inbox.ts';
import type { AckAnswer, InboundClick, InboundInstant, InboundMessage, PlatformDeclaration, Sent, Transport } from './platform.ts';
import { refusal } from './refusals.ts';

export interface KitHandlerDeps<S, P, T, M, U> extends HandlerBase {
  platform: PlatformDeclaration<S, P, T, M, U>;
  settings: S;
  transport: Transport<P, T, M, U>;
  /** The declaration's cardUpdateBudgetMs, shorter in tests. */
  cardUpdateBudgetMs?: number | undefined;
}

export interface KitHandler<P> extends ChatLifecycle {
  onPayload(payload: P, ack: (answer?: AckAnswer) => void): Promise<void>;
  /** The reminder ticker's Sender. */
  sender: Sender;
}

/** A click as the inbox keeps it: the callback, and the question its card showed when it was clicked (ack: a reminder's button). */
interface StoredClick { callback: unknown; questionId: string; ack?: true }

/** A payload taken over this process's connection, until its item has run: the platform may answer on its own handle. */
interface Live<P> { payload: P; cardUpdated: boolean; timer?: NodeJS.Timeout }

const INSTANT_ONCE_MS = 5_000; // a double click does an instant's work once (Slack: one answer modal)

/** Every failed platform call, counted once by its code (never its text or ids, see countApiError), then thrown on. */
export async function countedCall<R>(platform: string, call: Promise<R>): Promise<R> {
  try {
    return await call;
  } catch (e) {
    countApiError(platform, e);
    throw e;
  }
}

export function createKitHandler<S, P, T, M, U>(d: KitHandlerDeps<S, P, T, M, U>): KitHandler<P> {
  const { platform: p, transport, store, log } = d;
  const id = p.id;
  const api = <R>(call: Promise<R>) => countedCall(id, call);
  const cards = cardRecords(id, store);
  const noun = p.noun ?? 'message';
  const chat = createChatInbox({ bot: d.bot, store, source: id, now: d.now, log, run: (item) => runItem(item), owner: d.owner, maxQueued: d.inboxMax, noun: `${noun}s` });
  const { bot, inbox, track } = chat;
  const lists = `${p.envPrefix}_ALLOWED_CHATS / ${p.envPrefix}_ALLOWED_USERS`;
  const NOT_ALLOWED = refusal('refused.chatOrUser', { setting: lists });
  const live = new Map<string, Live<P>>();
  const budgetMs = d.cardUpdateBudgetMs ?? p.cardUpdateBudgetMs;

  const send = (to: T, m: M, o: { once?: boolean; live?: P | undefined; signal?: AbortSignal | undefined } = {}): Promise<void | Sent<T>> =>
    api(transport.send(to, m, { ...(o.once ? { once: true } : {}), ...(o.live !== undefined ? { live: o.live } : {}), ...(o.signal ? { signal: o.signal } : {}) }));
  const updateCard = (card: string, u: U, l?: P) => (transport.updateCard ? api(transport.updateCard(card, u, ...(l === undefined ? [] : [l]))) : Promise.resolve());

  /**
   * A card update after a click. With a budget (cardUpdateBudgetMs) only on the click's live handle, once: not when
   * "working" went already or the click was resumed after a restart. Where the answer also goes to the chat
   * (render.afterClick), a failed update is logged and the answer still goes.
   */
  async function updateClicked(card: string, u: () => U, l: Live<P> | undefined): Promise<void> {
    let onLive = l;
    if (budgetMs !== undefined && p.updatesAfterWorking) {
      // Past the budget ("working" said) or resumed: updated all the same, no longer on the live payload.
      if (l?.cardUpdated) onLive = undefined;
      if (l) l.cardUpdated = true;
      clearTimeout(l?.timer);
    } else if (budgetMs !== undefined) {
      if (!l || l.cardUpdated) return;
      l.cardUpdated = true;
      clearTimeout(l.timer);
    }
    const update = updateCard(card, u(), onLive?.payload);
    if (!p.render.afterClick) return update;
    await update.catch((e: Error) => log(`${id}: could not update the card ${card} (${e.message})`));
  }

  /** Past the budget with the bot still at it, the card says what was chosen and that the answer follows. */
  function startBudget(key: string, card: string, label: string, lang: Lang, startedMs: number): void {
    const l = live.get(key);
    const working = p.render.working;
    if (budgetMs === undefined || !l || !working) return;
    l.timer = setTimeout(() => {
      if (l.cardUpdated) return;
      l.cardUpdated = true;
      track(updateCard(card, working(label, lang), l.payload).catch((e: Error) => log(`${id}: could not update the card ${card} (${e.message})`)));
    }, Math.max(0, budgetMs - (Date.now() - startedMs)));
  }

  /** The allow-lists: groups in `<PREFIX>_ALLOWED_CHATS`, people in `<PREFIX>_ALLOWED_USERS` (chat null: one-to-one). */
  function refusedBy(chatId: string | null, user: string): 'chat' | 'user' | null {
    const { chats, users } = d.allowed;
    if (chats !== null && (chatId !== null ? !chats.has(chatId) : p.directNeedsUserList === true && users === null)) return 'chat';
    if (users !== null && !users.has(user)) return 'user';
    return null;
  }
  const notAllowed = (by: 'chat' | 'user' | null) => (p.notAllowed && by ? p.notAllowed(by) : NOT_ALLOWED);

  /** Text to a chat without the store (a refusal); never throws. */
  function say(to: T, text: string, what: string, l?: P): void {
    track(send(to, p.render.text(text), { live: l }).catch((e: Error) => log(`${id}: could not say ${what} (${e.message})`)));
  }

  /** Sends the answer to one input; a card's question is remembered, a file that did not go is said. */
  async function deliver(to: T, conversation: string, replies: readonly Reply[], lang: Lang, seed: string, once = false, l?: P): Promise<void> {
    // What the messages point at first (Feishu's file uploads): a failure is then shown in them.
    const shown = transport.prepare ? await transport.prepare(replies, lang) : replies;
    await sendRendered(to, conversation, p.render.replies(d.settings, shown, { lang, seed, to }), replies, lang, once, { live: l });
  }

  async function sendRendered(to: T, conversation: string, out: ReturnType<typeof p.render.replies>, replies: readonly Reply[], lang: Lang, once: boolean, o: { live?: P | undefined; signal?: AbortSignal | undefined } = {}): Promise<void> {
    const failed: string[] = [];
    let at = to; // where the platform says the rest of the answer goes (under its first message)
    for (const r of out) {
      const ackRecord = (card: string) => (r.card?.ack ? cards.ack(card, { conversation, lang, incidentId: r.card.ack.incidentId, label: r.card.ack.label, value: r.card.ack.value, command: r.card.ack.command }, d.now()) : undefined);
      // An acknowledge card's record first: a click can come as soon as the card is there.
      if (r.card?.id !== undefined) await ackRecord(r.card.id);
      let sent: void | Sent<T> = undefined;
      if (r.file === undefined) {
        sent = await send(at, r.message, { once, ...o });
      } else {
        try {
          sent = await send(at, r.message, { once, ...o });
        } catch (e) {
          log(`${id}: sending ${r.file} failed (${(e as Error).message})`);
          failed.push(r.file);
        }
      }
      // A card named by the id its send gave back (Feishu's message id).
      const card = r.card?.id ?? (sent ? sent.id : undefined);
      if (r.card?.id === undefined && card !== undefined) await ackRecord(card);
      if (r.card && !r.card.ack && card !== undefined) await cards.question(card, conversation, replies, lang, p.render.options(replies, lang), d.now());
      if (sent && sent.next !== undefined) at = sent.next;
    }
    if (failed.length) {
      await send(at, p.render.fileFailed(failed, lang), { live: o.live }).catch((e: Error) => log(`${id}: could not say that a file was not sent (${e.message})`));
    }
  }

  /** A welcome goes only on the payload's own handle while it is live: one resumed after a restart is too late. */
  async function runWelcome(m: InboundMessage<T>, item: InboxItem, l: P | undefined): Promise<void> {
    if (l === undefined || !p.render.welcome) return log(`${id}: the welcome for ${m.user} (${m.id}) was not sent: resumed after a restart, too late for ${p.title}`);
    const replies = await bot.handle({ ...m.input, onceKey: item.key, receivedAtMs: item.receivedAtMs });
    if (replies.length > 0) await send(m.to, p.render.welcome(replies, langOf(replies, d.lang)), { live: l });
  }

  async function runMessage(m: InboundMessage<T>, item: InboxItem): Promise<{ forget?: boolean } | void> {
    const l = live.get(item.key)?.payload;
    if (m.welcome) return runWelcome(m, item, l);
    const all = await bot.handle({ ...m.input, onceKey: item.key, receivedAtMs: item.receivedAtMs });
    // A private reply (the web page's sign-in link) goes to the user one-to-one, never into a group.
    const isPrivate = (r: Reply) => r.type === 'text' && r.private === true;
    const direct = p.parse.direct?.(m.user, m.to);
    let replies = all;
    if (direct) {
      const own = all.filter(isPrivate);
      replies = all.filter((r) => !isPrivate(r));
      if (own.length > 0) await deliver(direct.to, direct.conversation, own, langOf(own, d.lang), `msg:${m.id}:private`);
    } else if (m.chat !== null && !m.oneToOne) {
      replies = all.map((r) => (isPrivate(r) ? { type: 'error', text: t(langOf(all, d.lang), 'err.webNotPrivate') } : r));
    }
    if (replies.length > 0) await deliver(m.to, m.input.conversation, replies, langOf(replies, d.lang), `msg:${m.id}`, false, l);
    if (m.forgetOnError && all.some((r) => r.type === 'error')) return { forget: true };
  }

  async function runClick(s: StoredClick, item: InboxItem): Promise<{ forget?: boolean } | void> {
    const l = live.get(item.key);
    const parsed = p.parse.stored('click', s.callback);
    const a = parsed.kind === 'click' ? parsed : null;
    // Another click on this card may have moved it to the next question meanwhile: this one is then stale.
    const card = a ? await cards.get(a.card, d.now()) : null;
    const to = card ? p.parse.target(card.conversation) : null;
    if (s.ack) {
      if (!a || !card || !to || !isAckCommand(card.ack)) return log(`${id}: an acknowledge click on card ${a?.card ?? '?'}, which is no reminder of ours; ignored`);
      return runAck(a, card, to, card.ack, item, l);
    }
    if (!a || !card || !to || !card.incidentId || card.questionId !== s.questionId) {
      log(`${id}: a click on card ${a?.card ?? '?'} for a question it no longer shows; ignored`);
      return;
    }
    const label = card.options.find((o) => o.value === a.value)?.label ?? a.value;
    const replies: Reply[] = await bot.handle({
      kind: 'action', text: a.value, questionId: s.questionId, incidentId: card.incidentId,
      user: `${id}:${a.user}`, conversation: card.conversation, onceKey: item.key, receivedAtMs: item.receivedAtMs,
    });
    const lang = langOf(replies, card.lang);
    if (replies.every((r) => r.type === 'error')) {
      // The card stays as it was, so the question can be answered again; the refusal goes to the chat (or, where the
      // acknowledgement answers, to the clicker). The same click (its key is card, question, person and answer) must
      // then be taken again: its key is forgotten.
      await refusedClick(a, to, card.conversation, replies, lang, label, item, l);
      return { forget: true };
    }
    await updateClicked(a.card, () => p.render.clicked(replies, lang, label), l);
    if (p.render.afterClick) {
      // The card shows what was answered, no question: its buttons no longer count. The answer goes to the chat.
      await cards.question(a.card, card.conversation, [], lang, [], d.now());
      await sendRendered(to, card.conversation, p.render.afterClick(d.settings, replies, { lang, seed: `click:${item.key}`, to, answered: label }), replies, lang, false);
      return;
    }
    await cards.question(a.card, card.conversation, replies, lang, p.render.options(replies, lang), d.now());
  }

  /** A click the bot refused: said in the chat, or (the acknowledgement answers) on the card's update, which keeps its question. */
  async function refusedClick(a: InboundClick, to: T, conversation: string, replies: readonly Reply[], lang: Lang, label: string, item: InboxItem, l: Live<P> | undefined): Promise<void> {
    if (a.answerInAck) return updateClicked(a.card, () => p.render.clicked(replies, lang, label), l);
    if (l) l.cardUpdated = true; // and no "working" on it
    await deliver(to, conversation, replies, lang, `click:${item.key}`);
  }

  /** A reminder's acknowledge button: `/incident ack …` run as the clicker; the card then says who acknowledged. */
  async function runAck(a: InboundClick, card: CardRecord, to: T, command: string, item: InboxItem, l: Live<P> | undefined): Promise<{ forget?: boolean } | void> {
    const replies: Reply[] = await bot.handle({
      kind: 'command', text: command, user: `${id}:${a.user}`, conversation: card.conversation, onceKey: item.key, receivedAtMs: item.receivedAtMs,
    });
    if (replies.length === 0) return;
    const label = card.options.find((o) => o.value === a.value)?.label ?? '';
    const lang = langOf(replies, card.lang);
    if (replies.some((r) => r.type === 'error')) {
      // Not recorded: said in the chat, and this person's click can be taken again.
      await refusedClick(a, to, card.conversation, replies, lang, '', item, l);
      return { forget: true };
    }
    await updateClicked(a.card, () => p.render.acknowledged(replies.map((r) => (r.type === 'text' ? r.text : '')).filter(Boolean).join('\n'), label, lang), l);
    if (p.render.afterClick) await sendRendered(to, card.conversation, p.render.afterClick(d.settings, replies, { lang, seed: `click:${item.key}`, to }), replies, lang, false);
  }

  /** One inbox item: the payload as the platform sent it, parsed again (the same after a restart). */
  async function runItem(item: InboxItem): Promise<{ forget?: boolean } | void> {
    try {
      if (item.key.startsWith(`${id}-click:`)) return await runClick(item.payload as StoredClick, item);
      const m = p.parse.stored('message', item.payload);
      if (m.kind !== 'message') return log(`${id}: unreadable inbox item ${item.key} ignored`);
      return await runMessage(m, item);
    } finally {
      clearTimeout(live.get(item.key)?.timer);
      live.delete(item.key);
    }
  }

  /**
   * Writes the payload to the inbox, then acks (not when the inbox is full: the platform then sends it again);
   * processing starts after the ack. null when the store failed (acked; logged once per outage: nothing written).
   */
  async function accept(key: string, conversation: string, payload: unknown, ack: (answer?: AckAnswer) => void, raw: P, o: { notResent?: boolean | undefined; answers?: { down: string; busy: string } | undefined; inAck?: boolean } = {}): Promise<Accepted | null> {
    const { notResent = false } = o;
    let acked!: () => void;
    const after = new Promise<void>((resolve) => { acked = resolve; });
    // Live from before the write; dropped below unless accepted. A second delivery of a key in flight keeps the first's.
    const mine: Live<P> | null = live.has(key) ? null : { payload: raw, cardUpdated: false };
    if (mine) live.set(key, mine);
    const r = await inbox.accept(key, conversation, payload, { after }).catch(() => null); // store down: logged by the inbox
    if (r !== 'accepted' && mine && live.get(key) === mine) live.delete(key);
    // Store down: acked all the same, since the platform's re-sends would only repeat the answer. Busy: not acked, so
    // the platform sends it again, unless it never does (then acked, and the refusal said). A click answered in its
    // acknowledgement (Feishu's toast) hears what became of it.
    if (o.inAck) ack(r === 'accepted' ? { taken: true } : r === 'duplicate' ? { again: true } : refusal(r === 'busy' ? 'toast.busy' : 'toast.storeDown'));
    else if (r === null) ack(o.answers?.down);
    else if (r === 'busy') { if (notResent) ack(o.answers?.busy); } else ack();
    acked();
    if (r === 'busy') {
      log(p.neverResends || o.inAck
        ? `${id}: inbox full (${inbox.queued()} waiting): refused ${key}; the sender is told to send it again`
        : `${id}: inbox full (${inbox.queued()} waiting): ${key} ${notResent ? 'refused' : `not acknowledged, so that ${p.title} sends it again`}`);
    }
    return r;
  }

  /** What the sender is told when nothing was written: the store is down, or the inbox full where nothing is re-sent. */
  function notTaken(r: Accepted | null, notResent = false): string | null {
    if (r === null) return refusal(`refused.storeDown.${noun}`);
    return r === 'busy' && (p.neverResends || notResent) ? refusal(`refused.busy.${noun}`) : null;
  }

  async function onMessage(m: InboundMessage<T>, ack: (answer?: AckAnswer) => void, raw: P): Promise<void> {
    const by = refusedBy(m.chat, m.user);
    if (by) {
      ack();
      log(`${id}: refused a ${noun} from ${m.user} in ${m.input.conversation} (not in ${lists})`);
      if (!m.welcome) say(m.to, notAllowed(by), `to ${m.user} that the bot is not enabled there`, raw);
      return;
    }
    if (m.tooLong) {
      ack();
      log(`${id}: message ${m.id} refused: over ${INCOMING_TEXT_MAX} characters; not taken`);
      say(m.to, refusal('refused.tooLong'), `in ${m.input.conversation} that message ${m.id} was too long`, raw);
      return;
    }
    // Refusals said without the store: in the acknowledgement when the payload takes one (refuseInAck), else in the chat.
    const answers = { down: refusal(`refused.storeDown.${noun}`), busy: refusal(`refused.busy.${noun}`) };
    const r = await accept(m.key, m.input.conversation, m.stored, ack, raw, { notResent: m.notResent, answers: m.refuseInAck ? answers : undefined });
    const refused = notTaken(r, m.notResent);
    if (refused !== null) {
      if (!m.refuseInAck && !m.welcome) say(m.to, refused, `in ${m.input.conversation} that ${noun} ${m.id} was not taken`, raw);
    } else if (r === 'duplicate') log(`${id}: ${noun} ${m.id} was delivered again; already handled`);
  }

  /** Work done at once (Slack's answer modal): after the allow-lists, once per key for a few seconds. */
  async function onInstant(i: InboundInstant<T>, ack: () => void, raw: P): Promise<void> {
    ack();
    const by = refusedBy(i.chat, i.user);
    if (by) return say(i.to, notAllowed(by), `to ${i.user} that the bot is not enabled there`, raw);
    if (!transport.instant || !(await store.claim(`${id}-instant:${i.key}`, INSTANT_ONCE_MS, d.now()))) return;
    await api(transport.instant(i.work));
  }

  async function onClick(a: InboundClick<T>, ack: (answer?: AckAnswer) => void, raw: P): Promise<void> {
    const startedMs = Date.now(); // a card's update budget counts from receipt
    const direct = p.parse.direct?.(a.user);
    const answers = a.answerInAck === true; // refusals are the acknowledgement's answer, never said in the chat
    /** Refused by an allow-list: the clicker is told one-to-one (or in the acknowledgement's answer). */
    const refuse = (by: 'chat' | 'user' | null) => {
      ack(answers ? notAllowed(by) : undefined);
      if (direct && !answers) say(direct.to, notAllowed(by), `to ${a.user} that the bot is not enabled there`);
    };
    if (a.chat !== undefined && refusedBy(a.chat, a.user)) return refuse(refusedBy(a.chat, a.user));
    let card: CardRecord | null;
    try {
      // A read that works says nothing of writes (a full disk still reads): the outage ends when the inbox takes one.
      card = await cards.get(a.card, d.now());
    } catch (e) {
      // Without the store the card's chat is not known: the clicker is told where the click came from, or one-to-one.
      ack(answers ? refusal('toast.storeDown') : undefined);
      inbox.outage.down(e);
      const here = a.to ?? direct?.to;
      if (here !== undefined && !answers) say(here, refusal('refused.storeDown.message'), `to ${a.user} that a click on card ${a.card} was not taken`);
      return;
    }
    const to = card ? p.parse.target(card.conversation) : null;
    if (!card || !to) {
      ack();
      log(`${id}: a click on card ${a.card}, which the bot does not know (expired or not its own)`);
      return;
    }
    const by = refusedBy(p.parse.chat(card.conversation), a.user);
    if (by) return refuse(by);
    if (card.ack) {
      // A reminder's acknowledge button: only its own fixed value is taken; the command comes from the card record.
      if (a.typed || !card.options.some((o) => o.value === a.value)) {
        ack();
        return;
      }
      // Once per reminder card and person: a re-delivered callback or a double click is one acknowledgement.
      const key = `${id}-click:${digestOf(a.card, 'ack', a.user)}`;
      const r = await accept(key, card.conversation, { callback: a.stored, questionId: '', ack: true } satisfies StoredClick, ack, raw, { inAck: answers });
      const refused = answers ? null : notTaken(r);
      if (refused !== null) say(to, refused, `in ${card.conversation} that a click on card ${a.card} was not taken`);
      else if (r === 'duplicate') log(`${id}: an acknowledge click on card ${a.card} was delivered again (or clicked twice); counted once`);
      else startBudget(key, a.card, card.options.find((o) => o.value === a.value)?.label ?? a.value, card.lang, startedMs);
      return;
    }
    if (!card.incidentId || !card.questionId || (!a.typed && !card.options.some((o) => o.value === a.value))) {
      // A card without a question, or a button of a question the card no longer shows (a click that raced the update,
      // or a callback delivered again once the card moved on: where the acknowledgement answers, "already handled").
      ack(answers ? { again: true } : undefined);
      if (card.questionId) log(`${id}: a click on card ${a.card} for an option it no longer shows; ignored`);
      return;
    }
    // A re-delivered callback (same payload) or a double click (same answer to the same question) is one item.
    const key = `${id}-click:${digestOf(a.card, card.questionId, a.user, a.value)}`;
    const r = await accept(key, card.conversation, { callback: a.stored, questionId: card.questionId } satisfies StoredClick, ack, raw, { inAck: answers });
    const refused = answers ? null : notTaken(r);
    if (refused !== null) say(to, refused, `in ${card.conversation} that a click on card ${a.card} was not taken`);
    else if (r === 'duplicate') log(`${id}: a click on card ${a.card} was delivered again (or clicked twice); counted once`);
    else startBudget(key, a.card, card.options.find((o) => o.value === a.value)?.label ?? a.value, card.lang, startedMs);
  }

  const targetOf = (m: Outbound): T => {
    const to = p.parse.target(m.conversation);
    if (!to) throw new Error(`${id} sender: ${m.conversation} is not a ${p.title} chat`);
    return to;
  };
  /** The reminder ticker's Sender: not retried here (the ticker's backoff does that). */
  const sender: Sender = {
    async send(m, opts) {
      const out = p.render.reminder(d.settings, m, { lang: d.lang, seed: m.key ?? randomUUID() });
      await sendRendered(targetOf(m), m.conversation, out, m.replies, d.lang, true, { signal: opts?.signal });
    },
    ...(transport.posted ? { posted: (m: Outbound, sinceMs: number, opts?: SendOptions) => api(transport.posted!(targetOf(m), m, sinceMs, opts)) } : {}),
  };

  return {
    async onPayload(payload, ack) {
      const i = p.parse.payload(payload);
      if (i.kind === 'ignore') return ack();
      if (i.kind === 'message') return onMessage(i, ack, payload);
      if (i.kind === 'instant') return onInstant(i, ack, payload);
      return onClick(i, ack, payload);
    },
    sender,
    ...chat.lifecycle,
  };
}
