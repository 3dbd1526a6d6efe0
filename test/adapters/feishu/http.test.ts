import { afterEach, describe, expect, it } from 'vitest';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { botConfig } from '../../fakes/chat.ts';
import { cardActionEvent, deliver, messageEvent } from '../../fakes/feishu-events.ts';
import { refusal } from '../../../adapters/kit/refusals.ts';
import { CREDS, FeishuUser, Harness, buttonsOf, cardText, textOf, withSlowClicks } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function eventCount(harness: Harness, id = 'INC-20261130-01'): Promise<number> {
  return (await harness.store.load(id))?.events.length ?? 0;
}

describe('Feishu over HTTP: a full 较大 incident through the real SDK against a fake open API', () => {
  it('grades through messages, buttons and a form, threads reminders under the incident, follows an email report to confirmation', async () => {
    h = await Harness.start({ config: botConfig({ responsible: ['ou_commander', '王五'] }) });
    expect(h.app.connected?.(), 'up once its routes are on the listening server').toBe(true);
    const alice = new FeishuUser(h);

    const created = await alice.say('/incident new 网上银行登录失败');
    expect(created.op).toBe('reply');
    expect(created.msgType).toBe('interactive');
    expect(created.content.schema).toBe('2.0');
    expect(cardText(created.content)).toMatch(/已新建事件 INC-20261130-01[\s\S]*事件是什么时候发生的/);
    const root = created.messageId;

    // One-to-one chat: an answer needs no prefix.
    const asked = await alice.say('13:40');
    expect(cardText(asked.content)).toContain('受影响的人民银行业务领域网络是哪一个');
    expect(buttonsOf(asked.content).map((b) => b.label)).toEqual(expect.arrayContaining(['网上银行', '不确定', '跳过']));

    const clicked = await alice.click('网上银行');
    expect(clicked.toast).toEqual({ type: 'success', content: '已记录：网上银行' });
    const updated = (clicked.card as { type: string; data: unknown });
    expect(updated.type).toBe('raw');
    expect(cardText(updated.data)).toMatch(/已回答：网上银行[\s\S]*主要功能.*是否出现中断/);

    await alice.click('是');
    const form = alice.latestCard((c) => buttonsOf(c).some((b) => b.submit));
    expect(cardText(form.card)).toContain('从什么时候开始中断');
    const submitted = await alice.submit('13:40');
    expect(submitted.toast).toEqual({ type: 'success', content: '已记录：13:40' });
    expect(cardText((submitted.card as { data: unknown }).data)).toContain('是否已恢复');
    await alice.click('尚未恢复');
    await alice.say('85%');
    await alice.say('1');
    const graded = await alice.say('12万');
    const gradedText = cardText(graded.content);
    expect(gradedText).toContain('较大（三级）');
    expect(gradedText).toContain('第九条第（二）项：提供金融服务的网络主要功能中断，已实际影响120,000个自然人');
    expect(gradedText).toMatch(/○ 事发简要报告\s+2026-11-30 15:00 （北京时间）\s+\**还剩 1小时/);
    expect((graded.content.header as { template: string }).template).toBe('yellow');

    // Reminders: the ticker drives the adapter's Sender on the fake clock.
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['brief']);
    const reminder = h.api.last();
    // A card (a text message cannot carry the acknowledge button), mentioning the responsible people.
    expect(reminder).toMatchObject({ op: 'reply', target: root, msgType: 'interactive' });
    expect(textOf(reminder)).toContain('事发简要报告截止 2026-11-30 15:00（北京时间，第十五条），还剩 30分钟');
    expect(textOf(reminder)).toMatch(/<at id=ou_commander><\/at> @王五\n知悉$/);
    expect(JSON.stringify(reminder.content)).toContain('via &lt;渠道&gt;'); // the core's placeholder, escaped like any text

    h.clock.set('2026-11-30T14:35:00+08:00');
    const reported = await alice.say('/incident report brief via email');
    expect(cardText(reported.content)).toMatch(/已记录 R1：事发简要报告，电子邮件报送至中国人民银行上海总部/);
    expect(cardText(reported.content)).toContain('待电话或即时通信工具确认收悉（第十八条）');
    h.clock.set('2026-11-30T14:45:00+08:00');
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['confirm']);
    expect(h.api.last()).toMatchObject({ op: 'reply', target: root, msgType: 'interactive' });
    expect(textOf(h.api.last())).toContain('R1 事发简要报告（电子邮件，2026-11-30 14:35 发出）尚未确认人民银行已收悉');

    h.clock.set('2026-11-30T14:50:00+08:00');
    const confirmed = await alice.say('/事件 确认 R1 电话 张三');
    expect(cardText(confirmed.content)).toContain('已记录：经电话与张三确认人民银行已收悉 R1');
    h.clock.set('2026-11-30T15:30:00+08:00');
    expect((await ticker.tick()).sent).toEqual([]);

    // Every open-API call carried the tenant token, fetched once into this app's own cache.
    const tokenCalls = h.api.calls.filter((c) => c.path === '/open-apis/auth/v3/tenant_access_token/internal');
    expect(tokenCalls).toHaveLength(1);
    expect(h.api.calls.filter((c) => c.path.startsWith('/open-apis/im/')).every((c) => c.authorization === `Bearer ${h!.api.tenantToken}`)).toBe(true);
    const log = (await h.store.load('INC-20261130-01'))!.events.map((e) => (e.event as { type: string }).type);
    expect(log.filter((t) => t === 'reminder-sent')).toHaveLength(2);
  });
});

