import { afterEach, describe, expect, it } from 'vitest';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { botConfig } from '../../fakes/chat.ts';
import { Harness, WecomUser, choicesOf, readable, textOf } from './harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const GROUP = 'wrgroupIncident01';

describe('WeCom: a full 较大 incident in a group, the real SDK against a fake long-connection endpoint', () => {
  it('grades through @-mentions and card buttons, reminds the group mentioning the responsible people, follows an email report to confirmation', async () => {
    h = await Harness.start({ config: botConfig({ responsible: ['wecom:commander01', '王五'] }) });
    const alice = new WecomUser(h, 'zhangsan', GROUP);

    // A command by @-mention: the answer is a finished stream on the callback's req_id, the question's buttons
    // (a time is typed; "skip" is a button) on a card in the same reply.
    const created = await alice.say('/incident new 网上银行登录失败');
    expect(created).toMatchObject({ cmd: 'aibot_respond_msg', msgtype: 'stream_with_template_card', chatId: GROUP });
    expect(choicesOf(created.card!).map((b) => b.label)).toEqual(['跳过']);
    expect(created.body.stream).toMatchObject({ finish: true });
    expect(readable(created.markdown)).toMatch(/已新建事件 INC-20261130-01[\s\S]*事件是什么时候发生的/);
    expect(readable(created.markdown)).toContain('也可 @机器人 后直接输入答案');

    // A typed answer (@-mentioning the bot), answered with the next question's buttons on a card beside the text.
    const asked = await alice.say('13:40');
    expect(asked.msgtype).toBe('stream_with_template_card');
    expect(readable(asked.markdown)).toContain('受影响的人民银行业务领域网络是哪一个');
    expect(asked.card).toMatchObject({ card_type: 'button_interaction', main_title: { desc: 'INC-20261130-01' } });
    expect(choicesOf(asked.card!).map((b) => b.label)).toEqual(expect.arrayContaining(['网上银行', '不确定', '跳过']));

    // A click: the card is updated on the event's req_id (same task_id), the answer follows as pushed messages.
    const clicked = await alice.click('网上银行');
    expect(clicked.map((m) => [m.op, m.msgtype])).toEqual([['update', 'update_template_card'], ['send', 'markdown'], ['send', 'template_card']]);
    expect(clicked[0]!.card).toMatchObject({ task_id: asked.card!.task_id, main_title: { title: '✓ 已记录' }, sub_title_text: '已回答：网上银行' });
    expect(readable(clicked[1]!.markdown)).toMatch(/✓ 已回答：网上银行[\s\S]*主要功能.*是否出现中断/);
    expect(clicked[1]!.chatId).toBe(GROUP);

    await alice.click('是');
    expect(readable(h.server.last().markdown) + textOf(h.server.sent.slice(-2))).toContain('从什么时候开始中断');
    await alice.say('13:40'); // a time is typed: WeCom cards have no text input
    await alice.click('尚未恢复');
    await alice.say('85%');
    await alice.say('1');
    const graded = await alice.say('12万');
    const text = readable(graded.markdown);
    expect(text).toContain('较大（三级）');
    expect(text).toContain('第九条第（二）项：提供金融服务的网络主要功能中断，已实际影响120,000个自然人');
    expect(text).toMatch(/○ 事发简要报告\u30002026-11-30 15:00 （北京时间）\u3000还剩 1小时/);

    // Reminders: the ticker drives the adapter's Sender on the fixed clock; they are pushed into the group.
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    h.clock.set('2026-11-30T14:30:00+08:00');
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['brief']);
    // The reminder's markdown, then its acknowledge button on a card of its own.
    expect(h.server.last()).toMatchObject({ op: 'send', chatId: GROUP, msgtype: 'template_card' });
    const reminder = h.server.sent.at(-2)!;
    expect(reminder).toMatchObject({ op: 'send', cmd: 'aibot_send_msg', chatId: GROUP, msgtype: 'markdown' });
    expect(readable(reminder.markdown)).toContain('事发简要报告截止 2026-11-30 15:00（北京时间，第十五条），还剩 30分钟');
    expect(reminder.markdown).toMatch(/<@commander01> @王五$/); // a real mention for the userid, a plain name otherwise
    expect(reminder.markdown).toContain('via ＜渠道＞'); // the core's placeholder, inert like any text

    h.clock.set('2026-11-30T14:35:00+08:00');
    const reported = await alice.say('/incident report brief via email');
    expect(readable(reported.markdown)).toMatch(/已记录 R1：事发简要报告，电子邮件报送至中国人民银行上海总部/);
    expect(readable(reported.markdown)).toContain('待电话或即时通信工具确认收悉（第十八条）');
    h.clock.set('2026-11-30T14:45:00+08:00');
    expect((await ticker.tick()).sent.map((r) => r.obligation)).toEqual(['confirm']);
    expect(h.server.sent.at(-2)).toMatchObject({ op: 'send', chatId: GROUP, msgtype: 'markdown' });
    expect(readable(h.server.sent.at(-2)!.markdown)).toContain('R1 事发简要报告（电子邮件，2026-11-30 14:35 发出）尚未确认人民银行已收悉');

    h.clock.set('2026-11-30T14:50:00+08:00');
    const confirmed = await alice.say('/事件 确认 R1 电话 张三');
    expect(readable(confirmed.markdown)).toContain('已记录：经电话与张三确认人民银行已收悉 R1');
    h.clock.set('2026-11-30T15:30:00+08:00');
    expect((await ticker.tick()).sent).toEqual([]);

    const log = (await h.store.load('INC-20261130-01'))!.events.map((e) => e.event as { type: string; actor?: string });
    expect(log.filter((e) => e.type === 'reminder-sent')).toHaveLength(2);
    expect(log.find((e) => e.type === 'fact-set')?.actor).toBe('wecom:zhangsan');
    expect((await h.store.listOpen(`wecom:${GROUP}`)).map((m) => m.id)).toEqual(['INC-20261130-01']);
  });

  it('posts an escalation (一般 → 较大 as the outage goes on at peak time) into the group, mentioning the responsible people', async () => {
    h = await Harness.start({ nowIso: '2026-11-30T09:05:00+08:00', config: botConfig({ responsible: ['wecom:commander01'] }) });
    const alice = new WecomUser(h, 'zhangsan', GROUP);
    await alice.say('/incident new 核心系统中断');
    for (const answer of ['09:00', '核心银行系统', '是', '09:00', '尚未恢复', '95%', '2']) await alice.say(answer);
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.app.sender, now: h.clock.now });
    // Once a minute, as the real ticker would (every 15 s), on the fixed clock.
    while (h.clock.ms < Date.parse('2026-11-30T09:30:00+08:00')) {
      h.clock.advanceMinutes(1);
      await ticker.tick();
    }
    const raised = h.server.sent.filter((m) => m.op === 'send' && readable(m.markdown).includes('等级由一般升为较大（2026-11-30 09:15 达到标准，第九条第（一）项）'));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ chatId: GROUP, msgtype: 'markdown' });
    expect(raised[0]!.markdown).toMatch(/<@commander01>$/);
  });

  it('works in a one-to-one chat: no prefix or mention needed for an answer, replies and pushes go to the user', async () => {
    h = await Harness.start();
    const bob = new WecomUser(h, 'lisi');
    const created = await bob.say('/事件 new 核心系统中断');
    expect(created.chatId).toBe('lisi');
    expect(readable(created.markdown)).toContain('已新建事件 INC-20261130-01：核心系统中断');
    expect(readable(created.markdown)).toContain('也可直接输入答案');
    expect(readable((await bob.say('09:00')).markdown)).toContain('受影响的人民银行业务领域网络是哪一个');
    const clicked = await bob.click('网上银行');
    expect(clicked.map((m) => [m.op, m.chatId])).toEqual([['update', 'lisi'], ['send', 'lisi'], ['send', 'lisi']]);
    expect((await h.store.listOpen('wecom:lisi')).map((m) => m.id)).toEqual(['INC-20261130-01']);
  });
});
