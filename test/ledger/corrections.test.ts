// Void and amend keep the original; corrections of times carry original, correction and reason; each report keeps
// its own committed date; nothing is cut silently. Driven through the bot as a user would, read back from the exports.
import { describe, expect, it } from 'vitest';
import { finalReportDocx } from '../../src/reports/docx.ts';
import { parseCsv, parseXlsx, toCsv, toXlsx } from '../../src/ledger/export.ts';
import { ledgerFromStore, type LedgerRow } from '../../src/ledger/ledger.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { timelineModel } from '../../src/web/model.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { botConfig, FakeChat } from '../fakes/chat.ts';
import { openMajorIncident } from '../fakes/incidents.ts';
import { docxParagraphs, readZip } from '../reports/zip.ts';

async function csvRows(chat: FakeChat, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<LedgerRow[]> {
  const rows = await ledgerFromStore(chat.store, parseIso('2026-12-01T00:00:00+08:00'), parseIso('2026-12-31T00:00:00+08:00'), lang);
  return parseCsv(toCsv(rows, lang));
}

describe('void: the report stays in the ledger, marked 作废 with who, when and why, and meets nothing', () => {
  it('in Chinese: reply, card, CSV', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident report brief via phone contact 张三');
    chat.clock.set('2026-12-01T15:40:00+08:00');
    const r = await chat.say('/incident void R1 reason 误记，实际未报送');
    expect(r).toContain('已作废 R1（事发简要报告，原因：误记，实际未报送）。原报告记录保留在台账中并标注“作废”');
    expect(r).toMatch(/○ 事发简要报告 {2}2026-12-01 16:22 .*还剩 42分钟/); // the brief report is unmet again
    const rows = await csvRows(chat);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reportId: 'R1', recordStatus: '作废', pbocContact: '张三', change: '2026-12-01 15:40 console:alice 作废；原因：误记，实际未报送' });
    await chat.say('/incident void R1 reason 再次').expectError('R1 已于 2026-12-01 15:40 作废（原因：误记，实际未报送），不能再作废或修改');
    await chat.say('/incident amend R1 contact 李四 reason 写错').expectError('不能再作废或修改');
    await chat.say('/incident void R9 reason x').expectError('找不到报告“R9”。已记录的报告：R1');
    await chat.say('/incident void R1').expectError('/incident void <报告编号> reason <原因>');
    // `correct` is for times of the incident; a report's own mistake points to amend and void.
    await chat.say('/incident correct R1 reason 误记').expectError('/incident amend <报告编号> … reason <原因>；误记的报告：/incident void <报告编号> reason <原因>');
  });

  it('in English', async () => {
    const chat = await openMajorIncident('en');
    await chat.say('/incident report brief via phone contact Zhang');
    await chat.say('/incident void R1 reason typed by mistake').expectReply('Voided R1 (brief report, reason: typed by mistake). The original stays in the ledger, marked void');
    const rows = await csvRows(chat, 'en');
    expect(rows[0]).toMatchObject({ reportId: 'R1', recordStatus: 'Void', change: '2026-12-01 15:22 console:alice voided it; reason: typed by mistake' });
  });
});

