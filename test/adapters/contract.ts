import { afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/bot.ts';
import type { BotConfig } from '../../src/conversation/types.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { botConfig, FixedClock } from '../fakes/chat.ts';
import { eventsOf, valve, type Valve } from '../fakes/inbox.ts';
import { narrative, squash } from '../limits/long-text.ts';

/**
 * The platform contract: what every chat platform (and the console) does the same way, driven from outside as the
 * platform would drive it (signed requests, frames of the real shapes, stdin). Each platform has one driver in
 * test/adapters/drivers/ that starts it through its public start function and plays two chats (a, b) and two people
 * (alice, bob) there; only the drivers know a platform's ids, payloads and limits.
 */

export type ChatName = 'a' | 'b';
export type Person = 'alice' | 'bob';
export interface Who { chat: ChatName; user: Person }

export interface StartDeps {
  bot: Bot;
  store: Store;
  config: BotConfig;
  now: () => number;
  log: (msg: string) => void;
  /** Only these chats and people may use the bot (the platform's *_ALLOWED_CHATS / *_ALLOWED_USERS). */
  allow?: { chats: ChatName[]; users: Person[] };
}

export interface RunningPlatform {
  /** `text` typed by who (default alice in chat a); resolves once the platform has its acknowledgement. */
  send(text: string, who?: Partial<Who>): Promise<void>;
  /** Waits until everything sent so far has been handled and answered. */
  settle(): Promise<void>;
  /** What who sees the bot say there, readable (markup decoded), oldest first: chat messages and those to who alone. */
  said(who?: Partial<Who>): string[];
  /** Every payload the bot sent that breaks the platform's documented limits (empty: all within). */
  overLimits(): string[];
  /** Every payload the bot sent that carries live markup: a mention, a link, a formatting or control sequence. */
  liveMarkup(): string[];
  /** What the bot sent, in the platform's own shapes, oldest first (for a platform's own limit cases). */
  payloads(): unknown[];
  stop(): Promise<void>;
}

export interface PlatformDriver {
  name: string;
  /** The conversation id the core gives a chat (slack:T1:C1, feishu:oc_x, ...). */
  conversation(chat: ChatName): string;
  /** The platform acknowledges each payload (HTTP answer, ack frame); false: taking it is the only answer it gets. */
  acknowledges: boolean;
  /** The platform has an inbox, allow-lists and secrets (false for the console: one local user, no platform). */
  remote: boolean;
  /** The credentials the driver configures; none may appear in any log line. */
  secrets: string[];
  start(deps: StartDeps): Promise<RunningPlatform>;
}

const NOW_ISO = '2026-11-30T14:00:00+08:00';

/** A store port whose every call fails while down (a dead Redis, a full disk), as a real outage answers. */
function outageStore(real: Store): Store & { down: boolean } {
  const state = { down: false };
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'down') return state.down;
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || prop === 'close') return v;
      return (...args: unknown[]) => (state.down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) : (v as (...a: unknown[]) => unknown).apply(target, args));
    },
    set(_t, prop, value) {
      if (prop === 'down') { state.down = value as boolean; return true; }
      return false;
    },
  }) as Store & { down: boolean };
}

