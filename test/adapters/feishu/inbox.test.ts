// Acknowledged means durable: a Feishu message or card click is in the store's inbox before Feishu hears back (HTTP
// 200, or the long connection's ack frame), runs from there in each chat's order, and is resumed once after a restart.
// When the store fails the chat is told, in both languages, and nothing is written; when the inbox is full, Feishu is
// not acknowledged (so it re-sends) and nothing is written.
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../../src/store/redis.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { deliver, messageEvent } from '../../fakes/feishu-events.ts';
import { startPrivateRedis, type PrivateRedis } from '../../fakes/redis-server.ts';
import { describeRedis } from '../../fakes/redis.ts';
import { eventsOf, fillDisk, freeDisk, valve } from '../../fakes/inbox.ts';
import { refusal } from '../../../adapters/kit/refusals.ts';
import { cardText, CREDS, FeishuUser, Harness, textOf } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-feishu-inbox-'));
let h: Harness | null = null;
const servers: PrivateRedis[] = [];
afterEach(async () => {
  await h?.close();
  h = null;
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  rmSync(dir, { recursive: true, force: true });
});

const event = (text: string, o: { chatId?: string; openId?: string } = {}) => messageEvent({ text, token: CREDS.token, ...o });
const post = (hh: Harness, e: unknown) => deliver(hh.eventsUrl, e, { encryptKey: CREDS.encryptKey });

describe('Feishu: acknowledged means written to the inbox', () => {
  // Over HTTP: the platform contract's "inbox before ack" (test/adapters/feishu.contract.test.ts).
  it('over the long connection, a message is in the store when Feishu hears back, and runs from there', async () => {
    const bot = valve();
    h = await Harness.start({ mode: 'ws', wrapBot: bot.wrapBot });
    const e = event('/incident new 网银登录失败');
    expect((await h.api.pushEvent(e, 'f-1')).code).toBe(200);
    // Acknowledged, not yet processed (the bot is held): the message is in the store, not only in memory.
    expect(await h.store.inboxPendingCount()).toBe(1);
    expect(h.api.sent).toEqual([]);
    bot.open();
    await h.app.idle();
    expect(cardText(h.api.last().content)).toContain('已新建事件 INC-20261130-01');
    expect(await h.store.inboxPendingCount()).toBe(0);
  });

  it('a message acknowledged before a crash is run once at the next start, and its re-delivery is ignored', async () => {
    const store = createSqliteStore(join(dir, 'resume.db'));
    // As the previous run left it: written (its lease long lapsed), acknowledged, never processed.
    const e = event('/incident new 重启前收到的事件', { chatId: 'oc_resume' });
    const flattened = { schema: e.schema, ...e.header, ...e.event, token: undefined };
    const t0 = Date.parse('2026-11-30T05:50:00Z');
    expect(await store.inboxAdd({ key: `feishu-message:${e.event.message.message_id}`, source: 'feishu', conversation: 'feishu:oc_resume', payload: flattened, receivedAtMs: t0 }, `feishu@${hostname()}#`, 60_000, t0)).toBe(true);
    h = await Harness.start({ store });
    await h.app.idle();
    expect(h.logs.join('\n')).toContain('feishu: resumed 1 command(s) received before the last stop');
    expect(h.api.sent).toHaveLength(1);
    expect(cardText(h.api.sent[0]!.content)).toContain('重启前收到的事件');
    expect(await store.inboxPendingCount()).toBe(0);
    // Feishu did get its 200 before the crash, but may still re-send (or send it under another event id): once.
    expect((await h.post(e)).status).toBe(200);
    expect((await h.post({ ...e, header: { ...e.header, event_id: 'ev_other_id' } })).status).toBe(200);
    expect(h.api.sent).toHaveLength(1);
    expect((await store.listOpen('feishu:oc_resume')).map((m) => m.id)).toEqual(['INC-20261130-01']);
  });
});

