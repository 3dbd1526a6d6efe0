// The record after the final report, targeting with several incidents, and the reminders' commands.
import { describe, expect, it } from 'vitest';
import { createTicker } from '../../src/reminders/ticker.ts';
import { FakeChat } from '../fakes/chat.ts';
import { openMajorIncident, resolveAndReportFinal } from '../fakes/incidents.ts';
import { RecordingSender } from '../fakes/sender.ts';

/** openMajorIncident(), reported (brief and incident reports), handling ended 12-02 10:00, the written post-incident report sent 12-08. */
async function closed(lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<FakeChat> {
  const chat = await openMajorIncident(lang);
  await chat.say('/incident report brief via phone contact 李四');
  await chat.say('/incident report incident via phone contact 李四');
  return resolveAndReportFinal(chat);
}

describe('7. a closed incident stays workable: feedback after the final report starts the revision clock (Art. 23)', () => {
  it('feedback, note, draft and reopen reach it; list shows it; handling commands say why not', async () => {
    const chat = await closed();
    await chat.say('/incident list').expectReply(/近30天已办结的事件[\s\S]*INC-20261201-01/);
    chat.clock.set('2026-12-10T09:00:00+08:00');
    const fb = await chat.say('/incident feedback').expectReply(/修改后的事后调查总结报告 {2}2026-12-24 24:00/);
    expect(fb).not.toContain('本频道还没有事件');
    await chat.say('/incident note 人民银行要求补充根因分析').expectReply('已记录');
    await chat.say('/incident draft revision').expectReply('修改后的事后调查总结报告');
    await chat.say('/incident report revision via written contact 王五').expectReply(/✓ 修改后的事后调查总结报告 .* 已于 2026-12-10 09:00 报送/);
    await chat.say('/incident set 自然人 13万').expectError('已办结');
  });

  it('after `use <id>` even while another incident is open here', async () => {
    const chat = await closed();
    await chat.say('/incident new 另一事件');
    await chat.say('/incident use INC-20261208-01');
    await chat.say('/incident use INC-20261201-01').expectReply('已切换到 INC-20261201-01');
    await chat.say('/incident feedback').expectReply(/修改后的事后调查总结报告/);
  });

  it('weeks later, when the session has expired, feedback finds the one closed incident here', async () => {
    const chat = await closed();
    chat.clock.set('2026-12-20T09:00:00+08:00');
    await chat.say('/incident feedback').expectReply(/已记录 2026-12-20 09:00 收到人民银行退回[\s\S]*修改后的事后调查总结报告 {2}\S+ 24:00/);
  });

  it('in English', async () => {
    const chat = await closed('en');
    await chat.say('/incident set persons 130000').expectError('is closed');
    await chat.say('/incident feedback').expectReply(/revised post-incident report {2}2026-12-22 24:00/);
  });
});

describe('8. the post-incident report is met by the written, sealed submission (Art. 18 ¶2)', () => {
  it('a system filing alone neither meets it nor closes the incident; the written one does', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident report brief via phone contact 李四');
    await chat.say('/incident resolve');
    const sys = await chat.say('/incident report final via system contact 王五').expectReply('还须书面报送并加盖公章');
    expect(sys).toMatch(/○ 事后调查总结报告 {2}\S+ 24:00/);
    await chat.say('/incident list').expectReply(/处置已结束、仍有报送义务的事件[\s\S]*INC-20261201-01/);
    const written = await chat.say('/incident report final via written contact 王五').expectReply(/✓ 事后调查总结报告/);
    expect(written).not.toContain('还须书面报送');
    await chat.say('/incident list').expectReply(/近30天已办结的事件[\s\S]*INC-20261201-01/);
  });

  it('in English', async () => {
    const chat = await openMajorIncident('en');
    await chat.say('/incident resolve');
    await chat.say('/incident report final via system').expectReply('also requires it in writing with the seal');
  });
});

describe('11. with several incidents open, a command names its incident or says which it used', () => {
  it('an id after the command word picks the incident; an unnamed command says where it went', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident report brief via email');
    await openMajorIncident('zh-CN', { chat }); // INC-20261201-02, now the active one
    const named = await chat.say('/incident confirm INC-20261201-01 R1 by phone contact 张三').expectReply('经电话与张三确认人民银行已收悉 R1');
    expect(named).toContain('INC-20261201-01');
    expect(named).not.toContain('作用于');
    // Naming an incident chooses it: the next unnamed command goes there and says so on its first line.
    const note = await chat.say('/incident note 值班经理已到场');
    expect(note.split('\n')[0]).toBe('（作用于 INC-20261201-01：这是您本人选定的事件（new、use 或在命令中写明编号）。本频道有多个事件：INC-20261201-01, INC-20261201-02；指定其他事件请在命令中写事件编号。）');
  });

  it('reminders print the incident id in the command to copy, and email is not a fax', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident report brief via email');
    const sender = new RecordingSender(chat.clock.now);
    const ticker = createTicker({ store: chat.store, config: (await import('../fakes/chat.ts')).botConfig(), sender, now: chat.clock.now });
    chat.clock.set('2026-12-01T15:40:00+08:00');
    await ticker.tick();
    const confirm = sender.sent.map((m) => m.text).find((x) => x.includes('尚未确认'))!;
    expect(confirm).toContain('/incident confirm INC-20261201-01 R1 by phone contact');
    expect(confirm.startsWith('📧')).toBe(true);
  });
});

describe('14. a second `new` says which incident commands now act on; use confirms; list marks the active one', () => {
  it('in Chinese', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident new 第二个事件').expectReply('您原来在处理 INC-20261201-01，此后的命令将作用于新事件 INC-20261201-02');
    await chat.say('/incident list').expectReply('INC-20261201-02  第二个事件  一般  处置中（当前）');
    await chat.say('/incident use INC-20261201-01').expectReply('已切换到 INC-20261201-01');
    await chat.say('/incident list').expectReply(/INC-20261201-01 .*（当前）/);
  });

  it('in English', async () => {
    const chat = await openMajorIncident('en');
    await chat.say('/incident new second').expectReply('you were working on INC-20261201-01; commands from now on act on the new incident INC-20261201-02');
  });
});