describe('amend: original and amended side by side in the CSV, the XLSX and the DOCX', () => {
  it('in Chinese', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident report brief via phone contact 张三 text 初报：网上银行登录失败');
    chat.clock.set('2026-12-01T15:50:00+08:00');
    const r = await chat.say('/incident amend R1 at 15:20 contact 李四 reason 报送时间和接报人记错');
    expect(r).toContain('已修改 R1（事发简要报告）：报告时间 2026-12-01 15:22 → 2026-12-01 15:20；人民银行接报联系人 张三 → 李四；原因：报送时间和接报人记错。原记录保留在台账中');
    const rows = await ledgerFromStore(chat.store, parseIso('2026-12-01T00:00:00+08:00'), parseIso('2026-12-31T00:00:00+08:00'));
    const expected = [
      { reportId: 'R1', reportedAt: '2026-12-01T15:22:00+08:00', pbocContact: '张三', recordStatus: '原记录（已修改，见下一行）', change: '' },
      {
        reportId: 'R1', reportedAt: '2026-12-01T15:20:00+08:00', pbocContact: '李四', recordStatus: '修改后（第1次修改）',
        change: '2026-12-01 15:50 console:alice 修改：报告时间 2026-12-01 15:22 → 2026-12-01 15:20；人民银行接报联系人 张三 → 李四；原因：报送时间和接报人记错',
      },
    ];
    expect(parseCsv(toCsv(rows))).toMatchObject(expected);
    expect(await parseXlsx(await toXlsx(rows))).toMatchObject(expected);
    // The written report's handling history (the DOCX) names the amendment beside the report.
    await chat.say('/incident amend R1 text 更正后的初报内容 reason 内容补全');
    chat.clock.set('2026-12-02T10:00:00+08:00');
    await chat.say('/incident resolve');
    const s = (await chat.bot.load('INC-20261201-01'))!;
    const zip = readZip(Buffer.from(await finalReportDocx(s, chat.clock.now(), botConfig().institution, 'zh-CN', 'final')));
    const text = docxParagraphs(zip.get('word/document.xml')!.toString('utf8')).join('\n');
    expect(text).toContain('通过电话向');
    expect(text).toContain('R1（事发简要报告）修改：报告时间 2026-12-01 15:22 → 2026-12-01 15:20；人民银行接报联系人 张三 → 李四；原记录保留（console:alice；原因：报送时间和接报人记错）');
    expect(text).toContain('R1（事发简要报告）修改：报告内容（原 11 字 → 现 8 字）');
    const three = parseCsv(toCsv(await ledgerFromStore(chat.store, parseIso('2026-12-01T00:00:00+08:00'), parseIso('2026-12-31T00:00:00+08:00'))));
    expect(three.map((x) => [x.recordStatus, x.summary])).toEqual([
      ['原记录（已修改，见下一行）', '初报：网上银行登录失败'],
      ['第1次修改（已再次修改，见下一行）', '初报：网上银行登录失败'],
      ['修改后（第2次修改）', '更正后的初报内容'],
    ]);
    // The web page's timeline names each amendment's values before and after, as the ledger does.
    const events = ((await chat.store.load('INC-20261201-01'))?.events ?? []).map((e) => e.event as IncidentEvent);
    const log = timelineModel(s, events, chat.clock.now(), 'zh-CN', botConfig()).log.map((l) => l.what);
    expect(log).toContain('R1修改：报告时间 2026-12-01 15:22 → 2026-12-01 15:20；人民银行接报联系人 张三 → 李四；原记录保留（console:alice；原因：报送时间和接报人记错）');
  });

  it('nothing to change, or no reason, is refused; in English', async () => {
    const chat = await openMajorIncident('en');
    await chat.say('/incident report brief via phone contact Zhang');
    await chat.say('/incident amend R1 contact Zhang reason same').expectError('R1 already has the values you gave: nothing to amend.');
    await chat.say('/incident amend R1 contact Li').expectError('/incident amend <report id> [at <time sent>] [contact <PBoC contact>] [text <content>] reason <why>');
    await chat.say('/incident amend R1 contact Li reason wrong name').expectReply('Amended R1 (brief report): PBoC contact Zhang → Li; reason: wrong name. The original stays in the ledger beside the amended record.');
  });
});

describe('corrections of times: original, correction and reason in the export', () => {
  it('correct occurredAt', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident correct occurredAt 14:50 reason 监控记录显示更早');
    const rows = await csvRows(chat);
    expect(rows.at(-1)).toMatchObject({
      recordStatus: '更正', occurredAt: '2026-12-01T14:50:00+08:00',
      change: '事发时间：原记录 2026-12-01T15:00:00+08:00，更正为 2026-12-01T14:50:00+08:00；2026-12-01 15:22 console:alice；原因：监控记录显示更早',
    });
  });
});

