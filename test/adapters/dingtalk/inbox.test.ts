// Acknowledged means durable: a DingTalk robot message or card click is in the store's inbox before DingTalk gets the
// frame's ack (socketCallBackResponse), runs from there in each conversation's order, and is resumed once after a
// crash. When the store fails the chat is told, in both languages, and nothing is written; when the inbox is full,
// the frame is not acked (DingTalk sends it again) and nothing is written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { refusal } from '../../../adapters/kit/refusals.ts';
import { createRedisStore } from '../../../src/store/redis.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/types.ts';
import { robotMessage } from '../../fakes/dingtalk-events.ts';
import { eventsOf, fillDisk, freeDisk, until, valve as heldBot, type Valve } from '../../fakes/inbox.ts';
import { startPrivateRedis, type PrivateRedis } from '../../fakes/redis-server.ts';
import { describeRedis } from '../../fakes/redis.ts';
import { DingtalkUser, Harness, textOf } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-dingtalk-inbox-'));
const open: Harness[] = [];
const stores: Store[] = [];
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
  for (const s of stores.splice(0)) await s.close();
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

const acks = (h: Harness, messageId: string) => h.api.framesIn.filter((f) => f.headers.messageId === messageId);

describe('DingTalk: acknowledged means written to the inbox', () => {
  it('a message is in the store when DingTalk gets the ack, and runs from there', async () => {
    const bot = valve();
    const h = await start({ wrapBot: bot.wrapBot });
    const ack = await h.api.pushCallback(TOPIC_ROBOT, robotMessage({ text: '/incident new 网银登录失败' }), 'durable-1');
    expect(ack.code).toBe(200);
    expect(JSON.parse(ack.data)).toEqual({ response: { status: 'SUCCESS' } });
    // Acknowledged, not yet processed (the bot is held): the message is in the store, not only in memory.
    expect(await h.store.inboxPendingCount()).toBe(1);
    expect(h.api.sent).toEqual([]);
    bot.open();
    await h.app.idle();
    expect(textOf(h.api.last())).toContain('已新建事件 INC-20261130-01');
    expect(await h.store.inboxPendingCount()).toBe(0);
    expect(acks(h, 'durable-1')).toHaveLength(1);
  });

  it('a message acknowledged before a crash is run once by the next start, and its re-delivery is ignored', async () => {
    const path = join(dir, 'resume.db');
    const before = createSqliteStore(path);
    stores.push(before);
    const bot = valve();
    const crashed = await start({ store: before, wrapBot: bot.wrapBot });
    const m = robotMessage({ text: '/incident new 重启前收到的事件', conversationId: 'cidResume==' });
    expect((await crashed.api.pushCallback(TOPIC_ROBOT, m)).code).toBe(200);
    expect(await before.inboxPendingCount()).toBe(1);
    expect(crashed.api.sent).toEqual([]);

    // The next run of the bot on the same file, while the first never gets further than its door.
    const after = createSqliteStore(path);
    stores.push(after);
    const h = await start({ store: after });
    await h.app.idle();
    expect(h.logs.join('\n')).toContain('dingtalk: resumed 1 command(s) received before the last stop');
    expect(h.api.sent).toHaveLength(1);
    expect(textOf(h.api.sent[0]!)).toMatch(/已新建事件 INC-20261130-01[\s\S]*重启前收到的事件/);
    expect(h.api.sent[0]).toMatchObject({ op: 'group', target: 'cidResume==' });
    expect(await after.inboxPendingCount()).toBe(0);
    // DingTalk did get its ack, but may still send it again: once.
    expect((await h.push(TOPIC_ROBOT, m)).code).toBe(200);
    expect(h.api.sent).toHaveLength(1);
    expect(h.logs.some((l) => l.includes('was delivered again'))).toBe(true);

    // The first run's held work is let go only to fail (as the dead process would never have finished it): nothing more.
    bot.crash();
    await crashed.app.idle();
    expect(crashed.api.sent).toEqual([]);
    expect((await after.listOpen('dingtalk:group:cidResume==')).map((x) => x.id)).toEqual(['INC-20261130-01']);
    expect((await eventsOf(after, 'INC-20261130-01')).filter((e) => e.type === 'created')).toHaveLength(1);
  });
});

