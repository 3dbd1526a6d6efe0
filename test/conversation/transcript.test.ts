import { describe, expect, it } from 'vitest';
import { FakeChat } from '../fakes/chat.ts';

describe('transcript: a full 较大 incident (online banking, 120,000 people)', () => {
  it('collects the facts, grades 较大 with its article, times every deadline, follows an email report to confirmation', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00'); // a Monday
    await chat.say('/incident new 网上银行登录失败').expectReply(/已新建事件 INC-20261130-01[\s\S]*事件是什么时候发生的/);
    await chat.say('13:40').expectReply(/受影响的人民银行业务领域网络是哪一个[\s\S]*2\. 网上银行/);
    await chat.say('网上银行').expectReply(/主要功能.*是否出现中断/);
    await chat.say('是').expectReply(/从什么时候开始中断/);
    await chat.say('20分钟前').expectReply(/是否已恢复/);
    await chat.say('尚未恢复').expectReply(/未处理和处理失败的业务量/);
    await chat.say('85%').expectReply(/几个省级行政区/);
    await chat.say('1').expectReply(/多少自然人/);
    const graded = await chat.say('12万').expectReply(/较大（三级）/);
    expect(graded).toContain('第九条第（二）项：提供金融服务的网络主要功能中断，已实际影响120,000个自然人');
    // T0 is when the deciding count was recorded: 14:00. Brief by 15:00, incident report by 14:00 tomorrow.
    expect(graded).toMatch(/○ 事发简要报告 {2}2026-11-30 15:00 （北京时间） {2}还剩 1小时/);
    expect(graded).toMatch(/○ 事发报告 {2}2026-12-01 14:00 （北京时间）/);
    expect(graded).toContain('向住所地中国人民银行分支机构报告（中国人民银行上海总部）');
    expect(graded).toContain('第四条：同时按网信部门');
    await chat.say('800').expectReply(/核心数据/);
    await chat.answers('否', '否'); // core, important data
    await chat.say('否').expectReply(/网信部门是否已明确/); // personal information
    await chat.answers('无', '无', '无'); // designations
    await chat.say('否').expectReply(/涉嫌危害计算机信息系统/); // work secrets
    await chat.say('否').expectReply(/GB\/T 20986-2023/);
    await chat.say('5').expectReply('问题已问完');

    chat.clock.advanceMinutes(20);
    const sent = await chat.say('/incident report brief via email').expectReply(/已记录 R1：事发简要报告，电子邮件报送至中国人民银行上海总部/);
    expect(sent).toMatch(/✓ 事发简要报告 .* 已于 2026-11-30 14:20 报送/);
    expect(sent).toContain('! R1 事发简要报告（电子邮件，2026-11-30 14:20 发出）待电话或即时通信工具确认收悉（第十八条）');
    await chat.say('/incident status').expectReply('待确认收悉');
    chat.clock.advanceMinutes(10);
    const confirmed = await chat.say('/incident confirm R1 by phone contact 张三').expectReply('已记录：经电话与张三确认人民银行已收悉 R1');
    expect(confirmed).not.toContain('待确认收悉');
    await chat.say('/incident report incident via phone').expectReply(/✓ 事发报告 .* 已于 2026-11-30 14:30 报送/);

    chat.clock.set('2026-12-01T18:00:00+08:00');
    await chat.say('/incident resolve').expectReply(/事后调查总结报告 {2}2026-12-15 24:00 （北京时间）/);
    await chat.say('/incident report final via email').expectError('须书面报送并加盖公章');
    await chat.say('/incident report final via written').expectReply(/✓ 事后调查总结报告/);
    await chat.say('/incident list').expectReply('本频道没有处置中的事件');
  });
});