/** Everything written to the process's console and standard streams while fn runs, besides the adapter's log. */
async function capturingOutput<T>(fn: () => Promise<T>): Promise<{ value: T; output: string }> {
  const chunks: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((m) => console[m]);
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  for (const m of methods) console[m] = (...a: unknown[]) => { chunks.push(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x) ?? String(x))).join(' ')); };
  process.stdout.write = ((c: string | Uint8Array) => { chunks.push(String(c)); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => { chunks.push(String(c)); return true; }) as typeof process.stderr.write;
  try {
    const value = await fn();
    return { value, output: chunks.join('\n') };
  } finally {
    methods.forEach((m, i) => { console[m] = saved[i]!; });
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

async function eventually(cond: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface StartOptions { held?: Valve; lang?: 'zh-CN' | 'en'; allow?: StartDeps['allow'] }
export interface Started { p: RunningPlatform; store: Store & { down: boolean }; logs: string[]; clock: FixedClock; bot: Bot }

/** Starts the platform through its driver over a real bot and an in-memory SQLite store (closed by the caller), at a fixed time. */
export async function startPlatform(driver: PlatformDriver, o: StartOptions = {}): Promise<Started> {
  const store = outageStore(createSqliteStore(':memory:'));
  const clock = new FixedClock(Date.parse(NOW_ISO));
  const config = botConfig(o.lang ? { language: o.lang } : {});
  const logs: string[] = [];
  const log = (m: string) => { logs.push(m); };
  const core = createBot({ store, config, now: clock.now, log });
  const bot = o.held ? o.held.wrapBot(core) : core;
  const p = await driver.start({ bot, store, config, now: clock.now, log, ...(o.allow ? { allow: o.allow } : {}) });
  return { p, store, logs, clock, bot: core };
}

/** Three report narratives of 3,900 characters each on one line (a terminal sends a line), and the draft that shows them. */
export async function longDraft(p: RunningPlatform): Promise<{ texts: string[]; before: number }> {
  await p.send('/incident new 核心系统中断');
  const texts = [narrative('根因'), narrative('教训'), narrative('整改')].map((t) => t.replace(/\n/g, ' '));
  for (const [i, item] of ['rootCause', 'lessons', 'improvements'].entries()) await p.send(`/incident set report.${item} ${texts[i]}`);
  await p.settle();
  const before = p.said().length;
  await p.send('/incident draft final');
  await p.settle();
  return { texts, before };
}

export function platformContract(driver: PlatformDriver): void {
  describe(`platform contract: ${driver.name}`, () => {
    let running: RunningPlatform | null = null;
    const valves: Valve[] = [];
    const stores: Store[] = [];
    afterEach(async () => {
      for (const v of valves.splice(0)) v.crash(); // a held bot lets go, so that the platform can stop
      await running?.stop();
      running = null;
      for (const s of stores.splice(0)) await s.close();
    });

    async function start(o: StartOptions = {}): Promise<Started> {
      const started = await startPlatform(driver, o);
      stores.push(started.store);
      running = started.p;
      return started;
    }
    const held = () => {
      const v = valve();
      valves.push(v);
      return v;
    };
    const incidentsOf = async (store: Store, chat: ChatName) => store.listOpen(driver.conversation(chat));

    if (driver.remote) {
      it('inbox before ack: a message is in the store when the platform has its answer, and runs from there', async () => {
        const gate = held();
        const { p, store } = await start({ held: gate });
        await p.send('/incident new 网银登录失败');
        // Acknowledged, not yet processed (the bot is held): the message is in the store, not only in memory.
        if (driver.acknowledges) expect(await store.inboxPendingCount()).toBe(1);
        else await eventually(async () => (await store.inboxPendingCount()) === 1, 'the message in the inbox');
        expect(p.said()).toEqual([]);
        gate.open();
        await p.settle();
        expect(p.said().join('\n')).toContain('INC-20261130-01');
        expect(await store.inboxPendingCount()).toBe(0);
        expect(await incidentsOf(store, 'a')).toHaveLength(1);
      });
    }

    it("per-conversation order: one chat's messages run in the order received while another chat's go on", async () => {
      const gate = held();
      const { p, store, logs } = await start({ held: gate });
      const two = driver.conversation('a') !== driver.conversation('b'); // the console has one conversation
      for (const text of ['/incident new 顺序测试', '/incident note 第一条', '/incident note 第二条']) await p.send(text);
      if (two) await p.send('/incident new 别的群', { chat: 'b', user: 'bob' });
      await p.send('/incident note 第三条');
      if (two) await p.send('/incident note 别的群的记录', { chat: 'b', user: 'bob' });
      if (driver.remote) await eventually(async () => (await store.inboxPendingCount()) === 6, 'six messages in the inbox');
      gate.open();
      await p.settle();
      const [mine] = await incidentsOf(store, 'a');
      expect((await eventsOf(store, mine!.id)).filter((e) => e.type === 'note').map((e) => e.text)).toEqual(['第一条', '第二条', '第三条']);
      if (two) {
        const [theirs] = await incidentsOf(store, 'b');
        expect((await eventsOf(store, theirs!.id)).filter((e) => e.type === 'note').map((e) => e.text)).toEqual(['别的群的记录']);
      }
      expect(logs.join('\n'), 'no command was refused for a conflict').not.toMatch(/err\.conflict|冲突/);
      expect([...p.said(), ...p.said({ chat: 'b', user: 'bob' })].join('\n'), 'no one was told of a conflict').not.toMatch(/同时修改|at the same moment/);
    });

    if (driver.remote) {
      it('allow-lists: another chat and another person are told they are not allowed, and nothing changes', async () => {
        const { p, store } = await start({ allow: { chats: ['a'], users: ['alice'] } });
        await p.send('/incident new 未授权的群', { chat: 'b', user: 'alice' });
        await p.send('/incident new 未授权的人', { chat: 'a', user: 'bob' });
        await p.settle();
        for (const who of [{ chat: 'b', user: 'alice' }, { chat: 'a', user: 'bob' }] as const) {
          const refusal = p.said(who).join('\n');
          expect(refusal, `${who.user} in ${who.chat} is told`).toMatch(/[\u4e00-\u9fff]/);
          expect(refusal).toMatch(/allow|not enabled|permitted/i);
          expect(refusal).not.toContain('INC-');
        }
        expect(await incidentsOf(store, 'a')).toEqual([]);
        expect(await incidentsOf(store, 'b')).toEqual([]);
        expect(await store.inboxPendingCount()).toBe(0);
        await p.send('/incident new 已授权', { chat: 'a', user: 'alice' });
        await p.settle();
        expect(await incidentsOf(store, 'a')).toHaveLength(1);
      });
    }

    it('long replies: a draft over 10,000 characters and a list of 80 incidents arrive within the platform\'s limits', async () => {
      const { p, bot } = await start();
      const { texts, before } = await longDraft(p);
      // Over 10,000 characters: split across messages (nothing lost), or cut within the limit and marked as cut.
      const draft = squash(p.said().slice(before).join('\n'));
      expect(draft).toContain(squash(texts[0]!));
      if (!texts.every((t) => draft.includes(squash(t)))) expect(draft, 'a cut reply says so').toContain('…');
      // The list: 80 open incidents, seeded through the core, as if typed over many days.
      for (let i = 1; i <= 80; i++) {
        await bot.handle({ kind: 'command', text: `new 第${i}号事件 ${'支付系统响应缓慢'.repeat(8)}`, user: 'seed', conversation: driver.conversation('b') });
      }
      const before2 = p.said({ chat: 'b', user: 'alice' }).length;
      await p.send('/incident list', { chat: 'b' });
      await p.settle();
      const list = p.said({ chat: 'b', user: 'alice' }).slice(before2).join('\n');
      expect(list).toContain('INC-20261130-02'); // the first of the seeded, the last below
      expect(list).toMatch(/INC-20261130-81|…|more|更多|省略/);
      expect(p.overLimits()).toEqual([]);
    });

    it.each(['zh-CN', 'en'] as const)('store down (institution language %s): answered in Chinese and English, nothing recorded', async (lang) => {
      const { p, store } = await start({ lang });
      store.down = true;
      await p.send('/incident new 存储故障时的事件');
      await p.settle();
      const answer = p.said().join('\n');
      expect(answer).toMatch(/存储|未记录|没有被记录/);
      expect(answer).toMatch(/not recorded|nothing was recorded|storage|unavailable/i);
      store.down = false;
      expect(await incidentsOf(store, 'a')).toEqual([]);
      expect(await store.inboxPendingCount()).toBe(0);
    });

    it('injection inert: markup, mentions, links, formulas and control characters in user text reach no one live', async () => {
      const { p, store } = await start();
      const typed = '=HYPERLINK("https://evil.example/x","点我") 注入测试 <!channel> <!here> <@U0BOSS> @all @所有人 <at user_id="all">所有人</at> [链接](https://evil.example/y) **粗体** `代码` \u001b[2J\u0007';
      await p.send(`/incident new ${typed}`);
      await p.send(`/incident note +SUM(A1) -1 @ceo <@U0BOSS> <at id=all></at> [x](https://evil.example/z)`);
      await p.settle();
      expect(p.liveMarkup()).toEqual([]);
      expect(p.said().join('\n')).toContain('注入测试');
      expect(await incidentsOf(store, 'a')).toHaveLength(1);
    });

    if (driver.remote) {
      it('secrets never logged: not at debug level, not on refusals, not when the store fails', async () => {
        const { value: logs, output } = await capturingOutput(async () => {
          const { p, store, logs } = await start({ allow: { chats: ['a'], users: ['alice'] } });
          await p.send('/incident new 日志检查');
          await p.send('/incident new 未授权', { chat: 'a', user: 'bob' });
          await p.settle();
          store.down = true;
          await p.send('/incident note 存储故障');
          await p.settle();
          store.down = false;
          await p.stop();
          running = null;
          return logs;
        });
        const all = `${logs.join('\n')}\n${output}`;
        expect(logs.length).toBeGreaterThan(0);
        for (const secret of driver.secrets) {
          expect(all).not.toContain(secret);
          expect(all).not.toContain(secret.slice(-12)); // nor its tail
        }
      });
    }
  });
}

/** A platform's own limit cases: each case starts the platform with `start(driver)`, stopped after it whatever happens. */
export function limitCases(title: string, body: (start: (driver: PlatformDriver) => Promise<Started>) => void): void {
  describe(title, () => {
    let s: Started | null = null;
    afterEach(async () => {
      await s?.p.stop();
      await s?.store.close();
      s = null;
    });
    body(async (driver) => (s = await startPlatform(driver)));
  });
}