describe('Feishu over HTTP: delivery', () => {
  it('answers the encrypted url_verification challenge', async () => {
    h = await Harness.start();
    const r = await deliver(h.eventsUrl, { type: 'url_verification', challenge: 'ch-123', token: CREDS.token }, { encryptKey: CREDS.encryptKey, unsigned: true });
    expect(r).toEqual({ status: 200, body: { challenge: 'ch-123' } });
    const wrong = await deliver(h.eventsUrl, { type: 'url_verification', challenge: 'ch-123', token: 'nope' }, { encryptKey: CREDS.encryptKey, unsigned: true });
    expect(wrong.status).toBe(401);
  });

  it('serves /healthz, refuses other paths and oversized bodies', async () => {
    h = await Harness.start();
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(h.eventsUrl, { method: 'POST', body: 'x'.repeat(1_100_000) })).status).toBe(413);
  });

  it('handles a re-delivered event once, sequentially and concurrently', async () => {
    h = await Harness.start();
    const event = messageEvent({ text: '/incident new 网上银行登录失败', token: CREDS.token });
    expect((await h.post(event)).status).toBe(200);
    const events = await eventCount(h);
    expect(h.api.sent).toHaveLength(1);
    // Feishu re-sends when it saw no answer in time: same event_id.
    expect((await h.post(event)).status).toBe(200);
    const again = messageEvent({ text: '/incident status', token: CREDS.token });
    const both = await Promise.all([deliver(h.eventsUrl, again, { encryptKey: CREDS.encryptKey }), deliver(h.eventsUrl, again, { encryptKey: CREDS.encryptKey })]);
    await h.app.idle();
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(h.api.sent).toHaveLength(2);
    expect(await eventCount(h)).toBe(events);
    expect(h.logs.some((l) => l.includes('delivered again'))).toBe(true);
  });

  it.each([
    ['a bad signature', { encryptKey: CREDS.encryptKey, signWith: 'not-the-key' }, CREDS.token],
    ['no signature', { encryptKey: CREDS.encryptKey, unsigned: true }, CREDS.token],
    ['a wrong verification token', { encryptKey: CREDS.encryptKey }, 'not-the-token'],
    ['a plaintext body signed with the wrong key', { signWith: 'not-the-key' }, CREDS.token],
  ])('records nothing for %s', async (_name, delivery, token) => {
    h = await Harness.start();
    const r = await h.post(messageEvent({ text: '/incident new 伪造事件', token }), delivery);
    expect(r.status).toBe(401);
    expect(await h.store.listOpen()).toEqual([]);
    expect(h.api.sent).toEqual([]);
    const card = await h.post(cardActionEvent({ token, messageId: 'om_x', value: { kind: 'answer', incidentId: 'INC-20261130-01', questionId: 'occurredAt', value: '13:40' } }), delivery, h.cardsUrl);
    expect(card.status).toBe(401);
  });

  it('answers a card callback within the budget, and finishes a slow one by patching the card', async () => {
    const slow = await withSlowClicks();
    h = slow.h;
    const { alice } = slow;
    slow.hold();
    const answer = await alice.click('网上银行');
    expect(answer).toEqual({ toast: { type: 'info', content: '正在处理，结果稍后更新到这张卡片' } });
    slow.open();
    await h.app.idle();
    const patch = h.api.last();
    expect(patch.op).toBe('patch');
    expect(patch.target).toBe(alice.views.at(-1)!.messageId);
    expect(cardText(patch.content)).toMatch(/已回答：网上银行[\s\S]*主要功能/);
  });

  it("a click answers the question its card asked, whoever clicks; a repeated callback is handled once", async () => {
    h = await Harness.start();
    const mention = [{ key: '@_user_1', openId: 'ou_bot', name: 'PBoC bot' }];
    const alice = new FeishuUser(h, 'ou_alice', 'oc_group', 'group');
    const bob = new FeishuUser(h, 'ou_bob', 'oc_group', 'group');
    await alice.say('@_user_1 /incident new 网上银行登录失败', { mentions: mention });
    await alice.say('@_user_1 13:40', { mentions: mention });
    const card = alice.latestCard((c) => buttonsOf(c).some((b) => b.label === '网上银行'));
    const value = buttonsOf(card.card).find((b) => b.label === '网上银行')!.value;
    const click = cardActionEvent({ token: CREDS.token, value, messageId: card.messageId, chatId: 'oc_group', openId: 'ou_bob' });
    expect((await bob.callback(click)).toast).toEqual({ type: 'success', content: '已记录：网上银行' });
    const events = (await h.store.load('INC-20261130-01'))!.events.map((e) => e.event as { type: string; path?: string; actor?: string });
    expect(events.find((e) => e.path === 'networks.0.ref')).toMatchObject({ type: 'fact-set', actor: 'feishu:ou_bob' });
    const after = await eventCount(h);
    expect((await bob.callback(click)).toast).toEqual({ type: 'info', content: '已处理' });
    expect(await eventCount(h)).toBe(after);
  });
});

