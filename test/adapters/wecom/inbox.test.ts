// Taken means durable: a WeCom callback is written to the store's inbox as it comes off the long connection (WeCom's
// protocol has no acknowledgement of a callback: the bot's first word on it is its reply), runs from there in each
// chat's order, and is resumed once after a crash (pushed to the chat: the callback's req_id belonged to the
// connection that is gone). When the store fails or the inbox is full, the user is told on the req_id, in both
// languages, and nothing is written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { refusal } from '../../../adapters/kit/refusals.ts';

import { createRedisStore } from '../../../src/store/redis.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { eventsOf, fillDisk, freeDisk, until, valve as heldBot, type Valve } from '../../fakes/inbox.ts';
import { startPrivateRedis, type PrivateRedis } from '../../fakes/redis-server.ts';
import { describeRedis } from '../../fakes/redis.ts';
import { FakeWecomServer } from '../../fakes/wecom-server.ts';
import { CREDS, Harness, readable, textOf, WecomUser } from './harness.ts';

const REFUSED_BUSY = refusal('refused.busy.message', undefined, '\n\n');
const REFUSED_STORE_DOWN = refusal('refused.storeDown.message', undefined, '\n\n');

const dir = mkdtempSync(join(tmpdir(), 'pboc-wecom-inbox-'));
const open: Harness[] = [];
const closeLater: Array<{ close(): Promise<void> }> = [];
const servers: PrivateRedis[] = [];
const valves: Valve[] = [];
/** A held bot, let go (to fail) after the test whatever happened, so that its harness can stop. */
function valve(): Valve {
  const v = heldBot();
  valves.push(v);
  return v;
}
afterEach(async () => {
  for (const v of valves.splice(0)) v.crash();
  for (const h of open.splice(0)) await h.close();
  for (const s of closeLater.splice(0)) await s.close();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(o: Parameters<typeof Harness.start>[0] = {}): Promise<Harness> {
  const h = await Harness.start(o);
  open.push(h);
  return h;
}

function inBothLanguages(md: string | null, zh: string, en: string): void {
  const lines = readable(md).split('\n').filter((l) => l !== '');
  expect(lines[0]).toContain(zh);
  expect(lines[1]).toContain(en);
}

describe('WeCom: a callback is written to the inbox before the bot says anything on it', () => {
  it("runs one chat's messages in the order received, each after the one before, while other chats go on", async () => {
    const bot = valve();
    const h = await start({ wrapBot: bot.wrapBot });
    for (const text of ['/incident new 顺序测试', '/incident note 第一条', '/incident note 第二条', '/incident note 第三条']) {
      h.server.message({ text: `@事件机器人\u2005${text}`, group: true, chatId: 'wrgroup01' });
    }
    h.server.message({ text: '/incident new 别的人', userId: 'lisi' });
    await h.server.barrier();
    while ((await h.store.inboxPendingCount()) < 5) await new Promise((r) => setTimeout(r, 2));
    bot.open();
    await h.settle();
    const mine = (await h.store.listOpen('wecom:wrgroup01')).map((m) => m.id);
    expect(mine).toHaveLength(1);
    expect((await eventsOf(h.store, mine[0]!)).filter((x) => x.type === 'note').map((x) => x.text)).toEqual(['第一条', '第二条', '第三条']);
    expect(await h.store.listOpen('wecom:lisi')).toHaveLength(1);
    expect(h.logs.join('\n')).not.toMatch(/err\.conflict|冲突/);
    // Each answered on its own callback, in order.
    expect(h.server.sent.filter((m) => m.chatId === 'wrgroup01').map((m) => m.op)).toEqual(['reply', 'reply', 'reply', 'reply']);
  });

  it('a message taken before a crash is run once by the next start and pushed to the chat; its re-delivery is ignored', async () => {
    const server = await FakeWecomServer.start(CREDS.botId, CREDS.secret);
    closeLater.push(server);
    const path = join(dir, 'resume.db');
    const before = createSqliteStore(path);
    closeLater.push(before);
    const bot = valve();
    const crashed = await start({ store: before, wrapBot: bot.wrapBot, server });
    const frame = server.message({ text: '/incident new 重启前收到的事件', userId: 'wangwu' });
    await server.barrier();
    while ((await before.inboxPendingCount()) === 0) await new Promise((r) => setTimeout(r, 2));
    expect(server.sent).toEqual([]);

    // The next run of the bot on the same file connects to the same WeCom, while the first never gets past its door.
    const after = createSqliteStore(path);
    closeLater.push(after);
    const h = await start({ store: after, server });
    await h.settle();
    expect(h.logs.join('\n')).toContain('wecom: resumed 1 command(s) received before the last stop');
    // The answer and the question's card, pushed (aibot_send_msg): no reply on the old connection's req_id.
    expect(server.sent.map((m) => [m.op, m.cmd, m.chatId, m.msgtype])).toEqual([['send', 'aibot_send_msg', 'wangwu', 'markdown'], ['send', 'aibot_send_msg', 'wangwu', 'template_card']]);
    expect(readable(server.sent[0]!.markdown)).toMatch(/已新建事件 INC-20261130-01[\s\S]*重启前收到的事件/);
    expect(await after.inboxPendingCount()).toBe(0);
    // WeCom may deliver it again after the reconnect: once.
    expect(await h.redeliver({ ...frame, headers: { req_id: 'callback_after_restart' } })).toEqual([]);
    expect(h.logs.some((l) => l.includes('was delivered again'))).toBe(true);

    // The first run's held work is let go only to fail (as the dead process would never have finished it): nothing more.
    bot.crash();
    await crashed.app.idle();
    expect(server.sent).toHaveLength(2);
    expect((await after.listOpen('wecom:wangwu')).map((x) => x.id)).toEqual(['INC-20261130-01']);
    expect((await eventsOf(after, 'INC-20261130-01')).filter((e) => e.type === 'created')).toHaveLength(1);
  });
});

describe('WeCom: a full inbox', () => {
  it('answers "busy" on the req_id in both languages and writes nothing (WeCom would not send it again); sent again, it is taken', async () => {
    const bot = valve();
    const h = await start({ wrapBot: bot.wrapBot, inboxMax: 1 });
    h.server.message({ text: '/incident new 第一件' });
    await h.server.barrier();
    while ((await h.store.inboxPendingCount()) === 0) await new Promise((r) => setTimeout(r, 2));
    h.server.message({ text: '/incident new 第二件', userId: 'lisi' });
    await until(() => h.server.sent.length > 0);
    const busy = h.server.sent[0]!;
    expect(busy).toMatchObject({ op: 'reply', chatId: 'lisi' });
    expect(busy.markdown).toBe(REFUSED_BUSY);
    inBothLanguages(busy.markdown, '机器人正忙，本条消息没有被接收，也没有被记录', 'The bot is busy: this message was not taken and nothing was recorded');
    expect(await h.store.inboxPendingCount()).toBe(1);
    expect(h.logs.join('\n')).toMatch(/inbox full \(1 waiting\): refused wecom-msg:msg_/);
    bot.open();
    await h.settle();
    expect(readable((await new WecomUser(h, 'lisi').say('/incident new 第二件')).markdown)).toContain('已新建事件');
    expect(await h.store.listOpen('wecom:lisi')).toHaveLength(1);
  });
});

describe('WeCom: the store fails; every message and click is answered, nothing is half-recorded', () => {
  it('disk full (SQLite at its page limit, a real SQLITE_FULL): told in both languages, logged once; when space returns it goes on', async () => {
    const store = createSqliteStore(join(dir, 'full.db'), { maxPageCount: 400 });
    closeLater.push(store);
    const h = await start({ store });
    const alice = new WecomUser(h);
    await alice.say('/incident new 网银登录失败');
    await alice.say('13:40');
    const before = await eventsOf(store, 'INC-20261130-01');
    const fillers = await fillDisk(store, h.clock.now());
    const pending = await store.inboxPendingCount();

    for (const text of ['网上银行', '/incident status', '/incident note 磁盘满时发的']) {
      const r = await alice.say(text); // on the callback's req_id
      expect(r.markdown).toBe(REFUSED_STORE_DOWN);
      inBothLanguages(r.markdown, '存储暂时不可用，本条消息没有被接收，也没有被记录', 'Storage is unavailable right now: this message was not taken and nothing was recorded');
    }
    // A click: the card stays as it was (to be clicked again); the chat is told.
    const click = await alice.click('网上银行');
    expect(click.map((m) => [m.op, m.msgtype])).toEqual([['send', 'markdown']]);
    expect(click[0]!.markdown).toBe(REFUSED_STORE_DOWN);
    expect(await eventsOf(store, 'INC-20261130-01')).toEqual(before);
    expect(await store.inboxPendingCount()).toBe(pending);
    const down = h.logs.filter((l) => l.includes('cannot take messages'));
    expect(down).toHaveLength(1);
    expect(down[0]).toMatch(/full/);

    // Space again: the same click is taken and recorded, once.
    await freeDisk(store, fillers, h.clock.now());
    expect(textOf(await alice.click('网上银行'))).toContain('主要功能');
    expect(h.logs.filter((l) => l.includes('taking messages again'))).toHaveLength(1);
    expect((await eventsOf(store, 'INC-20261130-01')).length).toBe(before.length + 1);
  });
});

describeRedis('WeCom: Redis stops', () => {
  it('each message is answered in both languages without the store; when Redis is back the same message is taken', async () => {
    const redisDir = mkdtempSync(join(dir, 'redis-'));
    let redis = await startPrivateRedis(redisDir);
    servers.push(redis);
    const store = await createRedisStore(redis.url);
    closeLater.push(store);
    const h = await start({ store });
    const alice = new WecomUser(h);
    await alice.say('/incident new 网银登录失败');
    await alice.say('13:40');
    const before = await eventsOf(store, 'INC-20261130-01');

    await redis.kill();
    for (const text of ['网上银行', '/incident status']) expect((await alice.say(text)).markdown).toBe(REFUSED_STORE_DOWN);
    expect(h.logs.filter((l) => l.includes('cannot take messages'))).toHaveLength(1);

    redis = await startPrivateRedis(redisDir, { port: redis.port });
    servers.push(redis);
    let text = '';
    for (let i = 0; i < 100; i++) { // the client reconnects with backoff
      text = readable((await alice.say('网上银行')).markdown);
      if (!text.includes('存储暂时不可用')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toContain('主要功能');
    const after = await eventsOf(store, 'INC-20261130-01');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBe(before.length + 1);
  });
});
