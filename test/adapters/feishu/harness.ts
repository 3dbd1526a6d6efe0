import { expect } from 'vitest';
import { feishu } from '../../../adapters/feishu/index.ts';
import { startChat, type StartedChat } from '../../../adapters/kit/chat.ts';
import type { RetryPolicy } from '../../../adapters/kit/retry.ts';
import type { ActionValue } from '../../../adapters/feishu/render.ts';
import { createBot, type Bot, type BotDeps } from '../../../src/bot.ts';
import type { BotConfig } from '../../../src/conversation/types.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/types.ts';
import { botConfig, FixedClock } from '../../fakes/chat.ts';
import { FakeFeishuApi, type SentMessage, type WsAnswer } from '../../fakes/feishu-api.ts';
import { startOneServer, type OneServer } from '../../fakes/one-server.ts';
import { cardResponseViolation } from '../../limits/feishu-card.ts';
import { cardActionEvent, deliver, messageEvent, type Delivery, type MessageOpts } from '../../fakes/feishu-events.ts';

export const CREDS = {
  appId: 'cli_a1b2c3d4e5f60718',
  appSecret: 'SECRETappsecret9f8e7d6c5b4a',
  encryptKey: 'SECRETencryptkey1a2b3c4d',
  token: 'SECRETverificationtoken5e6f',
};

export interface HarnessOpts {
  nowIso?: string;
  mode?: 'http' | 'ws';
  env?: Record<string, string>;
  config?: BotConfig;
  cardBudgetMs?: number;
  wrapBot?: (bot: Bot) => Bot;
  /** Extra bot dependencies, e.g. webLink for `/incident web`. */
  botDeps?: Partial<BotDeps>;
  beforeStart?: (api: FakeFeishuApi) => void;
  /** The adapter's retries of replies; by default as in production but waiting 5 ms first (10 s cap kept). */
  retry?: Partial<RetryPolicy>;
  /** The store (a SQLite file, a private Redis); by default a fresh in-memory SQLite. Closed by close(). */
  store?: Store;
  /** The inbox's bound (events accepted and not yet processed). */
  inboxMax?: number;
}

/** The real SDK and adapter against a fake open API on loopback, with a real bot, SQLite store and a fixed clock. */
export class Harness {
  private constructor(
    readonly api: FakeFeishuApi, readonly app: StartedChat, readonly store: Store, readonly clock: FixedClock,
    readonly config: BotConfig, readonly logs: string[], readonly mode: 'http' | 'ws', readonly server: OneServer | null,
  ) {}

  static async start(o: HarnessOpts = {}): Promise<Harness> {
    const api = await FakeFeishuApi.start(CREDS.appId, CREDS.appSecret);
    o.beforeStart?.(api);
    const clock = new FixedClock(parseIso(o.nowIso ?? '2026-11-30T14:00:00+08:00'));
    const store = o.store ?? createSqliteStore(':memory:');
    const config = o.config ?? botConfig();
    const logs: string[] = [];
    const log = (m: string) => { logs.push(m); };
    const real = createBot({ store, config, now: clock.now, log, ...o.botDeps });
    const bot = o.wrapBot ? o.wrapBot(real) : real;
    const mode = o.mode ?? 'http';
    const env = {
      FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: CREDS.appSecret, FEISHU_ENCRYPT_KEY: CREDS.encryptKey,
      FEISHU_VERIFICATION_TOKEN: CREDS.token, FEISHU_DOMAIN: api.url, FEISHU_MODE: mode, LOG_LEVEL: 'debug', ...o.env,
    };
    const server = mode === 'http' ? await startOneServer(log) : null;
    const app = await startChat(feishu, {
      env, bot, store, config, now: clock.now, log, ...(server ? { http: server.routes } : {}), retry: { baseMs: 5, ...o.retry }, ...(o.cardBudgetMs ? { cardUpdateBudgetMs: o.cardBudgetMs } : {}),
      ...(o.inboxMax ? { inboxMax: o.inboxMax } : {}),
    });
    return new Harness(api, app, store, clock, config, logs, mode, server);
  }

  /** HTTP mode: the one HTTP server's base URL the callbacks come to. */
  get url(): string { return this.server?.routes.base() ?? ''; }
  get eventsUrl(): string { return `${this.url}/feishu/events`; }
  get cardsUrl(): string { return `${this.url}/feishu/cards`; }

  /** Delivers an event as Feishu would (encrypted and signed unless told otherwise) and waits for its processing. */
  async post(event: unknown, d: Delivery = { encryptKey: CREDS.encryptKey }, url = this.eventsUrl) {
    const r = await deliver(url, event, d);
    await this.app.idle();
    return r;
  }

  async close(): Promise<void> {
    await this.app.stop();
    await this.server?.server.stop();
    await this.api.close();
    await this.store.close();
  }
}

/**
 * A harness with an incident whose question card is showing (after `/incident new` and its time), and a bot that,
 * once `hold()` is called, answers card clicks only after `open()`: the callback outlasts its 30 ms budget.
 */
export async function withSlowClicks(): Promise<{ h: Harness; alice: FeishuUser; hold(): void; open(): void }> {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => { open = resolve; });
  let slow = false;
  const h = await Harness.start({
    cardBudgetMs: 30,
    wrapBot: (bot) => ({ ...bot, handle: async (input) => { if (slow && input.kind === 'action') await gate; return bot.handle(input); } }),
  });
  const alice = new FeishuUser(h);
  await alice.say('/incident new 网上银行登录失败');
  await alice.say('13:40');
  return { h, alice, hold: () => { slow = true; }, open };
}