describe('Feishu: a full inbox is not acknowledged, so Feishu sends the event again', () => {
  it('over HTTP: 503 and nothing written; the re-sent event is then taken', async () => {
    const bot = valve();
    h = await Harness.start({ wrapBot: bot.wrapBot, inboxMax: 1 });
    expect((await post(h, event('/incident new 第一件'))).status).toBe(200);
    const second = event('/incident new 第二件', { chatId: 'oc_two' });
    const busy = await post(h, second);
    expect(busy.status).toBe(503);
    expect(await h.store.inboxPendingCount()).toBe(1); // only the first
    expect(h.logs.join('\n')).toMatch(/inbox full \(1 waiting\): feishu-message:\S+ not acknowledged, so that Feishu sends it again/);
    bot.open();
    await h.app.idle();
    // Feishu re-sends it (same event): now it is taken and answered.
    expect((await h.post(second)).status).toBe(200);
    expect(h.api.sent.map((m) => cardText(m.content)).join('\n')).toMatch(/第一件[\s\S]*第二件/);
    expect(await h.store.listOpen('feishu:oc_two')).toHaveLength(1);
  });

  it('over the long connection: the frame is answered 500 (Feishu re-pushes) and nothing written; a card click is told to retry', async () => {
    const bot = valve(false);
    h = await Harness.start({ mode: 'ws', wrapBot: bot.wrapBot, inboxMax: 1 });
    const alice = new FeishuUser(h);
    await alice.say('/incident new 网银登录失败');
    await alice.say('13:40');
    const before = (await eventsOf(h.store, 'INC-20261130-01')).length;
    bot.close();
    expect((await h.api.pushEvent(event('/incident status', { chatId: 'oc_slow' }), 'f-slow')).code).toBe(200);
    const refused = event('/incident new 第二件', { chatId: 'oc_two' });
    expect((await h.api.pushEvent(refused, 'f-busy')).code).toBe(500);
    expect(await h.store.inboxPendingCount()).toBe(1);
    // A click cannot be re-sent by Feishu: the toast tells the user, in both languages, and the card stays as it was.
    const click = await alice.click('网上银行');
    expect(click).toEqual({ toast: { type: 'error', content: refusal('toast.busy') } });
    expect((await eventsOf(h.store, 'INC-20261130-01')).length).toBe(before);
    bot.open();
    await h.app.idle();
    expect((await h.api.pushEvent(refused, 'f-again')).code).toBe(200);
    await h.app.idle();
    expect(await h.store.listOpen('feishu:oc_two')).toHaveLength(1);
    // The same click again: recorded now.
    expect((await alice.click('网上银行')).toast).toEqual({ type: 'success', content: '已记录：网上银行' });
  });
});

describe('Feishu: the store fails; every message is answered, nothing is half-recorded', () => {
  it('disk full (SQLite at its page limit, a real SQLITE_FULL): the chat is told in both languages, logged once; when space returns it goes on', async () => {
    const store = createSqliteStore(join(dir, 'full.db'), { maxPageCount: 400 });
    h = await Harness.start({ store });
    const alice = new FeishuUser(h);
    await alice.say('/incident new 网银登录失败');
    await alice.say('13:40');
    const before = await eventsOf(store, 'INC-20261130-01');
    const fillers = await fillDisk(store, h.clock.now());
    const pending = await store.inboxPendingCount();

    for (const text of ['网上银行', '/incident status', '/incident note 磁盘满时发的']) {
      const r = await alice.say(text);
      expect(r.msgType).toBe('text');
      const lines = textOf(r).split('\n');
      expect(lines[0]).toContain('存储暂时不可用，本条消息没有被接收，也没有被记录');
      expect(lines[1]).toContain('Storage is unavailable right now: this message was not taken and nothing was recorded');
    }
    const click = await alice.click('网上银行');
    expect(click).toEqual({ toast: { type: 'error', content: refusal('toast.storeDown') } });
    expect(await eventsOf(store, 'INC-20261130-01')).toEqual(before);
    expect(await store.inboxPendingCount()).toBe(pending);
    const down = h.logs.filter((l) => l.includes('cannot take messages'));
    expect(down).toHaveLength(1);
    expect(down[0]).toMatch(/full/);

    // Space again: the same answer is taken and recorded, once.
    await freeDisk(store, fillers, h.clock.now());
    expect(cardText((await alice.say('网上银行')).content)).toContain('主要功能');
    expect(h.logs.filter((l) => l.includes('taking messages again'))).toHaveLength(1);
    const after = await eventsOf(store, 'INC-20261130-01');
    expect(after.length).toBe(before.length + 1);
  });
});

describeRedis('Feishu: Redis stops (long connection)', () => {
  it('each message is acknowledged and answered in both languages without the store; when Redis is back the same message is taken', async () => {
    const redisDir = mkdtempSync(join(dir, 'redis-'));
    let redis = await startPrivateRedis(redisDir);
    servers.push(redis);
    const store = await createRedisStore(redis.url);
    h = await Harness.start({ mode: 'ws', store });
    const alice = new FeishuUser(h);
    await alice.say('/incident new 网银登录失败');
    await alice.say('13:40');
    const before = await eventsOf(store, 'INC-20261130-01');

    await redis.kill();
    for (const text of ['网上银行', '/incident status']) {
      const r = await alice.say(text); // the frame is answered 200: Feishu's re-sends would only repeat this answer
      expect(textOf(r)).toMatch(/^存储暂时不可用，本条消息没有被接收[\s\S]*\nStorage is unavailable right now/);
    }
    expect(h.logs.filter((l) => l.includes('cannot take messages'))).toHaveLength(1);

    redis = await startPrivateRedis(redisDir, { port: redis.port });
    servers.push(redis);
    let text = '';
    for (let i = 0; i < 100; i++) { // the client reconnects with backoff
      text = textOf(await alice.say('网上银行'));
      if (!text.includes('存储暂时不可用')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toContain('主要功能');
    const after = await eventsOf(store, 'INC-20261130-01');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBe(before.length + 1);
  });
});
