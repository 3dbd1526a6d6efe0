import { TOPIC_CARD } from 'dingtalk-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { botConfig } from '../../fakes/chat.ts';
import { cardCallback } from '../../fakes/dingtalk-events.ts';
import { DingtalkUser, Harness, optionsOf, TEMPLATE, textOf } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const withTemplate = { env: { DINGTALK_CARD_TEMPLATE_ID: TEMPLATE } };

describe('DingTalk interactive cards (DINGTALK_CARD_TEMPLATE_ID set)', () => {
  it('sends questions as template cards, answers clicks and typed inputs by updating the card, pings the responsible in reminders', async () => {
    h = await Harness.start({ ...withTemplate, config: botConfig({ responsible: ['dingtalk:staff_commander', '王五'] }) });
    const alice = new DingtalkUser(h);
    const created = await alice.say('/incident new 网上银行登录失败');
    expect(created).toMatchObject({ op: 'card', target: 'dtv1.card//IM_GROUP.cidGroupIncident==' });
    const p = created.content as Record<string, string>;
    expect(p.title).toBe('INC-20261130-01 网上银行登录失败');
    expect(p.subtitle).toMatch(/^一般（四级） · 处置中$/);
    expect(p.question).toContain('事件是什么时候发生的');
    expect(p.input).toBe('true');
    // A card is created with the template and the STREAM callback type, so clicks come back over the connection.
    const create = h.api.calls.find((c) => c.path === '/v1.0/card/instances/createAndDeliver')!.body as Record<string, unknown>;
    expect(create).toMatchObject({ cardTemplateId: TEMPLATE, callbackType: 'STREAM', imGroupOpenDeliverModel: { robotCode: 'dingfakeclient0001' } });

    const typed = await alice.submit('13:40');
    expect(typed).toHaveLength(1);
    expect(typed[0]).toMatchObject({ op: 'update', target: created.outTrackId });
    expect(textOf(typed[0]!)).toMatch(/已回答：13:40[\s\S]*受影响的人民银行业务领域网络是哪一个/);
    expect(optionsOf(typed[0]!.content as Record<string, string>).map((o) => o.label)).toEqual(expect.arrayContaining(['网上银行', '不确定', '跳过']));

    await alice.click('网上银行');
    await alice.click('是');
    await alice.submit('13:40');
    await alice.click('尚未恢复');
    await alice.submit('85%');
    await alice.submit('1');
    const graded = await alice.submit('12万');
    expect(textOf(graded[0]!)).toContain('第九条第（二）项');
    expect((graded[0]!.content as Record<string, string>).level).toBe('3');
    const actor = (await h.store.load('INC-20261130-01'))!.events.map((e) => e.event as { path?: string; actor?: string }).find((e) => e.path === 'networks.0.ref');
    expect(actor?.actor).toBe('dingtalk:staff_alice');

    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    expect((await ticker.tick()).sent).toHaveLength(1);
    const reminder = h.api.last();
    expect(reminder).toMatchObject({ op: 'card', atUserIds: { staff_commander: 'staff_commander' } });
    expect(textOf(reminder)).toMatch(/事发简要报告截止[\s\S]*@staff_commander @王五\n知悉$/); // then its acknowledge button
  });

  it('handles a re-delivered callback and a double click once; a click on an unknown card changes nothing', async () => {
    h = await Harness.start(withTemplate);
    const alice = new DingtalkUser(h);
    await alice.say('/incident new 网上银行登录失败');
    await alice.submit('13:40');
    const card = alice.latestCard((p) => optionsOf(p).some((o) => o.label === '网上银行'));
    const value = optionsOf(card.params).find((o) => o.label === '网上银行')!.value;
    // A double click: two frames at once carrying the same answer to the same question.
    const click = cardCallback({ outTrackId: card.outTrackId, userId: 'staff_alice', params: { value } });
    const before = h.api.sent.length;
    const acks = await Promise.all([h.api.pushCallback(TOPIC_CARD, click, 'frame-a'), h.api.pushCallback(TOPIC_CARD, click, 'frame-b')]);
    await h.app.idle();
    expect(acks.map((a) => a.code)).toEqual([200, 200]);
    expect(h.api.sent.slice(before).map((m) => m.op)).toEqual(['update']);
    const events = (await h.store.load('INC-20261130-01'))!.events.length;
    expect(await alice.callback({ outTrackId: card.outTrackId, params: { value } }, 'frame-a')).toEqual([]); // the same frame re-delivered
    expect(await alice.callback({ outTrackId: card.outTrackId, params: { value } }, 'frame-c')).toEqual([]); // the old button, after the update
    expect((await h.store.load('INC-20261130-01'))!.events).toHaveLength(events);
    const ack = await h.push(TOPIC_CARD, cardCallback({ outTrackId: 'pboc-not-ours', params: { value: '1' } }));
    expect(ack.code).toBe(200);
    expect((await h.store.load('INC-20261130-01'))!.events).toHaveLength(events);
  });

  it('applies the first of two different clicks that race on one card, and ignores the other', async () => {
    h = await Harness.start(withTemplate);
    const alice = new DingtalkUser(h);
    await alice.say('/incident new 网上银行登录失败');
    await alice.submit('13:40');
    const card = alice.latestCard((p) => optionsOf(p).some((o) => o.label === '网上银行'));
    const [first, second] = ['网上银行', '核心银行系统'].map((l) => optionsOf(card.params).find((o) => o.label === l)!.value);
    const before = h.api.sent.length;
    await Promise.all([first, second].map((value) => h!.api.pushCallback(TOPIC_CARD, cardCallback({ outTrackId: card.outTrackId, params: { value } }))));
    await h.app.idle();
    expect(h.api.sent.slice(before).map((m) => m.op)).toEqual(['update']);
    const set = (await h.store.load('INC-20261130-01'))!.events.map((e) => e.event as { path?: string; value?: unknown }).filter((e) => e.path === 'networks.0.ref');
    expect(set).toHaveLength(1);
  });

  it('keeps the card and says why in the chat when an answer is refused', async () => {
    h = await Harness.start(withTemplate);
    const alice = new DingtalkUser(h);
    await alice.say('/incident new 网上银行登录失败');
    const sent = await alice.submit('不是时间');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ op: 'group', msgKey: 'sampleText' });
    expect(textOf(sent[0]!)).toMatch(/^✗ /);
    expect(alice.latestCard((p) => p.input === 'true').params.question).toContain('事件是什么时候发生的');
  });

  it('sends a one-to-one chat its card through the robot space (IM_ROBOT)', async () => {
    h = await Harness.start(withTemplate);
    const r = await new DingtalkUser(h, 'staff_bob', '1', 'cidOneToOneBob==').say('/incident new 测试');
    expect(r).toMatchObject({ op: 'card', target: 'dtv1.card//IM_ROBOT.staff_bob' });
    const create = h.api.calls.find((c) => c.path === '/v1.0/card/instances/createAndDeliver')!.body as Record<string, unknown>;
    expect(create).toMatchObject({ imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: 'dingfakeclient0001' } });
  });
});