let frameSeq = 0;

/** A person in a Feishu chat: sends messages and clicks the bot's cards; every reply is read back from the fake API. */
export class FeishuUser {
  /** Cards as this user sees them, oldest first: sent, replaced by a callback's answer, or patched. */
  readonly views: Array<{ messageId: string; card: Record<string, unknown> }> = [];
  private seen = 0;
  constructor(readonly h: Harness, readonly openId = 'ou_alice', readonly chatId = 'oc_incident', readonly chatType: 'p2p' | 'group' = 'p2p') {}

  /** Takes in what the bot sent since the last look. */
  sync(): void {
    for (const m of this.h.api.sent.slice(this.seen)) if (m.msgType === 'interactive') this.views.push({ messageId: m.messageId, card: m.content });
    this.seen = this.h.api.sent.length;
  }

  /** Sends a text message; returns the bot's reply. */
  async say(text: string, extra: Partial<MessageOpts> = {}): Promise<SentMessage> {
    const sent = await this.sayAll(text, extra);
    expect(sent.length, `one reply to "${text}"`).toBe(1);
    return sent[0]!;
  }

  /** Sends a text message; returns everything the bot sent in answer (a card, then file messages). */
  async sayAll(text: string, extra: Partial<MessageOpts> = {}): Promise<SentMessage[]> {
    const before = this.h.api.sent.length;
    const event = messageEvent({ text, chatId: this.chatId, chatType: this.chatType, openId: this.openId, token: CREDS.token, ...extra });
    if (this.h.mode === 'ws') {
      const answer = await this.h.api.pushEvent(event, `frame-${++frameSeq}`);
      expect(answer.code).toBe(200);
      await this.h.app.idle();
    } else {
      const r = await this.h.post(event);
      expect(r.status).toBe(200);
    }
    const sent = this.h.api.sent.slice(before);
    this.sync();
    return sent;
  }

  /** Clicks the button labelled `label` on the latest card that has one; returns the callback's answer. */
  async click(label: string, opts: { eventId?: string } = {}): Promise<Record<string, unknown>> {
    const { card, messageId } = this.latestCard((c) => buttonsOf(c).some((b) => b.label === label && !b.submit));
    const b = buttonsOf(card).find((x) => x.label === label && !x.submit)!;
    return this.callback(cardActionEvent({ token: CREDS.token, value: b.value, messageId, chatId: this.chatId, openId: this.openId, ...opts }));
  }

  /** Types `text` into the latest card's form and submits it. */
  async submit(text: string): Promise<Record<string, unknown>> {
    const { card, messageId } = this.latestCard((c) => buttonsOf(c).some((b) => b.submit));
    const b = buttonsOf(card).find((x) => x.submit)!;
    return this.callback(cardActionEvent({ token: CREDS.token, value: b.value, formValue: { answer: text }, messageId, chatId: this.chatId, openId: this.openId }));
  }

  /** Delivers a card callback; a card in the answer replaces the clicked card, as Feishu does. */
  async callback(event: unknown): Promise<Record<string, unknown>> {
    const messageId = (event as { event: { context: { open_message_id: string } } }).event.context.open_message_id;
    let body: Record<string, unknown>;
    if (this.h.mode === 'ws') {
      const a: WsAnswer = await this.h.api.pushEvent(event, `frame-${++frameSeq}`);
      expect(a.code).toBe(200);
      body = (a.data ?? {}) as Record<string, unknown>;
    } else {
      const r = await deliver(this.h.cardsUrl, event, { encryptKey: CREDS.encryptKey });
      expect(r.status).toBe(200);
      body = r.body;
    }
    this.sync();
    // Every callback answer (toast and card) within Feishu's limits, as every sent message is (the fake checks those).
    expect(cardResponseViolation(body), 'card callback answer within limits').toBeNull();
    const card = (body.card as { data?: Record<string, unknown> } | undefined)?.data;
    if (card) this.views.push({ messageId, card });
    return body;
  }

  /** The newest card this user sees that satisfies `has`, with the message it lives in. */
  latestCard(has: (card: Record<string, unknown>) => boolean): { card: Record<string, unknown>; messageId: string } {
    this.sync();
    const v = [...this.views].reverse().find((x) => has(x.card));
    if (!v) throw new Error('no such card was sent');
    return v;
  }
}

/** Everything a reader sees on a card, entities decoded. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if ((o.tag === 'markdown' || o.tag === 'plain_text') && typeof o.content === 'string') out.push(decodeEntities(o.content));
    for (const [k, v] of Object.entries(o)) if (k !== 'behaviors' && k !== 'config') walk(v);
  };
  walk(card);
  return out.join('\n');
}

export function decodeEntities(s: string): string {
  return s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The buttons on a card, with what each sends back. */
export function buttonsOf(card: unknown): Array<{ label: string; value: ActionValue; submit: boolean }> {
  const out: Array<{ label: string; value: ActionValue; submit: boolean }> = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.tag === 'button') {
      const behaviors = o.behaviors as Array<{ value: ActionValue }>;
      out.push({ label: (o.text as { content: string }).content, value: behaviors[0]!.value, submit: o.form_action_type === 'submit' });
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(card);
  return out;
}

/** A text message's text, or a card's text. */
export function textOf(m: SentMessage): string {
  return m.msgType === 'text' ? String(m.content.text) : cardText(m.content);
}
