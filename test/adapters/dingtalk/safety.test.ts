import { afterEach, describe, expect, it } from 'vitest';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { DingtalkUser, Harness, TEMPLATE, textOf } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('DingTalk: refused-for-now sends (429, 5xx)', () => {
  it('retries a reply DingTalk refused with 429 or 503, and gives up after its retries', async () => {
    h = await Harness.start();
    h.api.failNext(/groupMessages\/send$/, 429, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi');
    h.api.failNext(/groupMessages\/send$/, 503, 'ServiceUnavailable');
    const r = await new DingtalkUser(h).say('/incident new 测试');
    expect(textOf(r)).toContain('已新建事件');
    expect(h.api.calls.filter((c) => c.path.endsWith('groupMessages/send'))).toHaveLength(3);
    expect(h.logs.some((l) => /HTTP 429 Forbidden\.AccessDenied\.QpsLimitForAppkeyAndApi.*trying again/.test(l))).toBe(true);

    h.api.failNext(/groupMessages\/send$/, 500, 'InternalError', 4);
    expect(await new DingtalkUser(h).sayAll('/incident status')).toEqual([]);
    expect(h.logs.some((l) => /HTTP 500 InternalError, after 4 attempts/.test(l))).toBe(true);
  });

  it('a reminder refused with 429 is kept by the ticker and goes out on a later tick; a 400 is not retried by the adapter', async () => {
    h = await Harness.start();
    const alice = new DingtalkUser(h);
    await alice.say('/incident new 测试');
    await alice.say('/incident set 重要数据 不确定'); // 较大: a brief is due at 15:00
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    h.api.failNext(/groupMessages\/send$/, 429, 'Forbidden.AccessDenied.QpsLimitForApi');
    const first = await ticker.tick();
    expect(first.sent).toEqual([]);
    expect(first.failed).toHaveLength(1);
    h.clock.set('2026-11-30T14:31:00+08:00');
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['brief']);
    expect(textOf(h.api.last())).toContain('事发简要报告截止');
    const before = h.api.calls.length;
    h.api.failNext(/groupMessages\/send$/, 400, 'param.invalid');
    expect(await alice.sayAll('/incident status')).toEqual([]);
    expect(h.api.calls.length - before).toBe(1);
  });
});

describe('DingTalk: the access token', () => {
  it('is fetched again when it nears its expiry, and when DingTalk refuses it before then', async () => {
    h = await Harness.start();
    const alice = new DingtalkUser(h);
    await alice.say('/incident list');
    const tokenCalls = () => h!.api.calls.filter((c) => c.path === '/v1.0/oauth2/accessToken').length;
    expect(tokenCalls()).toBe(1);
    h.clock.advanceMinutes(116); // 2 h tokens are renewed five minutes early
    await alice.say('/incident list');
    expect(tokenCalls()).toBe(2);
    h.api.accessToken = 'fake-access-token-rotated';
    expect(textOf(await alice.say('/incident list'))).not.toBe('');
    expect(tokenCalls()).toBe(3);
    expect(h.api.calls.at(-1)!.token).toBe('fake-access-token-rotated');
  });
});

describe('DingTalk: safety', () => {
  it('user text cannot inject mentions or markup: plain text messages, no atUserIds from typed text, card variables as text', async () => {
    h = await Harness.start();
    const evil = '@all <at id="all"/> **急** [点我](https://evil.example) ![x](https://evil.example/p.png) # 标题';
    const r = await new DingtalkUser(h).say(`/incident new ${evil}`);
    expect(r.msgKey).toBe('sampleText'); // no markdown message ever carries user text
    expect(textOf(r)).toContain(evil); // shown as typed
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    await new DingtalkUser(h).say('/incident set 重要数据 不确定');
    h.clock.set('2026-11-30T14:30:00+08:00');
    await ticker.tick();
    expect(h.api.last().msgKey).toBe('sampleText');
    const sends = h.api.calls.filter((c) => c.path.startsWith('/v1.0/robot/')).map((c) => c.body as Record<string, unknown>);
    expect(sends.every((b) => b.msgKey === 'sampleText' && !('at' in b) && !('atUserIds' in b))).toBe(true);
    await h.close();

    h = await Harness.start({ env: { DINGTALK_CARD_TEMPLATE_ID: TEMPLATE } });
    const card = await new DingtalkUser(h).say(`/incident new ${evil}`);
    expect(card.op).toBe('card');
    expect(card.atUserIds).toBeUndefined(); // only configured dingtalk:<userId> entries are ever pinged
    expect((card.content as Record<string, string>).title).toBe(`INC-20261130-01 ${evil}`);
  });

  it('answers only allowed groups and users, and records nothing for the others', async () => {
    h = await Harness.start({ env: { DINGTALK_ALLOWED_CHATS: 'cidAllowed==', DINGTALK_ALLOWED_USERS: 'staff_alice,staff_bob' } });
    const refused = await new DingtalkUser(h, 'staff_alice', '2', 'cidOther==').say('/incident new 测试');
    expect(textOf(refused)).toContain('本群或本账号未启用事件机器人');
    expect(await h.store.listOpen()).toEqual([]);
    const stranger = await new DingtalkUser(h, 'staff_mallory', '2', 'cidAllowed==').say('/incident new 测试');
    expect(textOf(stranger)).toContain('DINGTALK_ALLOWED_USERS');
    expect(await h.store.listOpen()).toEqual([]);
    expect(textOf(await new DingtalkUser(h, 'staff_bob', '2', 'cidAllowed==').say('/incident new 测试'))).toContain('已新建事件');
    expect(textOf(await new DingtalkUser(h, 'staff_alice', '1', 'cidOneToOne==').say('/incident list'))).not.toContain('未启用');
  });

  it('a message over 20,000 characters (here 1,000,000) is refused with a notice, never echoed, and nothing is recorded', async () => {
    h = await Harness.start();
    const refused = textOf(await new DingtalkUser(h, 'staff_alice', '2', 'cidAllowed==').say(`/incident new ${'长'.repeat(1_000_000)}`));
    expect(refused).toContain('消息过长（超过 20,000 个字符）');
    expect(refused.length).toBeLessThan(1_000);
    expect(await h.store.listOpen()).toEqual([]);
    expect(await h.store.inboxPendingCount()).toBe(0);
    expect(textOf(await new DingtalkUser(h, 'staff_alice', '2', 'cidAllowed==').say(`/incident new ${'长'.repeat(19_900)}`))).toContain('已新建事件');
  });

  it('never logs a secret at debug level: not the client secret, the access token, the ticket or the session webhook', async () => {
    h = await Harness.start({ beforeStart: (api) => api.failNext(/oauth2\/accessToken/, 503, 'ServiceUnavailable') });
    await new DingtalkUser(h).say('/incident new 测试');
    const all = h.logs.join('\n');
    expect(all).toContain('[dingtalk-stream debug]'); // the SDK did log, config and connection URL included
    expect(all).toContain('ticket=[redacted]');
    expect(all).toContain('trying again'); // the failed token request was logged
    for (const secret of [h.api.clientSecret, h.api.accessToken, ...h.api.tickets, 'SECRETsessionwebhook0001']) expect(all).not.toContain(secret);
  });
});
