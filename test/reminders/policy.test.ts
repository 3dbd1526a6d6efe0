// The reminder policy as a duty officer meets it: acknowledging a reminder quiets it until the next rung of the
// escalation ladder (and is recorded with who and when), reminders follow the conversation's language, a deadline
// already past when it becomes known starts with the overdue reminder, and the card and help show the policy.
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/web/model.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { botConfig } from '../fakes/chat.ts';
import { openResolvedRansomware } from '../fakes/incidents.ts';
import { tickedChat } from '../fakes/ticked-chat.ts';

const ID = 'INC-20261130-01';

async function setup() {
  const t = await tickedChat('2026-11-30T09:00:00+08:00'); // a Monday
  await t.chat.say('/incident new 勒索');
  await t.chat.say('/incident set ransomwareHarm 是'); // 较大 at 09:00: the brief report is due at 10:00
  const events = async () => ((await t.chat.store.load(ID))?.events ?? []).map((e) => e.event as IncidentEvent);
  return { ...t, events };
}

describe('reminder policy', () => {
  it('/incident ack records who and when, quiets the obligation until the next rung, and never marks it reported', async () => {
    const { chat, sender, runUntil, events } = await setup();
    await runUntil('2026-11-30T10:00:00+08:00');
    const due = sender.sent.at(-1)!;
    expect(due.text).toContain('⬆ 升级至值班负责人（第1级）');
    expect(due.text).toContain(`知悉请回复：/incident ack brief ${ID}`);
    expect(due.ack).toEqual({ command: `ack brief ${ID}`, label: '知悉' });
    chat.clock.set('2026-11-30T10:05:00+08:00');
    const reply = await chat.say(`/incident ack brief ${ID}`);
    expect(reply).toContain('已记录：console:alice 于 2026-11-30 10:05 知悉“事发简要报告”的提醒。2026-11-30 10:30 升级至分管领导之前不再提醒该义务');
    expect(reply).toMatch(/✗ 事发简要报告/); // still overdue on the card: acknowledging is not reporting
    const acked = (await events()).filter((e) => e.type === 'reminder-acked');
    expect(acked).toEqual([expect.objectContaining({ type: 'reminder-acked', obligation: 'brief', step: 'E1', actor: 'console:alice', at: Date.parse('2026-11-30T10:05:00+08:00') })]);
    expect(describeEvent(acked[0]!, 'zh-CN')).toContain('已确认收到提醒：事发简要报告（E1）');
    const before = sender.sent.length;
    await runUntil('2026-11-30T10:29:00+08:00');
    expect(sender.sent.length).toBe(before);
    await runUntil('2026-11-30T10:30:00+08:00');
    expect(sender.sent.length).toBe(before + 1);
    expect(sender.sent.at(-1)!.text).toContain('⬆ 升级至分管领导（第2级）');
  });

  it('ack names a confirmation by its report id; a name it does not know, or nothing to acknowledge, is an error and records nothing', async () => {
    const { chat, events } = await setup();
    const n = (await events()).length;
    expect(await chat.say('/incident ack 报告X')).toContain('✗ 不认识的提醒义务“报告X”');
    expect(await chat.say('/incident ack constructor')).toContain('✗ 不认识的提醒义务“constructor”'); // not Object.prototype's
    expect(await chat.say('/incident ack final')).toContain('✗ “事后调查总结报告”当前没有需要提醒的义务');
    expect(await chat.say('/incident ack R1')).toContain('✗');
    expect((await events()).length).toBe(n);
    await chat.say('/incident report brief via email contact 王五');
    expect(await chat.say('/incident ack R1')).toContain('知悉“收悉确认 R1”的提醒');
    expect(await chat.say('/incident ack 简要报告')).toContain('✗'); // the brief is reported: nothing to be reminded of
    expect(await chat.say('/incident ack confirm R1')).toContain('已记录');
    expect((await events()).filter((e) => e.type === 'reminder-acked').map((e) => (e as { reportId?: string }).reportId)).toEqual(['R1', 'R1']);
  });

  it('after /incident lang en in a conversation, its reminders are in English', async () => {
    const { chat, sender, runUntil } = await setup();
    expect(await chat.say('/incident lang en')).toContain('Reminders in this conversation will be in English');
    await runUntil('2026-11-30T10:00:00+08:00');
    const before = sender.sent[0];
    const due = sender.sent.at(-1);
    expect(before!.text).toMatch(/^⏰ INC-20261130-01 勒索: the brief report is due 2026-11-30 10:00 \(Beijing time, Art\. 15\), 30m left\./);
    expect(due!.text).toContain('⬆ Escalated to the duty manager (step 1).');
    expect(due!.text).toContain(`Acknowledge: /incident ack brief ${ID}`);
    expect(due!.ack?.label).toBe('Acknowledge');
    for (const m of sender.sent) expect(m.text).not.toMatch(/[截止还剩逾期升级知悉]/u);
  });

  it('a deadline already past when it becomes known: the first reminder is the overdue one, never "30 minutes left"', async () => {
    const { chat, sender, ticker } = await setup();
    chat.clock.set('2026-11-30T09:20:00+08:00');
    await chat.say('/incident t0 08:00'); // the brief was due at 09:00
    await ticker.tick();
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.text).toContain('事发简要报告已逾期 20分钟');
    expect(sender.sent[0]!.text).toContain('升级至值班负责人');
    expect(sender.sent[0]!.text).not.toContain('补发'); // not missed while the bot was down: it was not known before
  });

  it('the card shows the next reminder and the next rung; help reminders shows the policy in both languages', async () => {
    const { chat } = await setup();
    chat.clock.set('2026-11-30T09:05:00+08:00');
    expect(await chat.say('/incident status')).toContain('🔔 下次提醒 09:30，升级至值班负责人 10:00');
    const zh = await chat.say('/incident help reminders');
    expect(zh).toContain('一逾期即提醒值班负责人 (@U0000000000)');
    expect(zh).toContain('逾期 30分钟 后提醒分管领导 (@王五)');
    expect(zh).toContain('每个工作日 09:00、14:00 在本会话合并发送一条汇总');
    expect(zh).toContain('逾期超过 24 小时的义务，22:00至次日08:00不发提醒');
    await chat.say('/incident lang en');
    const en = await chat.say('/incident help reminders');
    expect(en).toContain('once overdue: the duty manager (@U0000000000); 30m overdue: the leader in charge (@王五); 2h overdue: the senior executive responsible for cybersecurity');
    expect(en).toContain('one digest per conversation on working days at 09:00, 14:00');
  });
});

