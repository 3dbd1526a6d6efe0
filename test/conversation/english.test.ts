// After /incident lang en every word of ours is English: grading reasons, escalation, reminders, drafts' labels.
import { describe, expect, it } from 'vitest';
import { botConfig } from '../fakes/chat.ts';
import { checkLanguage, configNames } from '../fakes/language-check.ts';
import { tickedChat } from '../fakes/ticked-chat.ts';

describe('English, end to end', () => {
  it('a key-network outage in English: reasons, escalation notices, reminders and draft labels', async () => {
    const config = botConfig({ language: 'en' });
    const { chat, sender, runUntil } = await tickedChat('2026-11-30T09:05:00+08:00', config);
    await chat.say('/incident new Core banking down').expectReply('When did the incident occur?');
    await chat.answers('09:00', '1', 'yes', '09:00', 'not yet', '95%');
    const graded = await chat.say('2').expectReply(/General \(level 4\)/);
    expect(graded).toMatch(/If not restored, becomes Significant at 2026-11-30 09:15/);
    await runUntil('2026-11-30T10:35:00+08:00');
    const status = await chat.say('/incident status').expectReply('Major (level 2)');
    expect(status).toContain('Art. 8(1): ');
    await chat.say('/incident report brief via email').expectReply('Recorded R1');
    await chat.say('/incident confirm R1 by phone contact 张三').expectReply('confirmed by phone with 张三 that the PBoC received R1');
    const draft = await chat.say('/incident draft brief').text;
    expect(draft).toContain('Chinese is the language of record');
    const quoted = [...chat.quoted, ...configNames(config.institution)];
    expect(sender.sent.length).toBeGreaterThanOrEqual(4);
    for (const m of sender.sent) checkLanguage(m.text, 'en', quoted);
    expect(sender.sent[0]!.text).toContain('grade raised from General to Significant');
  });
});
