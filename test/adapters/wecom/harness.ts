import { expect } from 'vitest';
import { startChat, type StartedChat } from '../../../adapters/kit/chat.ts';
import { wecom } from '../../../adapters/wecom/index.ts';
import type { RetryPolicy } from '../../../adapters/kit/retry.ts';
import { createBot, type Bot, type BotDeps } from '../../../src/bot.ts';
import type { BotConfig } from '../../../src/conversation/types.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/types.ts';
import { botConfig, FixedClock } from '../../fakes/chat.ts';
import { FakeWecomServer, type Outgoing, type WireFrame } from '../../fakes/wecom-server.ts';

export const CREDS = { botId: 'aibAbCdEf0123456789', secret: 'SECRETwecombotsecret7f6e5d4c3b2a' };

export interface HarnessOpts {
  /** Extra bot dependencies, e.g. webLink for `/incident web`. */
  botDeps?: Partial<BotDeps>;
  nowIso?: string;
  env?: Record<string, string>;
  config?: BotConfig;
  cardBudgetMs?: number;
  wrapBot?: (bot: Bot) => Bot;
  store?: Store;
  /** The adapter's retries of replies; by default as in production but waiting 5 ms first. */
  retry?: Partial<RetryPolicy>;
  heartbeatMs?: number;
  reconnectMs?: number;
  /** The inbox's bound (callbacks accepted and not yet processed). */
  inboxMax?: number;
  /** A fake WeCom shared with another harness (a restarted bot reconnecting to the same WeCom); closed by its owner. */
  server?: FakeWecomServer;
}

/** The real SDK and adapter against a fake WeCom endpoint on loopback, with a real bot, SQLite store and a fixed clock. */
export class Harness {
  private constructor(
    readonly server: FakeWecomServer, readonly app: StartedChat, readonly store: Store, readonly clock: FixedClock,
    readonly config: BotConfig, readonly logs: string[], private readonly ownsStore: boolean, private readonly ownsServer = true,
  ) {}

  static async start(o: HarnessOpts = {}): Promise<Harness> {
    const server = o.server ?? await FakeWecomServer.start(CREDS.botId, CREDS.secret);
    const clock = new FixedClock(parseIso(o.nowIso ?? '2026-11-30T14:00:00+08:00'));
    const store = o.store ?? createSqliteStore(':memory:');
    const config = o.config ?? botConfig();
    const logs: string[] = [];
    const log = (m: string) => { logs.push(m); };
    const real = createBot({ store, config, now: clock.now, log, ...o.botDeps });
    const bot = o.wrapBot ? o.wrapBot(real) : real;
    const env = { WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: CREDS.secret, WECOM_WS_URL: server.url, LOG_LEVEL: 'debug', ...o.env };
    const app = await startChat(wecom, {
      env, bot, store, config, now: clock.now, log, retry: { baseMs: 5, ...o.retry },
      ...(o.cardBudgetMs ? { cardUpdateBudgetMs: o.cardBudgetMs } : {}),
      connection: { reconnectMs: o.reconnectMs ?? 10, ...(o.heartbeatMs ? { heartbeatMs: o.heartbeatMs } : {}) },
      ...(o.inboxMax ? { inboxMax: o.inboxMax } : {}),
    });
    await server.subscribed();
    return new Harness(server, app, store, clock, config, logs, !o.store, !o.server);
  }

  /** Waits until the client has read what the fake sent and the adapter has finished the work it took. */
  async settle(): Promise<void> {
    await this.server.barrier();
    await this.app.idle();
  }

  /** Delivers a frame (again) and waits for its handling; returns what the bot sent meanwhile. */
  async redeliver(frame: WireFrame): Promise<Outgoing[]> {
    const before = this.server.sent.length;
    this.server.deliver(frame);
    await this.settle();
    return this.server.sent.slice(before);
  }

  async close(): Promise<void> {
    await this.app.stop();
    if (this.ownsServer) await this.server.close();
    if (this.ownsStore) await this.store.close();
  }
}

