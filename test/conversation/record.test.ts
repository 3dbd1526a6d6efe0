// The record must be the truth. One transcript per case; each failed on the code it was written against.
import { describe, expect, it } from 'vitest';
import { ledgerFromStore } from '../../src/ledger/ledger.ts';
import { FakeChat } from '../fakes/chat.ts';
import { openMajorIncident } from '../fakes/incidents.ts';

const DAY = 86_400_000;

async function ledger(chat: FakeChat) {
  return ledgerFromStore(chat.store, chat.clock.ms - 30 * DAY, chat.clock.ms + DAY);
}

describe('1. a report carries the time it was really sent', () => {
  it('accepts `at`, shows it, meets the deadline at that time and writes it as 报告时间', async () => {
    const chat = await openMajorIncident();
    const r = await chat.say('/incident report brief via phone at 15:10 contact 李四').expectReply('报告时间 2026-12-01 15:10');
    expect(r).toMatch(/✓ 事发简要报告 .* 已于 2026-12-01 15:10 报送/);
    expect((await ledger(chat))[0]).toMatchObject({ reportedAt: '2026-12-01T15:10:00+08:00', channel: '电话', pbocContact: '李四' });
  });

  it('refuses a report time in the future or before the incident, saying which', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident report brief via phone at 2026-12-01 16:30').expectError('晚于现在');
    await chat.say('/incident report brief via phone at 2026-12-01 14:50').expectError('早于事发时间 2026-12-01 15:00');
    expect((await ledger(chat))[0]!.reportId).toBe('');
  });

  it('in English too', async () => {
    const chat = await openMajorIncident('en');
    await chat.say('/incident report brief via phone at 15:10 contact Li Si').expectReply('. Reported at 2026-12-01 15:10; received at PBoC by Li Si.');
    await chat.say('/incident report incident via phone at 2026-12-01 14:50').expectError('is before the time of occurrence 2026-12-01 15:00');
  });
});

describe('2. every report has its PBoC contact', () => {
  it('takes `contact` on report, asks for it when missing, and records it later without blocking', async () => {
    const chat = await openMajorIncident();
    const r = await chat.say('/incident report brief via im').expectReply('/incident contact R1 <接报联系人姓名>');
    expect(r).toContain('已记录 R1');
    await chat.say('/incident contact R1 王五').expectReply('已记录 R1 的人民银行接报联系人：王五');
    await chat.say('/incident report incident via system contact 赵六');
    const rows = await ledger(chat);
    expect(rows.map((x) => [x.channel, x.pbocContact])).toEqual([['即时通信工具', '王五'], ['指定信息系统', '赵六']]);
    await chat.say('/incident contact R9 王五').expectError('找不到报告“R9”');
  });
});

describe('3. the ledger keeps the content as sent', () => {
  it('the items as they stood when sent, without the bot’s instructions; a warning names what was missing', async () => {
    const chat = await openMajorIncident();
    const r = await chat.say('/incident report brief via phone contact 李四').expectReply(/⚠ 报送时尚缺 \d+ 项/);
    expect(r).toContain('台账记录的报告内容：报送时的报告正文');
    const summary = (await ledger(chat))[0]!.summary;
    expect(summary).toContain('关于“网上银行登录失败”网络安全事件的事发简要报告');
    expect(summary).toContain('报告时间：2026-12-01 15:22');
    expect(summary).toContain('（报送时未提供）');
    for (const bot of ['【待补充】', '尚缺', '草稿', '/incident', '本稿由机器人']) expect(summary).not.toContain(bot);
  });

  it('or the user’s own text, word for word', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident report brief via phone contact 李四 text 15:00 网银登录失败，影响约12万客户，正在切换备用线路。').expectReply('您提供的文本');
    expect((await ledger(chat))[0]!.summary).toBe('15:00 网银登录失败，影响约12万客户，正在切换备用线路。');
  });

  it('in English: the warning and the content note', async () => {
    const chat = await openMajorIncident('en');
    const r = await chat.say('/incident report brief via phone contact Li').expectReply(/were still missing when it was sent/);
    expect(r).toContain('Ledger content: the report text as it stood when sent');
  });
});