describe('Feishu over HTTP: chats', () => {
  it('in a group, handles commands that mention the bot and ignores the rest', async () => {
    h = await Harness.start();
    const bob = new FeishuUser(h, 'ou_bob', 'oc_group', 'group');
    const mention = [{ key: '@_user_1', openId: 'ou_bot', name: 'PBoC bot' }];
    const r = await bob.say('@_user_1 /incident new 核心系统中断', { mentions: mention });
    expect(cardText(r.content)).toContain('已新建事件 INC-20261130-01：核心系统中断');
    expect((await h.store.listOpen('feishu:oc_group')).map((m) => m.id)).toEqual(['INC-20261130-01']);
    // Not addressed to the bot: someone else mentioned, or nobody.
    await h.post(messageEvent({ text: '/incident status', chatId: 'oc_group', chatType: 'group', token: CREDS.token }));
    await h.post(messageEvent({ text: '@_user_1 /incident status', chatId: 'oc_group', chatType: 'group', token: CREDS.token, mentions: [{ key: '@_user_1', openId: 'ou_carol', name: 'Carol' }] }));
    expect(h.api.sent).toHaveLength(1);
    // Mentioning the bot with an answer works like a one-to-one answer.
    expect(cardText((await bob.say('@_user_1 09:00', { mentions: mention })).content)).toContain('受影响的人民银行业务领域网络是哪一个');
  });

  it('replies in the thread a command came from', async () => {
    h = await Harness.start();
    const r = await new FeishuUser(h).say('/incident new 测试', { threadId: 'omt_1' });
    expect(r.replyInThread).toBe(true);
  });

  it('posts to the chat when the reply is refused (the message was recalled), and sends reminders to the chat when the root is gone', async () => {
    h = await Harness.start();
    h.api.failNext(/\/reply$/, 400, 230011);
    const r = await new FeishuUser(h).say('/incident new 网上银行登录失败');
    expect(r).toMatchObject({ op: 'create', target: 'oc_incident' });
    await new FeishuUser(h).say('/incident set 重要数据 不确定'); // 较大: a brief is due at 15:00
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    h.api.failNext(/\/reply$/, 400, 230011);
    expect((await ticker.tick()).sent).toHaveLength(1);
    expect(h.api.last()).toMatchObject({ op: 'create', target: 'oc_incident', msgType: 'interactive' });
    // Neither taken: the Sender throws, and the ticker keeps the reminder for a retry.
    h.clock.set('2026-11-30T14:50:00+08:00');
    h.api.failNext(/\/reply$/, 400, 230011);
    h.api.failNext(/\/messages$/, 400, 230002);
    const failed = await ticker.tick();
    expect(failed.sent).toEqual([]);
    expect(failed.failed).toHaveLength(1);
  });

  it('tells a chat outside FEISHU_ALLOWED_CHATS that the bot is not enabled there, and records nothing', async () => {
    h = await Harness.start({ env: { FEISHU_ALLOWED_CHATS: 'oc_allowed' } });
    const told = await new FeishuUser(h, 'ou_alice', 'oc_other').say('/incident new 测试');
    expect(JSON.stringify(told.content)).toContain('本群未启用事件机器人（FEISHU_ALLOWED_CHATS）');
    expect(await h.store.listOpen()).toEqual([]);
    const r = await new FeishuUser(h, 'ou_alice', 'oc_allowed').say('/incident new 测试');
    expect(cardText(r.content)).toContain('已新建事件');
    const refused = await new FeishuUser(h, 'ou_alice', 'oc_other').callback(cardActionEvent({
      token: CREDS.token, chatId: 'oc_other', messageId: 'om_x', value: { kind: 'answer', incidentId: 'INC-20261130-01', questionId: 'occurredAt', value: '13:40' },
    }));
    expect(refused).toEqual({ toast: { type: 'error', content: refusal('refused.chat', { setting: 'FEISHU_ALLOWED_CHATS' }) } }); // both languages, as every refusal
  });

  it('answers people outside FEISHU_ALLOWED_USERS that they may not use the bot, in both languages, and records nothing', async () => {
    h = await Harness.start({ env: { FEISHU_ALLOWED_USERS: 'ou_alice' } });
    const r = await new FeishuUser(h, 'ou_mallory', 'oc_chat').say('/incident new 测试');
    expect(JSON.stringify(r.content)).toContain('你未获准使用事件机器人（FEISHU_ALLOWED_USERS）');
    expect(JSON.stringify(r.content)).toContain('You are not allowed to use the incident bot');
    expect(await h.store.listOpen()).toEqual([]);
    const ok = await new FeishuUser(h, 'ou_alice', 'oc_chat').say('/incident new 测试');
    expect(cardText(ok.content)).toContain('已新建事件');
  });
});

