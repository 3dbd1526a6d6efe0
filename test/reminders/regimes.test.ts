// The other regimes' obligations are reminded under the same policy as PBoC's: a timed one before, at and after its
// deadline up the ladder; one due 立即 when it arises and up the ladder from an hour later; one due 及时 daily. Each
// names regime, article and recipient, carries its own ack (never a PBoC key), and `ack` quiets it.
import { describe, expect, it } from 'vitest';
import { isAckCommand } from '../../adapters/ack.ts';
import { loadIncident } from '../../src/incident/stored.ts';
import { formatShanghai } from '../../src/conversation/parse.ts';
import { leak } from '../fakes/leak.ts';

describe('the other regimes’ reminders', () => {
  it('CAC’s 1 h initial report: before, at and after its deadline, naming article and recipient; its ack key is its own', async () => {
    const { chat, sender, runUntil } = await leak();
    await runUntil('2026-12-04T11:00:00+08:00');
    // PBoC's brief report falls due in the same minutes: each post carries both, one obligation's lines each.
    const cac = sender.sent.filter((p) => p.text.includes('【网信部门】向网信部门初次报告'));
    expect(cac.map((p) => p.text.split('\n').find((l) => l.includes('【网信部门】向网信部门初次报告'))!.replace(/^.*?【网信部门】/, ''))).toEqual([
      expect.stringMatching(/截止 2026-12-04 10:00（北京时间，《国家网络安全事件报告管理办法》.*），还剩 30分钟/),
      expect.stringMatching(/截止 2026-12-04 10:00.*还剩 10分钟/),
      expect.stringMatching(/现在到期（2026-12-04 10:00 北京时间/), // the ladder's first rung, at the deadline
      expect.stringMatching(/已逾期 30分钟/),
    ]);
    expect(cac[0]!.text).toContain('报送：行业主管部门和公安机关');
    expect(cac[0]!.text).toContain('/incident report INC-20261204-01 cac initial via <渠道>');
    expect(cac.every((p) => p.ack!.command.split(' ')[1]!.split(',').includes('cac.initial') && isAckCommand(p.ack!.command))).toBe(true);
    // Each reminder is recorded under its own key, however many went out in the post.
    const sent = (await loadIncident(chat.store, 'INC-20261204-01'))!.remindersSent;
    expect(sent.filter((k) => k.startsWith('INC-20261204-01:cac.initial:'))).toEqual(['T-30', 'T-10', 'E1', 'E2'].map((st) => `INC-20261204-01:cac.initial:${st}`));
    // PBoC's own reminders are unchanged beside them.
    expect(sent).toContain('INC-20261204-01:brief:T-30');
  });

  it('PIPL’s 立即 duties: reminded when they arise, overdue an hour later up the ladder', async () => {
    const { sender, runUntil } = await leak();
    await runUntil('2026-12-04T10:35:00+08:00');
    const notify = sender.sent.filter((p) => p.text.includes('【个人信息保护法】通知个人'));
    expect(notify[0]!.text).toContain('应立即履行（《中华人民共和国个人信息保护法》第五十七条）');
    expect(notify[0]!.text).toContain('报送：受影响的个人');
    expect(notify.some((p) => /已逾期/.test(p.text) && p.text.includes('⬆'))).toBe(true);
  });

  it('NFRA’s 5 working days: on working mornings before its due day, none at the weekend', async () => {
    const { sender, runUntil } = await leak();
    await runUntil('2026-12-12T12:00:00+08:00', 30);
    const nfra = sender.sent.filter((p) => p.text.includes('【金融监管总局】'));
    expect(nfra.map((p) => p.key!.split(':').slice(1).join(':'))).toEqual(expect.arrayContaining(['nfra.report:W-3', 'nfra.report:W-1', 'nfra.report:W-0']));
    expect(nfra[0]!.text).toContain('截止 2026-12-11 24:00（北京时间，《银行保险机构操作风险管理办法》第四十二条）');
    expect(nfra.map((p) => new Date(p.atMs + 8 * 3600_000).getUTCDay())).not.toContain(6);
  });

  it('the police’s 及时 duty: the card says it when a crime is suspected, then a reminder each morning until recorded', async () => {
    const { chat, sender, runUntil } = await leak();
    await chat.say('/incident set suspectedCrime 是');
    await runUntil('2026-12-06T10:00:00+08:00', 30);
    // Recorded under its own keys; posted beside whatever else falls due at 09:00 those mornings.
    const policeKeys = async () => (await loadIncident(chat.store, 'INC-20261204-01'))!.remindersSent.filter((k) => k.includes(':police.report:'));
    expect((await policeKeys()).map((k) => k.split(':').at(-1))).toEqual(['O@2026-12-05T0900', 'O@2026-12-06T0900']); // not when it arose (the reply's card said it)
    const police = sender.sent.filter((p) => p.text.includes('【公安】') && !p.key?.startsWith('digest:'));
    expect(police.map((p) => formatShanghai(p.atMs))).toEqual(['2026-12-05 09:00', '2026-12-06 09:00']);
    expect(police[0]!.text).toContain('应及时履行');
    await chat.say('/incident report 公安 报案 via 现场');
    await runUntil('2026-12-08T10:00:00+08:00', 60);
    expect(await policeKeys()).toHaveLength(2); // nothing more once recorded
    // The digest carries it too while it is open.
    expect(sender.sent.some((p) => p.key?.startsWith('digest:') && p.text.includes('【公安】向公安机关报案'))).toBe(true);
  });

  it('ack quiets an overdue CAC obligation until the next rung', async () => {
    const { chat, sender, runUntil } = await leak();
    await runUntil('2026-12-04T10:05:00+08:00');
    await chat.say('/incident ack cac.initial').expectReply('知悉“网信部门向网信部门初次报告”的提醒');
    await chat.say('/incident ack 网信 总结').expectError('没有需要提醒');
    const before = sender.sent.length;
    await runUntil('2026-12-04T10:25:00+08:00');
    expect(sender.sent.slice(before).filter((p) => p.text.includes('【网信部门】'))).toEqual([]);
  });
});
