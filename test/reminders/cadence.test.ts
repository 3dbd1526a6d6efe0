// Reminders a duty officer keeps reading: the first reminder of an obligation carries everything, later ones
// one or two lines; hour clocks keep their cadence, an overdue working-day clock waits for working hours.
import { describe, expect, it } from 'vitest';
import { botConfig } from '../fakes/chat.ts';
import { openCoreOutage, openResolvedRansomware } from '../fakes/incidents.ts';
import { tickedChat } from '../fakes/ticked-chat.ts';

const head = (l: string) => l.replace(/^(\d\d-\d\d \d\d:\d\d) \S+ INC-\d{8}-01 [^：:]+[：:]\s?/u, '$1 ');

describe('reminder cadence', () => {
  it('a 重大 outage over 6 hours: 10 posts, contents and contacts only in the first of each obligation', async () => {
    const { chat, sender, runUntil } = await tickedChat('2026-11-30T09:05:00+08:00'); // a Monday
    await openCoreOutage(chat);
    await runUntil('2026-11-30T10:00:00+08:00');
    await chat.say('/incident report brief via phone');
    await runUntil('2026-11-30T10:50:00+08:00');
    await chat.say('/incident report immediate via phone');
    await runUntil('2026-11-30T12:00:00+08:00');
    await chat.say('/incident set outage.restored 12:00');
    await runUntil('2026-11-30T12:50:00+08:00');
    await chat.say('/incident report progress via phone');
    await runUntil('2026-11-30T15:00:00+08:00');
    const lines = sender.lines().map(head);
    expect(lines).toEqual([
      '11-30 09:15 等级由一般升为较大（2026-11-30 09:15 达到标准，第九条第（一）项）。新的报告义务：事发简要报告、事发报告。',
      '11-30 09:45 事发简要报告截止 2026-11-30 10:15（北京时间，第十五条），还剩 30分钟。',
      '11-30 10:30 等级由较大升为重大（2026-11-30 10:30 达到标准，第八条第（一）项）。新的报告义务：立即报告、事中进展报告。',
      '11-30 10:30 等级调高，重大及以上事件应立即报告（第十六条）。',
      '11-30 12:20 事中进展报告截止 2026-11-30 12:50（北京时间，第十六条），还剩 30分钟。',
      '11-30 12:40 事中进展报告截止 2026-11-30 12:50（北京时间，第十六条），还剩 10分钟。',
      '11-30 12:50 事中进展报告现在到期（2026-11-30 12:50 北京时间，第十六条）。',
      '11-30 14:20 事中进展报告截止 2026-11-30 14:50（北京时间，第十六条），还剩 30分钟。',
      '11-30 14:40 事中进展报告截止 2026-11-30 14:50（北京时间，第十六条），还剩 10分钟。',
      '11-30 14:50 事中进展报告现在到期（2026-11-30 14:50 北京时间，第十六条）。',
    ]);
    const full = sender.sent.filter((m) => m.text.includes('须包含'));
    // First reminder of: the brief, the immediate report, the 12:50 progress report, the 14:50 one.
    expect(full.map((m) => head(`x ${m.text.split('\n')[0]}`).slice(0, 20))).toHaveLength(4);
    for (const m of full) expect(m.text).toContain('报送：向住所地中国人民银行分支机构报告（中国人民银行上海总部 张三');
    const short = sender.sent.filter((m) => m.text.startsWith('⏰') && !m.text.includes('须包含'));
    expect(short.length).toBeGreaterThan(0);
    for (const m of short) {
      expect(m.text.split('\n').length).toBeLessThanOrEqual(4); // the line, the command, the ladder's rung at the deadline, the ack
      expect(m.text.split('\n')[1]).toMatch(/^报送后记录：\/incident report INC-\d{8}-\d{2} progress via <渠道>$/);
      expect(m.text.split('\n').at(-1)).toMatch(/^知悉请回复：\/incident ack progress INC-\d{8}-\d{2}（/);
    }
  });

  it('an overdue post-incident report over a weekend: none at night or on Saturday and Sunday; the ladder on the next working morning, then the digest', async () => {
    const { chat, sender, runUntil } = await tickedChat('2026-11-27T10:00:00+08:00'); // a Friday
    await openResolvedRansomware(chat);
    // Handling ended Friday 27 November: 10 working days later is Friday 11 December, due at its 24:00.
    await runUntil('2026-12-15T18:00:00+08:00', 5);
    const lines = sender.lines().map(head).map((l) => l.slice(0, 40));
    expect(lines).toEqual(([
      '12-08 09:00 事后调查总结报告截止 2026-12-11 24:00（北京时间，第十七条），还剩 3',
      '12-10 09:00 事后调查总结报告截止 2026-12-11 24:00（北京时间，第十七条），还剩 1',
      '12-11 09:00 事后调查总结报告截止 2026-12-11 24:00（北京时间，第十七条），还剩 1',
      '12-14 09:00 事后调查总结报告已逾期 2天9小时（截止 2026-12-11 24:00 北京时间',
      '12-14 09:30 事后调查总结报告已逾期 2天9小时（截止 2026-12-11 24:00 北京时间',
      '12-14 11:00 事后调查总结报告已逾期 2天11小时（截止 2026-12-11 24:00 北京时间',
      '12-14 14:00 📋 2026-12-14 未来24小时到期及逾期的报告义务（共1项）：',
      '12-15 09:00 📋 2026-12-15 未来24小时到期及逾期的报告义务（共1项）：',
      '12-15 14:00 📋 2026-12-15 未来24小时到期及逾期的报告义务（共1项）：',
    ]).map((l) => l.slice(0, 40)));
    expect(sender.sent.filter((m) => m.text.includes('须包含'))).toHaveLength(1);
  });

  it('the institution file sets the cadence per obligation', async () => {
    const config = botConfig({ reminders: { final: { workdaysBefore: [0], at: '10:00' }, escalation: [{ afterMinutes: 0, role: '值班负责人', mentions: ['slack:U0DUTY'] }], digestAt: ['16:00'] } });
    const { chat, sender, runUntil } = await tickedChat('2026-11-27T10:00:00+08:00', config);
    await openResolvedRansomware(chat);
    await runUntil('2026-12-15T18:00:00+08:00', 5);
    expect(sender.lines().map((l) => l.slice(0, 11))).toEqual(['12-11 10:00', '12-14 10:00', '12-14 16:00', '12-15 16:00']);
    const rung = sender.sent.find((m) => m.text.includes('升级至值班负责人'));
    expect(rung?.mentions).toContain('slack:U0DUTY');
  });
});
