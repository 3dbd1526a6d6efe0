// The record and its card: contradicting facts, Art. 16 during handling only, and what the card tells.
import { describe, expect, it } from 'vitest';
import { FakeChat } from '../fakes/chat.ts';
import { openCoreOutage, openIncident, openMajorIncident } from '../fakes/incidents.ts';

describe('6. facts that contradict each other are questioned', () => {
  it('sensitive > all personal information, a fraction for a rate, peak > total, a network that does not exist', async () => {
    const chat = await openIncident();
    await chat.say('/incident set 个人信息 1000');
    await chat.say('/incident set 敏感个人信息 5000').expectError('敏感个人信息（5000条）不能多于个人信息总数（1000条');
    await chat.say('/incident set 失败率 0.85').expectError('是指 0.85% 还是 85%？');
    await chat.say('/incident set 失败率 85%').expectReply('━━');
    await chat.say('/incident set 中断时长 30分钟');
    await chat.say('/incident set 高峰时长 45分钟').expectError('不能超过中断总时长（30分钟）');
    await chat.say('/incident set 省份 35').expectError('1 到 34');
    await chat.say('/incident set networks.7.keyNetwork 是').expectError('没有第 7 个网络');
    await chat.say('/incident set networks.1.keyNetwork 是').expectReply('━━');
  });

  it('in English', async () => {
    const chat = await openIncident('en');
    await chat.say('/incident set rate 0.85').expectError('mean 0.85% or 85%?');
    await chat.say('/incident set networks.7.key yes').expectError('There is no network 7');
  });
});

/** 重大: core banking wholly down in 2 provinces since 09:00 on a Monday, 90 peak minutes at 10:30. */
async function majorOutage(): Promise<FakeChat> {
  const chat = await FakeChat.start('2026-11-30T10:40:00+08:00');
  await openCoreOutage(chat);
  return chat;
}

describe('9. Art. 16 immediate reports arise only while 重大+ and during handling', () => {
  it('a milestone after resolution opens no immediate report', async () => {
    const chat = await majorOutage();
    await chat.say('/incident report brief via phone');
    await chat.say('/incident report immediate via phone');
    await chat.say('/incident set outage.restored 10:40');
    await chat.say('/incident resolve');
    chat.clock.advanceMinutes(30);
    const r = await chat.say('/incident milestone 根因确认为存储故障').expectReply('已记录。');
    expect(r).not.toMatch(/○ 立即报告/);
    expect(r).not.toContain('应立即报告');
  });

  it('a milestone recorded at 较大 does not become an immediate report when the grade later rises', async () => {
    const chat = await FakeChat.start('2026-11-30T09:20:00+08:00');
    await openCoreOutage(chat);
    await chat.say('/incident milestone 已切换备用链路').expectReply('已记录。');
    chat.clock.set('2026-11-30T10:40:00+08:00');
    const r = await chat.say('/incident status').expectReply('重大（二级）');
    expect(r.match(/○ 立即报告/g)).toHaveLength(1); // the escalation's, not the 较大 milestone's
  });
});

describe('10 and 13. the card tells occurrence, T0 and why, reports without a deadline, and what one report meets', () => {
  it('shows 事发时间 and T0 with why; reaching 重大 says one brief report meets the immediate report too', async () => {
    const chat = await majorOutage();
    const r = await chat.say('/incident status');
    expect(r).toContain('事发时间：2026-11-30 09:00');
    // The outage typed at 10:40 met 较大 at 09:15 (15 peak minutes in 2 provinces): T0 is then, not when typed.
    expect(r).toContain('时限起算（T0）：2026-11-30 09:15（达到较大之时）');
    expect(r).toContain('现在报送一份事发简要报告，即同时满足第十六条的立即报告');
    const after = await chat.say('/incident report brief via phone contact 李四');
    expect(after).not.toContain('即同时满足第十六条的立即报告');
    expect(after).toMatch(/✓ 立即报告（等级达到重大） .* 已于 2026-11-30 10:40 报送/);
  });

  it('a brief report on a 一般 incident still appears, marked 无须报送', async () => {
    const chat = await openIncident();
    await chat.say('/incident report brief via phone contact 李四').expectReply('R1 事发简要报告：2026-12-01 15:22 已报送（一般事件无须报送，已记入台账）');
  });

  it('in English', async () => {
    const chat = await openIncident('en');
    await chat.say('/incident report brief via phone contact Li').expectReply('not required for a General incident; kept in the ledger');
  });
});

describe('15. hints offer only the channels the rule allows; two immediate reports say what each is for', () => {
  it('final: written or system only; work secrets: no internet channel', async () => {
    const chat = await openMajorIncident();
    const r = await chat.say('/incident set 工作秘密 是');
    expect(r).toContain('/incident report brief via <phone|fax|system|written>');
    await chat.say('/incident resolve');
    await chat.say('/incident status').expectReply('/incident report final via <system|written>');
  });

  it('an escalation and a milestone each label their immediate report', async () => {
    const chat = await majorOutage();
    await chat.say('/incident report brief via phone');
    chat.clock.advanceMinutes(5);
    const r = await chat.say('/incident milestone 发现第二个数据中心受影响');
    expect(r).toContain('立即报告（等级达到重大）');
    expect(r).toContain('○ 立即报告（阶段性进展或新问题：发现第二个数据中心受影响）');
  });

  it('in English', async () => {
    const chat = await openIncident('en');
    await chat.say('/incident resolve');
    await chat.say('/incident status').expectReply('/incident report final via <system|written>');
  });
});

describe('ending handling while an interruption is still open on the record', () => {
  it('says which network still counts its outage and how to record its restoration; once recorded, nothing is said', async () => {
    const chat = await majorOutage();
    await chat.say('/incident report brief via phone');
    const said = await chat.say('/incident resolve').expectReply('已记录处置结束');
    expect(said).toContain('⚠ 核心银行系统 的主要功能中断尚未记录恢复时间');
    expect(said).toContain('/incident set 恢复时间 <时间>');

    const other = await majorOutage();
    await other.say('/incident set 恢复时间 10:30');
    expect(await other.say('/incident resolve').expectReply('已记录处置结束')).not.toContain('尚未记录恢复时间');
  });

  it('in English', async () => {
    const chat = await majorOutage();
    await chat.say('/incident lang en');
    const said = await chat.say('/incident resolve').expectReply('Recorded the end of handling');
    expect(said).toContain('⚠ The interruption of 核心银行系统 has no restoration time on the record');
  });
});
