import { TOPIC_ROBOT } from 'dingtalk-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { dingtalk } from '../../../adapters/dingtalk/index.ts';
import { startChat } from '../../../adapters/kit/chat.ts';
import { createBot } from '../../../src/bot.ts';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { botConfig, FixedClock } from '../../fakes/chat.ts';
import { FakeDingtalk } from '../../fakes/dingtalk-api.ts';
import { robotMessage } from '../../fakes/dingtalk-events.ts';
import { CREDS, DingtalkUser, Harness, textOf } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function eventCount(harness: Harness, id = 'INC-20261130-01'): Promise<number> {
  return (await harness.store.load(id))?.events.length ?? 0;
}

describe('DingTalk Stream mode: a full 较大 incident through the real dingtalk-stream SDK against a fake DingTalk', () => {
  it('grades by typed answers in a group, reminds through the OpenAPI, follows an email report to its confirmation', async () => {
    h = await Harness.start({ config: botConfig({ responsible: ['dingtalk:staff_commander', '王五'] }) });
    // The SDK asked the gateway for exactly the robot and card topics, and connected with the ticket it was given.
    expect(h.api.subscriptions[0]).toEqual([{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }, { type: 'CALLBACK', topic: '/v1.0/card/instances/callback' }]);
    expect(h.api.connections).toBe(1);
    const alice = new DingtalkUser(h);

    const created = await alice.say('/incident new 网上银行登录失败');
    expect(created).toMatchObject({ op: 'group', target: 'cidGroupIncident==', msgKey: 'sampleText' });
    expect(textOf(created)).toMatch(/已新建事件 INC-20261130-01[\s\S]*事件是什么时候发生的/);
    // Every CALLBACK frame was acknowledged with its messageId, as the protocol requires.
    const acks = h.api.framesIn.filter((f) => f.code === 200 && f.headers.messageId?.startsWith('msg-'));
    expect(acks).toHaveLength(1);
    expect(JSON.parse(acks[0]!.data)).toEqual({ response: { status: 'SUCCESS' } });

    expect(textOf(await alice.say('13:40'))).toMatch(/受影响的人民银行业务领域网络是哪一个[\s\S]*2\. 网上银行/);
    await alice.say('2');
    expect(textOf(await alice.say('是'))).toContain('从什么时候开始中断');
    await alice.say('13:40');
    await alice.say('尚未恢复');
    await alice.say('85%');
    await alice.say('1');
    const graded = textOf(await alice.say('12万'));
    expect(graded).toContain('较大（三级）');
    expect(graded).toContain('第九条第（二）项：提供金融服务的网络主要功能中断，已实际影响120,000个自然人');
    expect(graded).toMatch(/○ 事发简要报告\s+2026-11-30 15:00 （北京时间）\s+还剩 1小时/);
    const state = await h.store.load('INC-20261130-01');
    expect(state!.meta.conversation).toBe('dingtalk:group:cidGroupIncident==');

    // Reminders: the ticker drives the adapter's Sender on the fake clock, through groupMessages/send.
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['brief']);
    const reminder = h.api.last();
    expect(reminder).toMatchObject({ op: 'group', target: 'cidGroupIncident==', msgKey: 'sampleText' });
    expect(textOf(reminder)).toContain('事发简要报告截止 2026-11-30 15:00（北京时间，第十五条），还剩 30分钟');
    expect(textOf(reminder)).toMatch(/@staff_commander @王五$/);

    h.clock.set('2026-11-30T14:35:00+08:00');
    const reported = textOf(await alice.say('/incident report brief via email'));
    expect(reported).toMatch(/已记录 R1：事发简要报告，电子邮件报送至中国人民银行上海总部/);
    h.clock.set('2026-11-30T14:45:00+08:00');
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['confirm']);
    expect(textOf(h.api.last())).toContain('R1 事发简要报告（电子邮件，2026-11-30 14:35 发出）尚未确认人民银行已收悉');

    h.clock.set('2026-11-30T14:50:00+08:00');
    expect(textOf(await alice.say('/事件 确认 R1 电话 张三'))).toContain('已记录：经电话与张三确认人民银行已收悉 R1');
    h.clock.set('2026-11-30T15:30:00+08:00');
    expect((await ticker.tick()).sent).toEqual([]);

    // One token, fetched once (the clock moved 90 minutes, well inside its 2 hours), carried by every send.
    expect(h.api.calls.filter((c) => c.path === '/v1.0/oauth2/accessToken')).toHaveLength(1);
    expect(h.api.calls.filter((c) => c.path.startsWith('/v1.0/robot/')).every((c) => c.token === h!.api.accessToken)).toBe(true);
    const log = (await h.store.load('INC-20261130-01'))!.events.map((e) => (e.event as { type: string }).type);
    expect(log.filter((t) => t === 'reminder-sent')).toHaveLength(2);
  });

  it('answers a one-to-one chat through oToMessages/batchSend, and reminds there', async () => {
    h = await Harness.start();
    const bob = new DingtalkUser(h, 'staff_bob', '1', 'cidOneToOneBob==');
    const r = await bob.say('/incident new 测试');
    expect(r).toMatchObject({ op: 'user', target: 'staff_bob' });
    await bob.say('/incident set 重要数据 不确定'); // 较大: a brief is due at 15:00
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    expect((await ticker.tick()).sent).toHaveLength(1);
    expect(h.api.last()).toMatchObject({ op: 'user', target: 'staff_bob' });
  });
});