describe('quiet hours', () => {
  async function overdueFinal(reminders: NonNullable<Parameters<typeof botConfig>[0]>['reminders']) {
    const { chat, sender, runUntil } = await tickedChat('2026-11-27T10:00:00+08:00', botConfig({ reminders }), 10); // a Friday
    await openResolvedRansomware(chat); // the post-incident report is due 2026-12-11 24:00
    await runUntil('2026-12-16T12:00:00+08:00');
    return sender.lines().map((l) => l.slice(0, 11));
  }
  const at23 = (lines: string[]) => lines.filter((l) => l.endsWith('23:00'));

  it('a digest slot the institution puts at night is not used for an obligation overdue more than a day', async () => {
    const lines = await overdueFinal({ digestAt: ['09:00', '23:00'] });
    expect(lines).toContain('12-14 09:00'); // the ladder, the next working morning
    expect(at23(lines)).toEqual([]);
    expect(lines).toContain('12-15 09:00');
  });

  it('unless the institution asks for night posts', async () => {
    const lines = await overdueFinal({ digestAt: ['09:00', '23:00'], quietHours: { from: '22:00', to: '08:00', afterOverdueHours: 24, nightPosts: true } });
    expect(at23(lines)).toEqual(['12-14 23:00', '12-15 23:00']);
  });
});