describe('Feishu over HTTP: safety', () => {
  it('user text cannot inject mentions or markup into cards or reminders', async () => {
    h = await Harness.start();
    const evil = '<at user_id="all"></at> **急** [点我](https://evil.example) `x`';
    const r = await new FeishuUser(h).say(`/incident new ${evil}`);
    const markdown = JSON.stringify(r.content).match(/"tag":"markdown","content":"[^"]*(?:\\.[^"]*)*"/g) ?? [];
    expect(markdown.join('\n')).not.toMatch(/<at|\*\*急|\[点我\]|`x`/);
    expect(cardText(r.content)).toContain(evil); // shown as typed
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    await new FeishuUser(h).say('/incident set 重要数据 不确定'); // 较大 at once: a brief is due in an hour
    h.clock.set('2026-11-30T14:30:00+08:00');
    await ticker.tick();
    // The reminder is a card (it carries the acknowledge button): the title shown as typed, never as a mention.
    const reminder = h.api.last();
    expect(reminder.msgType).toBe('interactive');
    expect(textOf(reminder)).toContain(evil);
    const elements = (reminder.content as { body: { elements: Array<{ tag: string; content?: string }> } }).body.elements;
    const reminderMd = elements.filter((e) => e.tag === 'markdown').map((e) => e.content).join('\n');
    expect(reminderMd).toContain('&lt;at user&#95;id="all"&gt;&lt;/at&gt;');
    expect(reminderMd).not.toMatch(/<at|\*\*急|\[点我\]|`x`/);
  });

  it('never logs a secret, even when the SDK logs a failed token request in full', async () => {
    h = await Harness.start({ beforeStart: (api) => api.failNext(/tenant_access_token/, 500) });
    await new FeishuUser(h).say('/incident new 测试');
    const all = h.logs.join('\n');
    expect(all).toContain('[lark error]'); // the SDK did log the failure
    expect(all).toContain('[lark debug]');
    for (const secret of [CREDS.appSecret, CREDS.encryptKey, CREDS.token, h.api.tenantToken]) expect(all).not.toContain(secret);
  });
});