/** A person talking to the bot: in a one-to-one chat, or in a group (`chatId`) by @-mentioning it. */
export class WecomUser {
  /** Cards as this user sees them, oldest first: sent, or replaced by an update after a click. */
  readonly cards: Array<Record<string, unknown>> = [];
  private seen = 0;
  constructor(readonly h: Harness, readonly userId = 'zhangsan', readonly chatId: string | null = null) {}

  get group(): boolean { return this.chatId !== null; }

  private sync(): void {
    for (const m of this.h.server.sent.slice(this.seen)) {
      if (!m.card || m.chatId !== (this.chatId ?? this.userId)) continue;
      if (m.op === 'update') {
        const i = this.cards.findIndex((c) => c.task_id === m.card!.task_id);
        if (i >= 0) this.cards[i] = m.card;
      } else {
        this.cards.push(m.card);
      }
    }
    this.seen = this.h.server.sent.length;
  }

  /** Sends a message (in a group with "@事件机器人 " before it, as a WeCom client does); returns what the bot sent. */
  async sayAll(text: string, o: { msgid?: string } = {}): Promise<Outgoing[]> {
    const before = this.h.server.sent.length;
    this.h.server.message({ text: this.group ? `@事件机器人\u2005${text}` : text, userId: this.userId, group: this.group, ...(this.chatId ? { chatId: this.chatId } : {}), ...o });
    await this.h.settle();
    this.sync();
    return this.h.server.sent.slice(before);
  }

  /** Sends a message; expects one reply on its req_id and returns it. */
  async say(text: string): Promise<Outgoing> {
    const sent = await this.sayAll(text);
    expect(sent.map((m) => m.op), `one reply to "${text}"`).toEqual(['reply']);
    return sent[0]!;
  }

  /** Clicks the button (or vote option, then submit) labelled `label` on the newest card that has it; returns what the bot sent. */
  async click(label: string, o: { msgid?: string } = {}): Promise<Outgoing[]> {
    const card = this.latestCard((c) => choicesOf(c).some((b) => b.label === label));
    const choice = choicesOf(card).find((b) => b.label === label)!;
    const before = this.h.server.sent.length;
    this.h.server.click({ card, key: choice.key, ...(choice.optionId ? { optionId: choice.optionId } : {}), userId: this.userId, group: this.group, ...(this.chatId ? { chatId: this.chatId } : {}), ...o });
    await this.h.settle();
    this.sync();
    return this.h.server.sent.slice(before);
  }

  latestCard(has: (card: Record<string, unknown>) => boolean): Record<string, unknown> {
    this.sync();
    const c = [...this.cards].reverse().find(has);
    if (!c) throw new Error('no such card was sent');
    return c;
  }
}

/** What a card offers to click: its buttons, or its vote options (each sent with the submit button's key). */
export function choicesOf(card: Record<string, unknown>): Array<{ label: string; key: string; optionId?: string }> {
  const buttons = (card.button_list as Array<{ text: string; key: string }> | undefined) ?? [];
  const vote = card.checkbox as { option_list: Array<{ id: string; text: string }> } | undefined;
  const submit = (card.submit_button as { key: string } | undefined)?.key ?? '';
  return [...buttons.map((b) => ({ label: b.text, key: b.key })), ...(vote?.option_list ?? []).map((x) => ({ label: x.text, key: submit, optionId: x.id }))];
}

const HALF: Record<string, string> = { '＜': '<', '＞': '>', '＊': '*', '＿': '_', '｀': '`', '［': '[', '］': ']', '＃': '#', '～': '~', '｜': '|', '＼': '\\', '＄': '$', '－': '-', '＋': '+', '＝': '=', '．': '.' };

/** What a reader sees of a markdown text: emphasis marks dropped, the escaped characters shown as typed. */
export function readable(md: string | null): string {
  return (md ?? '').replace(/\*\*/g, '').replace(/[＜＞＊＿｀［］＃～｜＼＄－＋＝．]/g, (c) => HALF[c] ?? c);
}

/** Everything readable in the messages: markdown texts and card titles. */
export function textOf(messages: readonly Outgoing[]): string {
  return messages.map((m) => [readable(m.markdown), m.card ? JSON.stringify(m.card) : ''].join('\n')).join('\n');
}