describe('every report keeps its own committed date; the deadline follows the latest and says so', () => {
  it('two preliminary reports, each row with its own date', async () => {
    const chat = await openMajorIncident();
    await chat.say('/incident report brief via phone contact 张三');
    chat.clock.set('2026-12-02T10:00:00+08:00');
    await chat.say('/incident resolve');
    const first = await chat.say('/incident report preliminary via written date 2026-12-31 contact 赵六');
    expect(first).toContain('承诺报送事后调查总结报告日期 2026-12-31');
    expect(first).not.toContain('承诺报送日期】'); // nothing reported missing about the date it carried
    expect(first).not.toMatch(/报送时尚缺.*承诺/);
    chat.clock.set('2026-12-03T10:00:00+08:00');
    const second = await chat.say('/incident report preliminary via written date 2027-01-15 contact 赵六');
    expect(second).toContain('事后调查总结报告的截止日期按最近一份初步报告承诺的 2027-01-15（此前承诺：2026-12-31）');
    const rows = await csvRows(chat);
    expect(rows.filter((r) => r.reportKind === '初步报告').map((r) => [r.reportId, r.committedDate])).toEqual([['R2', '2026-12-31'], ['R3', '2027-01-15']]);
    const s = (await chat.bot.load('INC-20261201-01'))!;
    expect(s.reports[1]!.summary).toContain('2026-12-31');
    expect(s.reports[2]!.summary).toContain('2027-01-15');
  });
});

describe('nothing cut silently', () => {
  it('a 5,000-character text is in the CSV whole; 25,000 are cut at 20,000 and the reply and the ledger say so', async () => {
    const chat = await openMajorIncident();
    const five = '报'.repeat(5000);
    const r = await chat.say(`/incident report brief via phone contact 张三 text ${five}`);
    expect(r).not.toContain('截去');
    expect((await csvRows(chat))[0]!.summary).toBe(five);
    const big = `${'甲'.repeat(20_000)}${'乙'.repeat(5000)}`;
    await chat.say(`/incident report incident via phone contact 张三 text ${big}`).expectReply('⚠ 报告内容超过 20000 字：只保留前 20000 字，截去 5000 字（台账中同样注明）。');
    const row = (await csvRows(chat))[1]!;
    expect(row.summary).toBe('甲'.repeat(20_000));
    expect(row.change).toBe('报告内容超过 20000 字：台账保留前 20000 字，截去 5000 字');
  });

  it('titles, notes and contacts say what was kept; in English too', async () => {
    const chat = await FakeChat.start('2026-12-01T15:22:00+08:00');
    chat.quoted.push('题'.repeat(200));
    await chat.say(`/incident new ${'题'.repeat(230)}`).expectReply('⚠ 事件名称超过 200 字：只保留前 200 字，截去 30 字');
    await chat.say(`/incident note ${'注'.repeat(3000)}`).expectReply('已记录');
    expect((await chat.bot.load('INC-20261201-01'))!.notes[0]!.text).toHaveLength(3000);
    await chat.say('/incident lang en');
    await chat.say(`/incident report brief via phone contact ${'x'.repeat(120)}`).expectReply('⚠ The PBoC contact is longer than 100 characters: only the first 100 are kept, 20 cut');
  });
});

describe('an acknowledged reminder is a ledger row with who and when, and is not a report', () => {
  it('in Chinese and English: the CSV and XLSX carry it after the reports, the brief stays unreported', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const chat = await openMajorIncident(lang);
      chat.clock.set('2026-12-01T16:30:00+08:00'); // the brief report (due 16:22) is overdue
      await chat.say('/incident ack brief');
      const rows = await csvRows(chat, lang);
      const xlsx = await parseXlsx(await toXlsx(await ledgerFromStore(chat.store, parseIso('2026-12-01T00:00:00+08:00'), parseIso('2026-12-31T00:00:00+08:00'), lang), lang));
      for (const got of [rows, xlsx]) {
        expect(got.map((r) => r.recordStatus)).toEqual(lang === 'en' ? ['', 'Reminder acknowledged'] : ['', '知悉提醒']);
        expect(got[1]!.change).toBe(lang === 'en'
          ? '2026-12-01 16:30 console:alice acknowledged the reminder of the brief report (not a report)'
          : '2026-12-01 16:30 console:alice 知悉事发简要报告的提醒（不视为已报送）');
        expect(got[1]!.reportedAt).toBe(''); // not a report
      }
    }
  });
});
