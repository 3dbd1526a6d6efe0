// The small things a user saw, each as the reply they should see, in both languages.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/run.ts';
import { parseCsv, toCsv } from '../../src/ledger/export.ts';
import { ledgerFromStore } from '../../src/ledger/ledger.ts';
import { createTicker } from '../../src/reminders/ticker.ts';
import { finalReportDocx } from '../../src/reports/docx.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { describeEvent } from '../../src/web/model.ts';
import { botConfig, FakeChat } from '../fakes/chat.ts';
import { openMajorIncident, resolveAndReportFinal } from '../fakes/incidents.ts';
import { RecordingSender } from '../fakes/sender.ts';
import { docxParagraphs, readZip } from '../reports/zip.ts';

/** openMajorIncident(), handling ended 12-02 10:00, the written post-incident report sent 12-08. */
async function closed(lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<FakeChat> {
  const chat = await openMajorIncident(lang);
  await chat.say('/incident report brief via phone contact 李四');
  return resolveAndReportFinal(chat);
}

describe('what is sent says 无, never the bot\'s own note', () => {
  it('the ledger content and the DOCX', async () => {
    const chat = await closed();
    const rows = parseCsv(toCsv(await ledgerFromStore(chat.store, parseIso('2026-12-01T00:00:00+08:00'), parseIso('2026-12-31T00:00:00+08:00'))));
    const final = rows.find((r) => r.reportKind === '事后调查总结报告')!;
    expect(final.summary).not.toContain('未填写');
    expect(final.summary).toMatch(/（如适用）：无$/);
    const s = (await chat.bot.load('INC-20261201-01'))!;
    const text = docxParagraphs(readZip(Buffer.from(await finalReportDocx(s, chat.clock.now(), botConfig().institution, 'zh-CN', 'final'))).get('word/document.xml')!.toString('utf8')).join('\n');
    expect(text).not.toContain('未填写，按无报送');
    await chat.say('/incident draft final').expectReply('无（未填写，按无报送）'); // the draft for the user still says so
  });
});

describe('a second feedback says which deadline it moved', () => {
  it('in Chinese', async () => {
    const chat = await closed();
    chat.clock.set('2026-12-10T09:00:00+08:00');
    await chat.say('/incident feedback');
    await chat.say('/incident feedback 2026-12-09 17:00').expectReply('注意：此前已记录 2026-12-10 09:00 收到人民银行退回；本次记录的退回时间 2026-12-09 17:00 取代它，修改后报告的截止时间由 2026-12-24 24:00 改为 2026-12-23 24:00。');
  });
  it('in English', async () => {
    const chat = await closed('en');
    chat.clock.set('2026-12-10T09:00:00+08:00');
    await chat.say('/incident feedback');
    await chat.say('/incident feedback 2026-12-09 17:00').expectReply('this one, at 2026-12-09 17:00, replaces it, and the revised report is now due 2026-12-23 24:00 instead of 2026-12-24 24:00');
  });
});

describe('risk with a date alone is due at 24:00 of it', () => {
  it('in both languages', async () => {
    const zh = await openMajorIncident();
    await zh.say('/incident risk 2026-12-10 核查第三方接口').expectReply(/风险核查处置情况反馈 {2}2026-12-10 24:00/);
    expect((await zh.bot.load('INC-20261201-01'))!.riskNotice!.dueAt).toBe(parseIso('2026-12-11T00:00:00+08:00'));
    const en = await openMajorIncident('en');
    await en.say('/incident risk 2026-12-10 check the vendor API').expectReply('2026-12-10 24:00');
  });
});

describe('list groups open and handling-ended incidents under headings that say so', () => {
  it('in Chinese', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident resolve');
    await chat.say('/incident new 第二个事件');
    const list = await chat.say('/incident list');
    expect(list).toMatch(/^本频道处置中的事件：\n• INC-20261201-02 [^\n]*\n处置已结束、仍有报送义务的事件（事后调查总结报告、修改稿或收悉确认未完成）：\n• INC-20261201-01 /);
  });
  it('in English', async () => {
    const chat = await openMajorIncident('en');
    await chat.say('/incident resolve');
    await chat.say('/incident list').expectReply(/Handling ended, reports still owed .*:\n• INC-20261201-01 /);
  });
});