describe('DingTalk Stream mode: the connection', () => {
  it('handles a message re-delivered (same msgId, new frame) once, sequentially and concurrently', async () => {
    h = await Harness.start();
    const first = robotMessage({ text: '/incident new 网上银行登录失败' });
    expect((await h.push(TOPIC_ROBOT, first)).code).toBe(200);
    const events = await eventCount(h);
    expect(h.api.sent).toHaveLength(1);
    // DingTalk re-sends what it saw no ack for within its window: the same msgId in a new frame.
    expect((await h.push(TOPIC_ROBOT, first)).code).toBe(200);
    const again = robotMessage({ text: '/incident status' });
    const both = await Promise.all([h.api.pushCallback(TOPIC_ROBOT, again), h.api.pushCallback(TOPIC_ROBOT, again)]);
    await h.app.idle();
    expect(both.map((a) => a.code)).toEqual([200, 200]);
    expect(h.api.sent).toHaveLength(2);
    expect(await eventCount(h)).toBe(events);
    expect(h.logs.some((l) => l.includes('delivered again'))).toBe(true);
  });

  it('answers SYSTEM pings, and reconnects through the gateway after a SYSTEM disconnect', async () => {
    h = await Harness.start();
    const pong = await h.api.ping();
    expect(pong).toMatchObject({ code: 200, message: 'OK', headers: { topic: 'ping' } });
    expect(JSON.parse(pong.data)).toEqual({ opaque: pong.headers.messageId });
    h.api.disconnect();
    await h.api.whenConnected(2); // the SDK waits a second, then opens the gateway again with a new ticket
    expect(h.api.tickets).toHaveLength(2);
    const r = await new DingtalkUser(h).say('/incident new 重连后');
    expect(textOf(r)).toContain('已新建事件');
  });

  it('refuses bad credentials at start-up with a message that names the variables, and logs no secret', async () => {
    const api = await FakeDingtalk.start(CREDS.clientId, CREDS.clientSecret);
    const store = createSqliteStore(':memory:');
    const clock = new FixedClock(Date.parse('2026-11-30T06:00:00Z'));
    const config = botConfig();
    const logs: string[] = [];
    const start = startChat(dingtalk, {
      env: { DINGTALK_CLIENT_ID: CREDS.clientId, DINGTALK_CLIENT_SECRET: 'SECRETwrongsecret0000000000', DINGTALK_API_URL: api.url, LOG_LEVEL: 'debug' },
      bot: createBot({ store, config, now: clock.now }), store, config, now: clock.now, log: (m) => logs.push(m),
    });
    await expect(start).rejects.toThrow(/DingTalk refused the app's credentials: check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET \(oauth2\/accessToken: DingTalk answered HTTP 400 invalidClientIdOrSecret/);
    await expect(start).rejects.not.toThrow(/SECRETwrongsecret/);
    expect(api.connections).toBe(0);
    await api.close();
    await store.close();
    expect(logs.join('\n')).not.toContain('SECRETwrongsecret');
  });
});
