import { afterEach, describe, expect, it } from 'vitest';
import { visibleText } from '../../fakes/slack-driver.ts';
import { BOT_TOKEN, startHarness, type Harness } from '../../fakes/slack-harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const unix = (iso: string) => Date.parse(iso) / 1000;

describe('Slack over HTTP: a full 较大 incident, end to end through the real Bolt app', () => {
  it('slash command, buttons, modals and a select grade it 较大; reminders, an email report and its confirmation follow in the thread', async () => {
    h = await startHarness({ mode: 'http', nowIso: '2026-11-30T14:00:00+08:00' });
    const { api, slackDriver: alice, store, clock, ticker } = h;

    // /incident new: the incident's first message goes to the channel and becomes its thread.
    const created = await alice.commandLine('new 网上银行登录失败');
    expect(created.status).toBe(200);
    const [root] = api.channelMessages('C1');
    expect(root!.text).toContain('已新建事件 INC-20261130-01：网上银行登录失败');
    expect(root!.threadTs).toBeNull();
    expect(await store.getSession('slack-thread:INC-20261130-01', clock.ms)).toEqual({ channel: 'C1', ts: root!.ts });
    // The question is private to alice, through the command's response_url.
    const first = alice.question()!;
    expect(visibleText(first)).toContain('事件是什么时候发生的');
    expect(api.callsTo('response_url').at(-1)!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });

    // A time is typed in a modal: views.open, then view_submission.
    await alice.type('13:40');
    const modal = api.callsTo('views.open')[0]!;
    expect(modal.token).toBe(BOT_TOKEN);
    expect(modal.body.view).toMatchObject({ type: 'modal', callback_id: 'pboc_answer', title: { text: '回答问题' } });
    expect(JSON.stringify(modal.body.view)).toContain('事件是什么时候发生的');
    // The answered question is replaced in place by the next one: buttons for four networks.
    const network = alice.question()!;
    expect(network.ts).toBe(first.ts);
    expect(visibleText(network)).toMatch(/✓ 已回答：13:40[\s\S]*受影响的人民银行业务领域网络是哪一个/);
    expect(network.blocks.find((b) => b.type === 'actions')!.elements).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'button', text: expect.objectContaining({ text: '网上银行' }), value: 'online-banking' })]));

    await alice.click('网上银行');
    await alice.click('是');
    await alice.type('20分钟前');
    await alice.click('尚未恢复');
    await alice.type('85%');
    await alice.type('1');
    // The occurrence time is on the card (事发时间), so recording it posted the card to the channel once.
    expect(api.channelMessages('C1')).toHaveLength(2); // the answers after it change nothing shown and stay private
    await alice.type('12万');

    // 较大: posted in the incident's thread and broadcast to the channel, deadlines also as Slack date tokens.
    const graded = api.channelMessages('C1').at(-1)!;
    expect(graded.threadTs).toBe(root!.ts);
    expect(graded.broadcast).toBe(true);
    const card = visibleText(graded);
    expect(card).toContain('*较大（三级）*');
    expect(card).toContain('第九条第（二）项：提供金融服务的网络主要功能中断，已实际影响120,000个自然人');
    expect(card).toContain(`○ \u200B*事发简要报告*\u200B  2026-11-30 15:00 （北京时间）  ·  你的本地时间 <!date^${unix('2026-11-30T15:00:00+08:00')}^{date_short_pretty} {time}|2026-11-30 15:00 （北京时间）>  还剩 1小时`);
    expect(card).toContain(`<!date^${unix('2026-12-01T14:00:00+08:00')}^{date_short_pretty} {time}|2026-12-01 14:00 （北京时间）>`);
    expect(graded.text).toContain('较大（三级）'); // the fallback text for notifications

    await alice.type('800');
    await alice.click('否'); // core data
    await alice.click('否'); // important data
    await alice.click('否'); // personal information
    for (let i = 0; i < 3; i++) await alice.click('无'); // CAC, police, PBoC designations
    await alice.click('否'); // work secrets
    await alice.click('否'); // suspected crime
    // The GB/T 20986 categories are ten: a static_select, not buttons.
    const category = alice.question()!;
    const select = (category.blocks.find((b) => b.type === 'actions')!.elements as Array<{ type: string; options?: unknown[] }>).find((e) => e.type === 'static_select');
    expect(select?.options).toHaveLength(10);
    await alice.click('设备设施故障事件');
    expect(visibleText(alice.question() ?? { blocks: [], text: '' })).not.toContain('❓');
    expect(visibleText(api.ephemeralFor('U1').at(-1)!)).toContain('问题已问完');
    const state = (await h.bot.load('INC-20261130-01'))!;
    expect(state.values).toMatchObject({ 'networks.0.ref': 'online-banking', 'networks.0.affectedNaturalPersons': 120000, 'networks.0.affectedOrganizations': 800, category: 'equipment' });

    // Reminders: the ticker on the fake clock posts in the thread, mentioning the responsible people.
    const posts = () => api.callsTo('chat.postMessage').length;
    const before = posts();
    clock.set('2026-11-30T14:29:00+08:00');
    expect((await ticker.tick()).sent).toHaveLength(0);
    expect(posts()).toBe(before);
    clock.set('2026-11-30T14:30:00+08:00');
    expect((await ticker.tick()).sent).toHaveLength(1);
    const reminder = api.callsTo('chat.postMessage').at(-1)!;
    expect(reminder.token).toBe(BOT_TOKEN);
    expect(reminder.body).toMatchObject({ channel: 'C1', thread_ts: root!.ts });
    expect(reminder.body.text).toMatch(/^<@U0000000000> @王五 ⏰ INC-20261130-01 网上银行登录失败：事发简要报告截止 2026-11-30 15:00（北京时间，第十五条），还剩 30分钟。/);
    expect((reminder.body.blocks as Array<{ text: { text: string } }>)[0]!.text.text).toBe('<@U0000000000> @王五');

    // An email report: recorded in the thread (and channel), awaiting confirmation by phone (Art. 18).
    clock.set('2026-11-30T14:35:00+08:00');
    await alice.commandLine('report brief via email');
    const reported = api.channelMessages('C1').at(-1)!;
    expect(reported.threadTs).toBe(root!.ts);
    expect(visibleText(reported)).toContain('已记录 R1：事发简要报告，电子邮件报送至中国人民银行上海总部');
    expect(visibleText(reported)).toContain('! R1 事发简要报告（电子邮件，2026-11-30 14:35 发出）待电话或即时通信工具确认收悉（第十八条）');
    clock.set('2026-11-30T14:45:00+08:00');
    expect((await ticker.tick()).sent).toHaveLength(1);
    expect(api.callsTo('chat.postMessage').at(-1)!.body).toMatchObject({ thread_ts: root!.ts });
    expect(api.callsTo('chat.postMessage').at(-1)!.body.text).toContain('R1 事发简要报告（电子邮件，2026-11-30 14:35 发出）尚未确认人民银行已收悉');

    clock.set('2026-11-30T14:50:00+08:00');
    await alice.commandLine('confirm R1 by phone contact 张三');
    const confirmed = visibleText(api.channelMessages('C1').at(-1)!);
    expect(confirmed).toContain('已记录：经电话与张三确认人民银行已收悉 R1');
    expect(confirmed).toMatch(/✓ \u200B\*事发简要报告\*\u200B/);
    expect(confirmed).not.toContain('待确认收悉');
    clock.set('2026-11-30T15:05:00+08:00');
    expect((await ticker.tick()).sent).toHaveLength(0);

    // Every Web API call carried the bot token; nothing was posted outside C1.
    expect(api.calls.filter((c) => c.method !== 'response_url').every((c) => c.token === BOT_TOKEN)).toBe(true);
    expect(api.messages.every((m) => m.channel === 'C1')).toBe(true);
  });
});