describe('final-report reminders offer only written and system', () => {
  it('in Chinese', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident report brief via phone contact 李四');
    chat.clock.set('2026-12-02T10:00:00+08:00');
    await chat.say('/incident resolve');
    const sender = new RecordingSender(chat.clock.now);
    const ticker = createTicker({ store: chat.store, config: botConfig(), sender, now: chat.clock.now });
    chat.clock.set('2026-12-16T10:00:00+08:00');
    await ticker.tick();
    const text = sender.sent.map((m) => m.text).find((x) => x.includes('事后调查总结报告截止'))!; // the reminder itself, not the day's digest
    expect(text).toContain('via <written|system>');
    expect(text).not.toMatch(/☎|📠|via <渠道>/);
  });
});

describe('confirm echoes the time it was given', () => {
  it('in both languages', async () => {
    const zh = await openMajorIncident();
    await zh.say('/incident report brief via email');
    zh.clock.set('2026-12-01T15:40:00+08:00');
    await zh.say('/incident confirm R1 by phone contact 张三 at 15:30').expectReply('已记录 确认收悉时间：2026-12-01 15:30');
    const en = await openMajorIncident('en');
    await en.say('/incident report brief via email');
    en.clock.set('2026-12-01T15:40:00+08:00');
    await en.say('/incident confirm R1 by phone contact Zhang at 15:30').expectReply('Recorded receipt confirmed at: 2026-12-01 15:30');
  });
});

describe('? at a question asks it again with its options; nothing recorded', () => {
  it('in Chinese', async () => {
    const chat = await FakeChat.start('2026-12-01T15:22:00+08:00');
    await chat.say('/incident new 网银中断');
    await chat.say('15:00');
    await chat.say('1'); // the first network
    const again = await chat.say('?');
    expect(again).toContain('“?” 不是答案：请从下列选项中选择，或回答“不确定”。');
    expect(again).toMatch(/主要功能.*中断[\s\S]*1\. 是/);
    expect((await chat.bot.load('INC-20261201-01'))!.unknowns).toEqual([]);
  });
  it('in English', async () => {
    const chat = await FakeChat.start('2026-12-01T15:22:00+08:00', { lang: 'en' });
    await chat.say('/incident new online banking down');
    await chat.say('15:00');
    await chat.say('1');
    await chat.say('？').expectReply('"?" is not an answer: choose one of the options below, or answer "unknown".');
    expect((await chat.bot.load('INC-20261201-01'))!.unknowns).toEqual([]);
  });
});

describe('an over-large number is called too large, with the largest accepted', () => {
  it('in both languages', async () => {
    const zh = await openMajorIncident();
    await zh.say('/incident set 自然人 12345678901234567890').expectError('“12345678901234567890”超出可接受的最大数量（9,007,199,254,740,991）');
    const en = await openMajorIncident('en');
    await en.say('/incident set persons 12345678901234567890').expectError('is larger than the largest number accepted (9,007,199,254,740,991)');
  });
});

describe('the timeline speaks words, not codes', () => {
  it('restored "no", a category, a grade designation of none, a reminder', () => {
    const at = 0;
    const actor = 'u';
    expect(describeEvent({ type: 'fact-set', path: 'networks.0.outage.restored', value: false, at, actor }, 'zh-CN')).toContain('尚未恢复');
    expect(describeEvent({ type: 'fact-set', path: 'category', value: 'equipment', at, actor }, 'zh-CN')).toContain('设备设施故障事件');
    expect(describeEvent({ type: 'fact-set', path: 'designations.cac', value: 'none', at, actor }, 'zh-CN')).toMatch(/：?无$/);
    const reminder = describeEvent({ type: 'reminder-sent', key: 'INC-20261201-01:immediate@1790658000080:T0', late: false, at, actor }, 'zh-CN');
    expect(reminder).toContain('立即报告');
    expect(reminder).not.toContain('@');
    expect(describeEvent({ type: 'fact-set', path: 'networks.0.outage.restored', value: false, at, actor }, 'en')).toContain('Not restored yet');
    expect(describeEvent({ type: 'reminder-sent', key: 'INC-20261201-01:confirm:R1:0', late: false, at, actor }, 'en')).toContain('receipt confirmed at R1');
  });
});