describe('DingTalk: a full inbox does not ack, so DingTalk sends the frame again', () => {
  it('no ack and nothing written; the re-sent frame is then taken', async () => {
    const bot = valve();
    const h = await start({ wrapBot: bot.wrapBot, inboxMax: 1 });
    expect((await h.api.pushCallback(TOPIC_ROBOT, robotMessage({ text: '/incident new 第一件' }))).code).toBe(200);
    const second = robotMessage({ text: '/incident new 第二件', conversationId: 'cidTwo==' });
    void h.api.pushCallback(TOPIC_ROBOT, second, 'busy-1'); // never acked
    await until(() => h.logs.some((l) => l.includes('not acknowledged, so that DingTalk sends it again')));
    expect(acks(h, 'busy-1')).toEqual([]);
    expect(await h.store.inboxPendingCount()).toBe(1);
    bot.open();
    await h.app.idle();
    // DingTalk re-sends it in a new frame: now it is taken and answered.
    expect((await h.push(TOPIC_ROBOT, second, 'busy-again')).code).toBe(200);
    expect(h.api.sent.map(textOf).join('\n')).toMatch(/第一件[\s\S]*第二件/);
    expect(await h.store.listOpen('dingtalk:group:cidTwo==')).toHaveLength(1);
  });
});

function refusedInBothLanguages(text: string): void {
  const lines = text.split('\n');
  expect(lines[0]).toContain('存储暂时不可用，本条消息没有被接收，也没有被记录');
  expect(lines[1]).toContain('Storage is unavailable right now: this message was not taken and nothing was recorded');
}

describe('DingTalk: the store fails; every message is answered, nothing is half-recorded', () => {
  it('disk full (SQLite at its page limit, a real SQLITE_FULL): acked, the chat told in both languages, logged once; then it goes on', async () => {
    const store = createSqliteStore(join(dir, 'full.db'), { maxPageCount: 400 });
    stores.push(store);
    const h = await start({ store });
    const alice = new DingtalkUser(h);
    await alice.say('/incident new 网银登录失败');
    await alice.say('13:40');
    const before = await eventsOf(store, 'INC-20261130-01');
    const fillers = await fillDisk(store, h.clock.now());
    const pending = await store.inboxPendingCount();

    for (const text of ['2', '/incident status', '/incident note 磁盘满时发的']) {
      const r = await alice.say(text); // say() checks the frame was acked 200: DingTalk's re-sends would only repeat this
      expect(r).toMatchObject({ op: 'group', target: 'cidGroupIncident==', msgKey: 'sampleText' });
      expect(r.content.content).toBe(refusal('refused.storeDown.message'));
      refusedInBothLanguages(textOf(r));
    }
    expect(await eventsOf(store, 'INC-20261130-01')).toEqual(before);
    expect(await store.inboxPendingCount()).toBe(pending);
    const down = h.logs.filter((l) => l.includes('cannot take messages'));
    expect(down).toHaveLength(1);
    expect(down[0]).toMatch(/full/);

    // Space again: the same answer is taken and recorded, once.
    await freeDisk(store, fillers, h.clock.now());
    expect(textOf(await alice.say('2'))).toContain('主要功能');
    expect(h.logs.filter((l) => l.includes('taking messages again'))).toHaveLength(1);
    expect((await eventsOf(store, 'INC-20261130-01')).length).toBe(before.length + 1);
  });
});

describeRedis('DingTalk: Redis stops', () => {
  it('each message is acked and answered in both languages without the store; when Redis is back the same message is taken', async () => {
    const redisDir = mkdtempSync(join(dir, 'redis-'));
    let redis = await startPrivateRedis(redisDir);
    servers.push(redis);
    const store = await createRedisStore(redis.url);
    stores.push(store);
    const h = await start({ store });
    const alice = new DingtalkUser(h);
    await alice.say('/incident new 网银登录失败');
    await alice.say('13:40');
    const before = await eventsOf(store, 'INC-20261130-01');

    await redis.kill();
    for (const text of ['2', '/incident status']) refusedInBothLanguages(textOf(await alice.say(text)));
    expect(h.logs.filter((l) => l.includes('cannot take messages'))).toHaveLength(1);

    redis = await startPrivateRedis(redisDir, { port: redis.port });
    servers.push(redis);
    let text = '';
    for (let i = 0; i < 100; i++) { // the client reconnects with backoff
      text = textOf(await alice.say('2'));
      if (!text.includes('存储暂时不可用')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toContain('主要功能');
    const after = await eventsOf(store, 'INC-20261130-01');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBe(before.length + 1);
  });
});
