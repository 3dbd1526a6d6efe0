import { afterEach, describe, expect, it } from 'vitest';
import { startChat } from '../../../adapters/kit/chat.ts';
import { wecom } from '../../../adapters/wecom/index.ts';
import { PlatformConfigError } from '../../../adapters/kit/errors.ts';
import { createBot } from '../../../src/bot.ts';
import { createRedisStore } from '../../../src/store/redis.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { botConfig, FixedClock } from '../../fakes/chat.ts';
import { deleteKeys, describeRedis, uniquePrefix, url } from '../../fakes/redis.ts';
import { FakeWecomServer } from '../../fakes/wecom-server.ts';
import { CREDS, Harness, WecomUser, readable } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const eventCount = async (harness: Harness, id = 'INC-20261130-01') => (await harness.store.load(id))?.events.length ?? 0;

describe('WeCom: delivery over the long connection', () => {
  it('subscribes with the Bot ID and Secret, and keeps the connection alive with ping frames WeCom acknowledges', async () => {
    h = await Harness.start({ heartbeatMs: 20 });
    expect(h.server.subscribes).toEqual([{ botId: CREDS.botId, secret: CREDS.secret, ok: true }]);
    const subscribe = h.server.framesIn[0]!;
    expect(subscribe.cmd).toBe('aibot_subscribe');
    expect(subscribe.headers.req_id).toMatch(/^aibot_subscribe_/);
    // Wait for heartbeats (an event, not a duration): three acknowledged pings, still one connection.
    while (h.server.pings < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(h.server.framesIn.filter((f) => f.cmd === 'ping').every((f) => /^ping_/.test(f.headers.req_id))).toBe(true);
    expect(h.server.connections).toBe(1);
    expect((await new WecomUser(h).say('/incident new 测试')).cmd).toBe('aibot_respond_msg');
  });

  it('reconnects and subscribes again when WeCom stops acknowledging pings, and keeps working', async () => {
    h = await Harness.start({ heartbeatMs: 20, reconnectMs: 5 });
    h.server.answerPings = false;
    while (h.server.connections < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    h.server.answerPings = true;
    await h.server.subscribed();
    while (h.server.subscribes.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(h.server.subscribes.every((s) => s.ok)).toBe(true);
    expect(readable((await new WecomUser(h).say('/incident new 测试')).markdown)).toContain('已新建事件');
  });

  it('handles a re-delivered message once, sequentially and concurrently', async () => {
    h = await Harness.start();
    const alice = new WecomUser(h);
    await alice.say('/incident new 网上银行登录失败');
    const frame = h.server.message({ text: '/incident set 重要数据 不确定', msgid: 'msg-dup-1' });
    await h.settle();
    const events = await eventCount(h);
    const replies = h.server.sent.length;
    // WeCom re-sends a callback it is not sure was taken (after a reconnect): the same msgid, a new req_id.
    expect(await h.redeliver({ ...frame, headers: { req_id: 'callback_again_1' } })).toEqual([]);
    h.server.deliver({ ...frame, headers: { req_id: 'callback_again_2' } });
    h.server.deliver({ ...frame, headers: { req_id: 'callback_again_3' } });
    await h.settle();
    expect(h.server.sent).toHaveLength(replies);
    expect(await eventCount(h)).toBe(events);
    expect(h.logs.some((l) => l.includes('msg-dup-1 was delivered again'))).toBe(true);
  });

  it('handles a repeated click once; a click answers the question its card asked, whoever clicks', async () => {
    h = await Harness.start();
    const alice = new WecomUser(h, 'zhangsan', 'wrgroup01');
    await alice.say('/incident new 网上银行登录失败');
    await alice.say('13:40');
    const card = alice.latestCard((c) => JSON.stringify(c).includes('网上银行'));
    const key = (card.button_list as Array<{ text: string; key: string }>).find((b) => b.text === '网上银行')!.key;
    const click = h.server.click({ card, key, userId: 'lisi', group: true, chatId: 'wrgroup01', msgid: 'ev-dup-1' });
    await h.settle();
    const events = (await h.store.load('INC-20261130-01'))!.events.map((e) => e.event as { type: string; path?: string; actor?: string });
    expect(events.find((e) => e.path === 'networks.0.ref')).toMatchObject({ type: 'fact-set', actor: 'wecom:lisi' });
    const after = await eventCount(h);
    expect(await h.redeliver({ ...click, headers: { req_id: 'event_again_1' } })).toEqual([]);
    expect(await eventCount(h)).toBe(after);
  });

  it('updates the card within the budget when the bot is slow ("working"), then posts the answer when it is ready', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => { open = resolve; });
    let slow = false;
    h = await Harness.start({
      cardBudgetMs: 30,
      wrapBot: (bot) => ({ ...bot, handle: async (input) => { if (slow && input.kind === 'action') await gate; return bot.handle(input); } }),
    });
    const alice = new WecomUser(h);
    await alice.say('/incident new 网上银行登录失败');
    const asked = await alice.say('13:40');
    slow = true;
    const card = alice.latestCard((c) => JSON.stringify(c).includes('网上银行'));
    const key = (card.button_list as Array<{ text: string; key: string }>).find((b) => b.text === '网上银行')!.key;
    const before = h.server.sent.length;
    h.server.click({ card, key });
    await h.server.barrier();
    while (h.server.sent.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(h.server.last()).toMatchObject({ op: 'update', card: { task_id: asked.card!.task_id, main_title: { title: '… 网上银行' }, sub_title_text: '正在处理，结果将另行发送' } });
    open();
    await h.settle();
    expect(readable(h.server.sent.at(-2)!.markdown)).toMatch(/已回答：网上银行[\s\S]*主要功能/);
  });
});

describe('WeCom: welcome', () => {
  it('welcomes a user who opens the one-to-one chat with the help text, once per enter_chat', async () => {
    h = await Harness.start();
    const frame = h.server.enterChat('wangwu');
    await h.settle();
    expect(h.server.sent.map((m) => [m.op, m.cmd, m.msgtype, m.chatId])).toEqual([['welcome', 'aibot_respond_welcome_msg', 'text', 'wangwu']]);
    expect(h.server.last().markdown).toMatch(/\/incident 命令[\s\S]*new <标题>（新建）/);
    expect(Buffer.byteLength(h.server.last().markdown!)).toBeLessThanOrEqual(2048);
    expect(await h.redeliver({ ...frame, headers: { req_id: 'event_again' } })).toEqual([]);
  });
});

describe('WeCom: start-up', () => {
  it('refuses bad credentials with a readable error naming the variables, and logs no secret', async () => {
    const server = await FakeWecomServer.start(CREDS.botId, CREDS.secret);
    const store = createSqliteStore(':memory:');
    const clock = new FixedClock(Date.parse('2026-11-30T06:00:00Z'));
    const config = botConfig();
    const logs: string[] = [];
    const started = startChat(wecom, {
      env: { WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: 'SECRETwrongsecret000', WECOM_WS_URL: server.url, LOG_LEVEL: 'debug' },
      bot: createBot({ store, config, now: clock.now }), store, config, now: clock.now, log: (m) => logs.push(m),
    });
    await expect(started).rejects.toThrow(PlatformConfigError);
    await expect(started).rejects.toThrow(/WeCom refused the robot's credentials \(check WECOM_BOT_ID and WECOM_BOT_SECRET\): Authentication failed: invalid bot_id or secret \(code: 40001\)/);
    expect(server.subscribes).toHaveLength(1); // no retry loop against bad credentials
    await server.close();
    await store.close();
    expect(logs.join('\n')).not.toContain('SECRETwrongsecret000');
  });

  it('fails readably when the endpoint cannot be reached', async () => {
    const server = await FakeWecomServer.start(CREDS.botId, CREDS.secret);
    const gone = server.url;
    await server.close();
    const store = createSqliteStore(':memory:');
    const config = botConfig();
    await expect(startChat(wecom, {
      env: { WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: CREDS.secret, WECOM_WS_URL: gone, LOG_LEVEL: 'error' },
      bot: createBot({ store, config, now: () => 0 }), store, config, now: () => 0, log: () => undefined,
    })).rejects.toThrow(/WeCom long connection failed \(check WECOM_WS_URL\)/);
    await store.close();
  });
});

describeRedis('WeCom: several replicas on one Redis store', () => {
  it('a message re-delivered to another replica (after WeCom moved the connection) is handled once', async () => {
    const prefix = uniquePrefix('wecom-replicas');
    const store = await createRedisStore(url, { prefix });
    const a = await Harness.start({ store });
    const b = await Harness.start({ store });
    try {
      const frame = a.server.message({ text: '/incident new 网上银行登录失败', msgid: 'msg-replica-1' });
      await a.settle();
      expect(a.server.sent).toHaveLength(1);
      b.server.deliver({ ...frame, headers: { req_id: 'callback_on_b' } }); // needs b's client: the chat reaches b now
      await b.settle();
      expect(b.server.sent).toEqual([]);
      expect(await store.load('INC-20261130-02')).toBeNull();
      expect(b.logs.some((l) => l.includes('msg-replica-1 was delivered again'))).toBe(true);
    } finally {
      await a.close();
      await b.close();
      await store.close();
      await deleteKeys(prefix);
    }
  });
});