describe('the default option after an occurrence yesterday names the date', () => {
  it('in both languages', async () => {
    const zh = await FakeChat.start('2026-12-02T09:00:00+08:00');
    await zh.say('/incident new 网银中断');
    await zh.say('昨天 15:00');
    await zh.say('1');
    await zh.say('是').expectReply('1. 同事发时间（2026-12-01 15:00）');
    const en = await FakeChat.start('2026-12-02T09:00:00+08:00', { lang: 'en' });
    await en.say('/incident new online banking down');
    await en.say('yesterday 15:00');
    await en.say('1');
    await en.say('yes').expectReply('1. Same as occurrence (2026-12-01 15:00)');
  });
});

describe('help lists what a user can type', () => {
  it('report options and the correction commands, in both languages', async () => {
    const zh = await FakeChat.start('2026-12-01T15:22:00+08:00');
    const help = await zh.say('/incident help');
    for (const w of ['[at <报送时间>]', '[contact <接报联系人>]', '[text <报告内容>]', 'correct <t0|occurredAt>', 'contact <报告> <姓名>', 'void <报告> reason', 'amend <报告>']) expect(help).toContain(w);
    await zh.say('/incident lang en');
    const en = await zh.say('/incident help');
    for (const w of ['[at <time sent>]', '[contact <PBoC contact>]', '[text <content>]', 'correct <t0|occurredAt>', 'contact <report> <name>', 'void <report> reason', 'amend <report>']) expect(en).toContain(w);
  });

  it('help fields marks chat-only fields; the CLI grade contract stays as it is', async () => {
    const zh = await FakeChat.start('2026-12-01T15:22:00+08:00');
    const fields = await zh.say('/incident help fields');
    expect(fields).toMatch(/networks\.0\.disrupted .*〔仅限对话，命令行 grade 不接受〕/);
    expect(fields).toMatch(/networks\.0\.affectedNaturalPersons [^\n]*\)\n/); // a Facts field, unmarked
    await zh.say('/incident lang en');
    const en = await zh.bot.handle({ kind: 'command', text: 'help fields', user: zh.user, conversation: zh.conversation }); // aliases are Chinese too
    expect(en[0]!.type === 'text' ? en[0]!.text : '').toMatch(/networks\.0\.disrupted .*\[chat only: the CLI grade does not accept it\]/);
    let err = '';
    const code = await runCli(['grade'], { stdin: (async function* () { yield '{"networks":[{"disrupted":true}]}'; })(), stdout: () => undefined, stderr: (s) => void (err += s), nowMs: 0, env: {} });
    expect(code).toBe(2);
    expect(err).toContain('disrupted');
  });
});

describe('an email report says what was recorded, then how to confirm its receipt (Art. 18)', () => {
  it('in Chinese: the time and contact belong to the record, the confirm command ends the sentence', async () => {
    const chat = await openMajorIncident();
    const text = await chat.say('/incident report brief via email contact 李四');
    expect(text).toMatch(/^已记录 R1：事发简要报告，电子邮件报送至[^。]+。?报告时间 [0-9-]+ [0-9:]+，人民银行接报联系人 李四。第十八条要求通过电话或即时通信工具确认对方已收悉，确认后执行：\/incident confirm R1 by phone contact <接报联系人>$/m);
  });

  it('in English', async () => {
    const chat = await openMajorIncident('en');
    const text = await chat.say('/incident report brief via email contact Li Si');
    expect(text).toMatch(/^Recorded R1: [^\n]+ by email to [^\n]+\. Reported at [0-9-]+ [0-9:]+; received at PBoC by Li Si\. Art\. 18: confirm by phone or IM that it was received, then: \/incident confirm R1 by phone contact <name>$/m);
  });
});
