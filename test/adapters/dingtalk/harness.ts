import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import { expect } from 'vitest';
import { dingtalk } from '../../../adapters/dingtalk/index.ts';
import { startChat, type StartedChat } from '../../../adapters/kit/chat.ts';
import type { RetryPolicy } from '../../../adapters/kit/retry.ts';
import { createBot, type Bot } from '../../../src/bot.ts';
import type { BotConfig } from '../../../src/conversation/types.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/types.ts';
import { botConfig, FixedClock } from '../../fakes/chat.ts';
import { FakeDingtalk, type ClientFrame, type SentMessage } from '../../fakes/dingtalk-api.ts';
import { cardCallback, robotMessage, type RobotMessageOpts } from '../../fakes/dingtalk-events.ts';

export const CREDS = { clientId: 'dingfakeclient0001', clientSecret: 'SECRETdingtalkclientsecret0123456789' };
export const TEMPLATE = 'fake-template-0001.schema';

export interface HarnessOpts {
  nowIso?: string;
  env?: Record<string, string>;
  config?: BotConfig;
  wrapBot?: (bot: Bot) => Bot;
  retry?: Partial<RetryPolicy>;
  beforeStart?: (api: FakeDingtalk) => void;
  /** A store shared with another harness (replicas); closed by its owner, not by close(). */
  store?: Store;
  /** Extra bot dependencies, e.g. webLink for `/incident web`. */
  botDeps?: Partial<Parameters<typeof createBot>[0]>;
  /** The inbox's bound (frames accepted and not yet processed). */
  inboxMax?: number;
}

/** The real dingtalk-stream SDK and the adapter against a fake DingTalk on loopback, with a real bot, SQLite and a fixed clock. */
export class Harness {
  private constructor(readonly api: FakeDingtalk, readonly app: StartedChat, readonly store: Store, readonly clock: FixedClock, readonly config: BotConfig, readonly logs: string[], private readonly ownsStore = true) {}

  static async start(o: HarnessOpts = {}): Promise<Harness> {
    const api = await FakeDingtalk.start(CREDS.clientId, CREDS.clientSecret);
    o.beforeStart?.(api);
    const clock = new FixedClock(parseIso(o.nowIso ?? '2026-11-30T14:00:00+08:00'));
    const store = o.store ?? createSqliteStore(':memory:');
    const config = o.config ?? botConfig();
    const logs: string[] = [];
    const log = (m: string) => { logs.push(m); };
    const real = createBot({ store, config, now: clock.now, log, ...o.botDeps });
    const bot = o.wrapBot ? o.wrapBot(real) : real;
    const env = { DINGTALK_CLIENT_ID: CREDS.clientId, DINGTALK_CLIENT_SECRET: CREDS.clientSecret, DINGTALK_API_URL: api.url, DINGTALK_OAPI_URL: api.url, LOG_LEVEL: 'debug', ...o.env };
    const app = await startChat(dingtalk, { env, bot, store, config, now: clock.now, log, retry: { baseMs: 5, ...o.retry }, ...(o.inboxMax ? { inboxMax: o.inboxMax } : {}) });
    return new Harness(api, app, store, clock, config, logs, o.store === undefined);
  }

  /** Pushes a CALLBACK frame and waits for its ack and for the work it started. */
  async push(topic: string, payload: unknown, messageId?: string): Promise<ClientFrame> {
    const ack = await this.api.pushCallback(topic, payload, messageId);
    await this.app.idle();
    return ack;
  }

  async close(): Promise<void> {
    await this.app.stop();
    await this.api.close();
    if (this.ownsStore) await this.store.close();
  }
}

/** A person in a DingTalk chat: sends messages and clicks the bot's cards; replies are read back from the fake. */
export class DingtalkUser {
  constructor(readonly h: Harness, readonly staffId = 'staff_alice', readonly conversationType: '1' | '2' = '2', readonly conversationId = 'cidGroupIncident==') {}

  /** Sends a text message; returns everything the robot posted in answer. */
  async sayAll(text: string, extra: Partial<RobotMessageOpts> = {}): Promise<SentMessage[]> {
    const before = this.h.api.sent.length;
    const ack = await this.h.push(TOPIC_ROBOT, robotMessage({ text, staffId: this.staffId, conversationType: this.conversationType, conversationId: this.conversationId, ...extra }));
    expect(ack.code).toBe(200);
    return this.h.api.sent.slice(before);
  }

  /** Sends a text message; returns the one message the robot posted. */
  async say(text: string, extra: Partial<RobotMessageOpts> = {}): Promise<SentMessage> {
    const sent = await this.sayAll(text, extra);
    expect(sent.length, `one answer to "${text}"`).toBe(1);
    return sent[0]!;
  }

  /** Clicks the option labelled `label` on the newest card that shows it; returns what the robot posted then. */
  async click(label: string, messageId?: string): Promise<SentMessage[]> {
    const card = this.latestCard((p) => optionsOf(p).some((o) => o.label === label));
    const value = optionsOf(card.params).find((o) => o.label === label)!.value;
    return this.callback({ outTrackId: card.outTrackId, params: { value } }, messageId);
  }

  /** Types into the newest card's input and submits it. */
  async submit(text: string): Promise<SentMessage[]> {
    const card = this.latestCard((p) => p.input === 'true');
    return this.callback({ outTrackId: card.outTrackId, params: { answer: text } });
  }

  async callback(o: { outTrackId: string; params: Record<string, unknown> }, messageId?: string): Promise<SentMessage[]> {
    const before = this.h.api.sent.length;
    const ack = await this.h.push(TOPIC_CARD, cardCallback({ ...o, userId: this.staffId }), messageId);
    expect(ack.code).toBe(200);
    return this.h.api.sent.slice(before);
  }

  /** The newest state of each card (created, then updated by clicks), newest first, that satisfies `has`. */
  latestCard(has: (params: Record<string, string>) => boolean): { outTrackId: string; params: Record<string, string> } {
    const state = new Map<string, Record<string, string>>();
    const order: string[] = [];
    for (const m of this.h.api.sent) {
      if ((m.op === 'card' || m.op === 'update') && m.outTrackId) {
        state.set(m.outTrackId, { ...(state.get(m.outTrackId) ?? {}), ...(m.content as Record<string, string>) });
        order.push(m.outTrackId);
      }
    }
    for (const id of [...order].reverse()) {
      const p = state.get(id)!;
      if (has(p)) return { outTrackId: id, params: p };
    }
    throw new Error('no such card was sent');
  }
}

export function optionsOf(params: Record<string, string>): Array<{ label: string; value: string }> {
  return JSON.parse(params.options ?? '[]') as Array<{ label: string; value: string }>;
}

/** What a reader sees: a text message's text, or a card's variables in the template's order. */
export function textOf(m: SentMessage): string {
  if (m.op === 'group' || m.op === 'user') return String(m.content.content ?? '');
  const p = m.content as Record<string, string>;
  return [p.answered, p.title, p.subtitle, p.body, p.question, optionsOf(p).map((o) => o.label).join(' / '), p.hint].filter(Boolean).join('\n');
}