describe('4. times are read as the user meant them', () => {
  it('a clock time still ahead today is asked about, not moved to yesterday', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident set outage.start 15:42').expectError('是指昨天 2026-11-30 15:42 吗？');
    const r = await chat.say('/incident set outage.start 15:05').expectReply('已记录 中断开始时间：2026-12-01 15:05');
    expect(r).not.toContain('特别重大');
  });

  it('each refusal names its rule: not a time, in the future, before the incident', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident set outage.start 25:99').expectError('不是可识别的时间');
    await chat.say('/incident set outage.start 2026-12-02 10:00').expectError('晚于现在');
    await chat.say('/incident set outage.start 2026-12-01 14:00').expectError('早于事发时间 2026-12-01 15:00');
    await chat.say('/incident t0 2026-12-01 14:30').expectError('早于事发时间');
    await chat.say('/incident resolve 2026-12-01 14:30').expectError('早于事发时间');
  });

  it('every accepted time is echoed back', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident set outage.start 15:02').expectReply('已记录 中断开始时间：2026-12-01 15:02');
    await chat.say('/incident set outage.restored 15:20').expectReply('已记录 恢复时间：2026-12-01 15:20');
    await chat.say('/incident resolve 15:21').expectReply('已记录 处置结束时间：2026-12-01 15:21');
  });

  it('in English', async () => {
    const chat = await openMajorIncident('en');
    await chat.say('/incident set outage.start 15:42').expectError('Did you mean yesterday, 2026-11-30 15:42?');
    await chat.say('/incident set outage.start 25:99').expectError('is not a time I can read');
    await chat.say('/incident set outage.start 15:05').expectReply('Recorded outage start: 2026-12-01 15:05');
  });
});

describe('5. a mistaken T0 or occurrence time can be corrected, with a reason, and both stay visible', () => {
  it('corrects T0 later or earlier; the card shows the original and the correction', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident t0 15:10');
    await chat.say('/incident correct t0 15:15').expectError('用法');
    const r = await chat.say('/incident correct t0 2026-12-01 15:12 reason 实际在15:12确认影响人数').expectReply('已更正 报告时限起算时间（T0）：2026-12-01 15:10 → 2026-12-01 15:12');
    expect(r).toContain('时限起算（T0）：2026-12-01 15:12（已更正：实际在15:12确认影响人数）');
    expect(r).toMatch(/报告时限起算时间（T0）原记录 2026-12-01 15:10，console:alice 于 2026-12-01 15:22 更正为 2026-12-01 15:12/);
    expect(r).toMatch(/事发简要报告 {2}2026-12-01 16:12/);
    await chat.say('/incident correct t0 2026-12-01 14:00 reason x').expectError('早于事发时间');
  });

  it('corrects the occurrence time', async () => {
    const chat = await openMajorIncident();
    const r = await chat.say('/incident correct occurredAt 2026-12-01 14:55 reason 监控告警显示14:55').expectReply('事发时间：2026-12-01 14:55');
    expect(r).toContain('事发时间原记录 2026-12-01 15:00');
  });

  it('in English', async () => {
    const chat = await openMajorIncident('en');
    await chat.say('/incident correct t0 2026-12-01 15:12 reason counted at 15:12').expectReply('Clocks start (T0): 2026-12-01 15:12 (corrected: counted at 15:12)');
  });
});

describe('12. a grade kept above the facts says so, and a lowering after reports reminds to tell PBoC', () => {
  it('shows the lower command, then keeps 由…调低（原因…）', async () => {
    const chat = await FakeChat.start('2026-12-01T15:22:00+08:00');
    await chat.say('/incident new 数据泄露');
    await chat.say('/incident set occurredAt 15:00');
    await chat.say('/incident set 核心数据 是');
    await chat.say('/incident report brief via phone contact 李四');
    const r = await chat.say('/incident set 核心数据 否').expectReply('等级仍为特别重大，但现有事实只支持一般');
    expect(r).toContain('/incident lower 一般 reason <原因>');
    const l = await chat.say('/incident lower 一般 reason 经核查未涉及核心数据').expectReply('请将等级调整及原因告知人民银行');
    expect(l).toMatch(/由特别重大调低为一般（2026-12-01 15:22，原因：经核查未涉及核心数据）/);
  });
});