describe('transcript: a key-network outage that escalates as time passes', () => {
  it('rises 一般 → 较大 → 重大 at the exact threshold times, with immediate and progress reports', async () => {
    // Core banking: key network, peak windows Mon-Fri 09:00-11:30 and 13:30-17:00 (bundled example).
    const chat = await FakeChat.start('2026-11-30T09:05:00+08:00');
    await chat.say('/incident new 核心系统中断');
    await chat.answers('09:00', '核心银行系统', '是', '09:00', '尚未恢复', '95%');
    const first = await chat.say('2').expectReply('一般（四级）');
    // 2 provinces in peak hours: 较大 at 15 min, 重大 at 90 min (Art. 9(1), 8(1)).
    expect(first).toContain('若未恢复，将于 2026-11-30 09:15（10分钟后）升为较大');

    chat.clock.set('2026-11-30T09:20:00+08:00');
    const raised = await chat.say('/incident status').expectReply('⚠ 等级由一般升为较大（2026-11-30 09:15 达到标准）');
    expect(raised).toContain('第九条第（一）项：关键网络主要功能在业务高峰时段2个省级行政区整体中断运行20分钟');
    // T0 = 09:15, when the duration crossed the threshold.
    expect(raised).toMatch(/事发简要报告 {2}2026-11-30 10:15/);
    expect(raised).toContain('若未恢复，将于 2026-11-30 10:30（1小时10分钟后）升为重大');
    await chat.say('/incident report brief via phone');

    chat.clock.set('2026-11-30T10:40:00+08:00');
    const major = await chat.say('/incident status').expectReply('⚠ 等级由较大升为重大（2026-11-30 10:30 达到标准）');
    expect(major).toContain('重大（二级）');
    expect(major).toContain('立即报告');
    // Progress: 2 h after the grade reached 重大 at 10:30 (the brief at 09:20 came before).
    expect(major).toMatch(/事中进展报告 {2}2026-11-30 12:30/);
    // 180 peak minutes in 2 provinces: 150 until 11:30, the other 30 from 13:30 (Art. 7(1)).
    expect(major).toContain('若未恢复，将于 2026-11-30 14:00（3小时20分钟后）升为特别重大');
    await chat.say('/incident report immediate via phone').expectReply(/✓ 立即报告/);
    // A bare time still ahead today is asked about, never silently read as yesterday.
    await chat.say('/incident set outage.restored 10:50').expectError('是指昨天 2026-11-29 10:50 吗');
    chat.clock.set('2026-11-30T11:00:00+08:00');
    const restored = await chat.say('/incident set outage.restored 10:50').expectReply('重大（二级）');
    expect(restored).not.toContain('升为特别重大');
    // The grade never drops by itself, and lowering against the facts is refused (Art. 12).
    await chat.say('/incident lower 较大 reason 已恢复').expectError('仍满足重大的分级标准');
  });
});

describe('bad input changes nothing and says what to type', () => {
  it.each([
    ['/incident frobnicate', '不认识的命令“frobnicate”'],
    ['/incident set 自然人 很多', '“很多”不是有效的数量'],
    ['/incident set outage.start 25:99', '不是可识别的时间'],
    ['/incident set colour red', '不认识的字段“colour”'],
    ['/incident set data.personalInfoRecords -5', '不是有效的数量'],
    ['/incident report brief via pigeon', '格式不对'],
    ['/incident confirm R9 by phone contact 张三', '找不到报告“R9”'],
    ['/incident report final via written', '处置尚未结束'],
    ['/incident lower 一般 reason x', '只能调低到更低的等级'],
  ])('%s', async (line, message) => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 测试');
    await chat.say('/incident skip');
    const before = await chat.store.load('INC-20261130-01');
    await chat.say(line).expectError(message);
    const after = await chat.store.load('INC-20261130-01');
    expect(after!.events.length).toBe(before!.events.length);
  });

  it('an answer with no question pending, and no incident at all', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident status').expectError('本频道还没有事件');
    await chat.say('是').expectError('当前没有待回答的问题');
    expect(await chat.store.listOpen()).toEqual([]);
  });

  it('answers the same errors in English once the user switches', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident lang en').expectReply('Switched to English');
    await chat.say('/incident new Test').expectReply('When did the incident occur?');
    await chat.say('tomorrow-ish').expectError('is not a time I can read');
    await chat.say('/incident set persons lots').expectError('"lots" is not a valid count');
  });
});

describe('work secrets, unknowns and parallel duties', () => {
  it('refuses an internet channel when work secrets are involved (Art. 18)', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 数据泄露');
    await chat.say('/incident set workSecrets 是').expectReply('涉及工作秘密：不得通过互联网渠道报告');
    await chat.say('/incident report brief via email').expectError('不得通过互联网渠道报告（第十八条）');
    await chat.say('/incident report brief via fax').expectReply('已记录 R1');
  });

  it('an unknown answer that could change the grade makes it at least 较大 and says what settles it (Art. 12)', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 可疑访问');
    const text = await chat.say('/incident set 重要数据 不确定').expectReply('较大（三级）');
    expect(text).toContain('第十二条：对照分级标准无法准确确定等级，至少分级为较大');
    expect(text).toContain('尚不确定（回答即可确定等级）：重要数据遭篡改、破坏、泄露');
    // Discovery is T0 when the grade could not be determined (rules.md).
    expect(text).toMatch(/事发简要报告 {2}2026-11-30 15:00/);
    const settled = await chat.say('/incident set 重要数据 否').expectReply('较大（三级）');
    expect(settled).not.toContain('尚不确定');
  });

  it('mentions the police for a suspected crime (Art. 4)', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 勒索');
    await chat.say('/incident set suspectedCrime 是').expectReply('应及时向公安机关报案');
  });
});

