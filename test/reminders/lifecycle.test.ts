import { describe, expect, it } from 'vitest';
import { openCoreOutage } from '../fakes/incidents.ts';
import { tickedChat } from '../fakes/ticked-chat.ts';

describe('reminder lifecycle on a fake clock', () => {
  it('较大 → 重大 by escalation → email report confirmed 20 min later → resolved → final report: the exact sequence', async () => {
    const { chat, sender, runUntil } = await tickedChat('2026-11-30T09:05:00+08:00');
    await openCoreOutage(chat);
    await runUntil('2026-11-30T10:08:00+08:00');
    await chat.say('/incident report brief via email');
    await runUntil('2026-11-30T10:28:00+08:00');
    await chat.say('/incident confirm R1 by phone contact 张三');
    await runUntil('2026-11-30T10:40:00+08:00');
    await chat.say('/incident report immediate via phone');
    await runUntil('2026-11-30T11:00:00+08:00');
    await chat.say('/incident set outage.restored 11:00');
    await runUntil('2026-11-30T12:35:00+08:00');
    await chat.say('/incident report progress via phone');
    await runUntil('2026-11-30T13:00:00+08:00');
    await chat.say('/incident report incident via phone');
    await runUntil('2026-11-30T14:00:00+08:00');
    await chat.say('/incident resolve');
    await runUntil('2026-12-11T10:00:00+08:00');
    await chat.say('/incident report final via written');
    await runUntil('2026-12-16T10:00:00+08:00');
    const head = (l: string) => l.replace(/^(\d\d-\d\d \d\d:\d\d) \S+ INC-20261130-01 核心系统中断：/u, '$1 ').slice(0, 40);
    expect(sender.lines().map(head)).toEqual([
      // 15 peak minutes in 2 provinces at 09:15: 较大, posted as it happens; brief due 10:15.
      '11-30 09:15 等级由一般升为较大（2026-11-30 09:15 达到标准，第九条第（一）项）。新的报告义',
      '11-30 09:45 事发简要报告截止 2026-11-30 10:15（北京时间，第十五条），还剩 30分钟。',
      '11-30 10:05 事发简要报告截止 2026-11-30 10:15（北京时间，第十五条），还剩 10分钟。',
      // Emailed at 10:08: ask for the phone/IM confirmation 10 minutes later; confirmed 10:28.
      '11-30 10:18 R1 事发简要报告（电子邮件，2026-11-30 10:08 发出）尚未确认人',
      // 90 peak minutes at 10:30: 重大, posted as it happens, with the immediate report it calls for.
      '11-30 10:30 等级由较大升为重大（2026-11-30 10:30 达到标准，第八条第（一）项）。新的报告义',
      '11-30 10:30 等级调高，重大及以上事件应立即报告（第十六条）。',
      // Immediate report at 10:40: the next progress report is due 2 h later.
      '11-30 12:10 事中进展报告截止 2026-11-30 12:40（北京时间，第十六条），还剩 30分钟。',
      '11-30 12:30 事中进展报告截止 2026-11-30 12:40（北京时间，第十六条），还剩 10分钟。',
      // Resolved 11-30 14:00: post-incident report due at the end of 12-14, the 10th working day.
      '12-09 09:00 事后调查总结报告截止 2026-12-14 24:00（北京时间，第十七条），还剩 5',
      '12-11 09:00 事后调查总结报告截止 2026-12-14 24:00（北京时间，第十七条），还剩 3',
    ].map((l) => l.slice(0, 40)));
    expect(sender.sent.every((m) => m.conversation === 'console:test' && m.mentions.includes('王五'))).toBe(true);
    expect(sender.sent[1]!.text).toContain('须包含：初次确定的事件等级、事发时间');
    expect(sender.sent[1]!.text).toContain('中国人民银行上海总部');
    // Every send is in the incident's log (the Art. 25 ledger).
    const log = (await chat.store.load('INC-20261130-01'))!.events.map((e) => e.event as { type: string });
    expect(log.filter((e) => e.type === 'reminder-sent')).toHaveLength(sender.sent.length - 2); // the two raise posts are grade events
  });
});