describe('drafts and the ledger in chat', () => {
  it('drafts list what is missing with the command that fills it, and the ledger shows who received each report', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 勒索病毒攻击');
    await chat.say('/incident set ransomwareHarm 是');
    const sparse = await chat.say('/incident draft brief').expectReply('事发简要报告');
    expect(sparse).toContain('/incident set category');
    await chat.say('/incident set 事发时间 13:30');
    await chat.say('/incident set 网络 核心银行系统');
    await chat.say('/incident set 分类 恶意程序事件');
    const full = await chat.say('/事件 草稿 简要').expectReply('核心银行系统');
    expect(full).toContain('张江主数据中心');
    expect(full).not.toContain('/incident set category');
    await chat.say('/incident draft weekly').expectError('/incident draft <brief');
    await chat.say('/incident draft final en').expectReply(/post-incident/i);

    await chat.say('/incident report brief via email');
    chat.clock.advanceMinutes(20);
    await chat.say('/incident confirm R1 by phone contact 张三');
    const ledger = await chat.say('/incident ledger 2026-11-01 2026-11-30').expectReply('台账（第二十五条）2026-11-01 至 2026-11-30，共 1 条报告记录');
    expect(ledger).toMatch(/INC-20261130-01 勒索病毒攻击｜事发 2026-11-30 13:30｜较大｜事发简要报告 2026-11-30 14:00｜电子邮件｜接报联系人 张三/);
    await chat.say('/incident ledger 2026-12-01 2026-11-01').expectError('YYYY-MM-DD');
    // The ledger keeps the content reported: the brief as drafted when it was sent.
    const stored = await chat.store.load('INC-20261130-01');
    const sent = stored!.events.map((e) => e.event as { type: string; summary?: string }).find((e) => e.type === 'report-submitted');
    expect(sent!.summary).toContain('核心银行系统');
  });
});

describe('buttons (actions) answer questions like typed text', () => {
  it('the outage start offers the occurrence time as one click', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 网银中断');
    await chat.click('INC-20261130-01', 'occurredAt', '13:40');
    await chat.click('INC-20261130-01', 'network', 'online-banking');
    const q = await chat.click('INC-20261130-01', 'disrupted', 'yes').expectReply('主要功能从什么时候开始中断');
    expect(q).toContain('1. 同事发时间（2026-11-30 13:40）');
    await chat.click('INC-20261130-01', 'outageStart', '2026-11-30 13:40').expectReply('是否已恢复');
    const s = await chat.store.load('INC-20261130-01');
    const start = s!.events.map((e) => e.event as { path?: string; value?: unknown }).find((e) => e.path === 'networks.0.outage.start');
    expect(start!.value).toBe(Date.parse('2026-11-30T13:40:00+08:00'));
  });
});

describe('a stale or someone else\'s button', () => {
  it('answers the question it was shown for, not whatever is pending now', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 网银中断');
    await chat.say('13:40');
    await chat.say('网上银行'); // pending now: disrupted?
    const bob = new FakeChat(chat.bot, chat.store, chat.clock, chat.conversation, 'console:bob');
    // Bob clicks the network button from the earlier message: it changes the network, not "disrupted".
    await bob.click('INC-20261130-01', 'network', 'core-banking');
    const s = await chat.store.load('INC-20261130-01');
    const sets = s!.events.map((e) => e.event as { type: string; path?: string; value?: unknown }).filter((e) => e.type === 'fact-set');
    expect(sets.map((e) => [e.path, e.value])).toEqual([['occurredAt', Date.parse('2026-11-30T13:40:00+08:00')], ['networks.0.ref', 'online-banking'], ['networks.0.ref', 'core-banking']]);
    await bob.click('INC-20261130-01', 'no-such-question', 'x').expectError('当前没有待回答的问题');
  });
});

describe('a shared channel', () => {
  it('anyone in the channel can answer the question the bot asked last; a stale skip button skips its own question', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 网银中断').expectReply('事件是什么时候发生的');
    const bob = new FakeChat(chat.bot, chat.store, chat.clock, chat.conversation, 'console:bob');
    await bob.say('13:40').expectReply('受影响的人民银行业务领域网络');
    await chat.say('网上银行').expectReply('主要功能');
    // A "skip" on the old occurrence-time card skips that question, not the one pending now.
    await bob.click('INC-20261130-01', 'occurredAt', '跳过').expectReply('主要功能');
    await chat.say('是').expectReply('从什么时候开始中断');
  });
});

describe('answering by the number of a shown option', () => {
  it('"1" picks the first option shown, whatever the question: yes, the occurrence time, not restored, none', async () => {
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00');
    await chat.say('/incident new 网银中断');
    await chat.say('13:40');
    await chat.say('2').expectReply('主要功能'); // 2. 网上银行
    await chat.say('1').expectReply('从什么时候开始中断'); // 1. 是
    await chat.say('1').expectReply('是否已恢复'); // 1. 同事发时间（2026-11-30 13:40）
    await chat.say('1').expectReply('未处理和处理失败的业务量'); // 1. 尚未恢复
    await chat.answers('85%', '1', '12万', '800', '2', '2', '2');
    await chat.say('1').expectReply('公安机关是否已明确'); // 1. 无 (not grade 1, 特别重大)
    const s = await chat.store.load('INC-20261130-01');
    const sets = Object.fromEntries(s!.events.map((e) => e.event as { type: string; path?: string; value?: unknown }).filter((e) => e.type === 'fact-set').map((e) => [e.path, e.value]));
    expect(sets).toMatchObject({
      'networks.0.ref': 'online-banking',
      'networks.0.disrupted': true,
      'networks.0.outage.start': Date.parse('2026-11-30T13:40:00+08:00'),
      'networks.0.outage.restored': false,
      'designations.cac': 'none',
    });
  });
});
