// The ledger export refuses what would mislead, filters on what was asked, and
// keeps real Excel times; a drill's ledger and documents are the drill's and say so.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runLedgerExport } from '../../adapters/cli/ledger.ts';
import { runCli } from '../../adapters/cli/run.ts';
import { parseCsv } from '../../src/ledger/export.ts';
import { finalReportDocx } from '../../src/reports/docx.ts';
import { botConfig, FakeChat } from '../fakes/chat.ts';
import { openMajorIncident } from '../fakes/incidents.ts';
import { docxParagraphs, readZip } from '../reports/zip.ts';

/** Occurred 2026-11-30 23:50; brief reported 2026-12-01 00:20 by phone to 李四. */
async function nightIncident(opts: { drill?: boolean } = {}): Promise<FakeChat> {
  const chat = await openMajorIncident('zh-CN', { now: '2026-12-01T00:30:00+08:00', title: '夜间批处理失败', occurredAt: '昨天 23:50', ...opts });
  await chat.say('/incident report brief via phone at 00:20 contact 李四');
  return chat;
}

async function exportOf(chat: FakeChat, args: string[], tty = false) {
  const out: Array<string | Buffer> = [];
  const err: string[] = [];
  let opened = 0;
  const code = await runLedgerExport(args, {
    openStore: async () => { opened++; return { ...chat.store, close: async () => undefined }; },
    stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), ...(tty ? { stdoutIsTTY: true } : {}),
  });
  return { code, out, err: err.join(''), opened };
}

describe('16. pboc-incident ledger export', () => {
  it('a path with no store exits non-zero and creates nothing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'missing.db');
    const err: string[] = [];
    const code = await runCli(['ledger', 'export', '--from', '2026-12-01', '--to', '2026-12-01', '--format', 'csv'], {
      stdin: (async function* () {})(), stdout: () => undefined, stderr: (s) => void err.push(s), nowMs: 0, env: { SQLITE_PATH: path },
    });
    expect(code).toBe(1);
    expect(err.join('')).toContain(`no store at ${path}`);
    expect(existsSync(path)).toBe(false);
  });

  it('--format xlsx without --out refuses to write binary to a terminal, before opening the store', async () => {
    const chat = await nightIncident();
    const r = await exportOf(chat, ['--from', '2026-12-01', '--to', '2026-12-01', '--format', 'xlsx'], true);
    expect(r.code).toBe(2);
    expect(r.err).toContain('give --out FILE');
    expect([r.out, r.opened]).toEqual([[], 0]);
  });

  it('--by occurrence (default) and --by report filter on different times', async () => {
    const chat = await nightIncident();
    const day = ['--from', '2026-12-01', '--to', '2026-12-01', '--format', 'csv'];
    expect(parseCsv(String((await exportOf(chat, day)).out[0]))).toEqual([]);
    const byReport = parseCsv(String((await exportOf(chat, [...day, '--by', 'report'])).out[0]));
    expect(byReport.map((r) => [r.occurredAt, r.reportedAt, r.channel, r.pbocContact])).toEqual([['2026-11-30T23:50:00+08:00', '2026-12-01T00:20:00+08:00', '电话', '李四']]);
    const byOccurrence = parseCsv(String((await exportOf(chat, ['--from', '2026-11-30', '--to', '2026-11-30', '--format', 'csv'])).out[0]));
    expect(byOccurrence.map((r) => r.reportId)).toEqual(['R1']);
    expect((await exportOf(chat, [...day, '--by', 'sent'])).err).toContain('--by: expected occurrence or report');
  });

  it('a content with line breaks stays one CSV field, read back whole by any RFC 4180 reader', async () => {
    const chat = await nightIncident();
    const r = await exportOf(chat, ['--from', '2026-11-30', '--to', '2026-11-30', '--format', 'csv']);
    const text = String(r.out[0]);
    // The content field is quoted, so its LFs are inside quotes (Excel and Python's csv read one record).
    expect(text).toContain(',"示例城市商业银行关于“夜间批处理失败”网络安全事件的事发简要报告\n报告时间：2026-12-01 00:20');
    const [row] = parseCsv(text);
    expect(row!.summary.split('\n').length).toBeGreaterThan(3);
    expect(row!.summary).toContain('报告时间：2026-12-01 00:20');
  });

  it('XLSX times are Excel date cells showing Beijing time', async () => {
    const chat = await nightIncident();
    const r = await exportOf(chat, ['--from', '2026-11-30', '--to', '2026-11-30', '--format', 'xlsx']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.out[0] as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const cell = ws.getRow(2).getCell(header.indexOf('报告时间') + 1);
    expect(cell.value).toBeInstanceOf(Date);
    // Excel cells carry no zone: the cell's clock reads 00:20, as in Beijing.
    expect((cell.value as Date).toISOString()).toBe('2026-12-01T00:20:00.000Z');
    expect(cell.numFmt).toBe('yyyy-mm-dd hh:mm');
  });
});

describe('17. a drill keeps its own ledger, and every drill document says 【演练】', () => {
  it('the drill ledger shows the drill report; drafts, ledger content and DOCX are marked', async () => {
    const chat = await nightIncident({ drill: true });
    await chat.say('/incident ledger 2026-11-01 2026-12-01').expectReply(/DRILL-20261201-01 夜间批处理失败.*2026-11-30 23:50.*电话.*李四/);
    await chat.say('/incident draft brief').expectReply(/^【演练】/m);
    await chat.say('/incident resolve');
    const s = (await chat.bot.load('DRILL-20261201-01'))!;
    expect(s.reports[0]!.summary!.startsWith('【演练】')).toBe(true);
    const docx = await finalReportDocx(s, chat.clock.ms, botConfig().institution, 'zh-CN');
    expect(docxParagraphs(readZip(Buffer.from(docx)).get('word/document.xml')!.toString('utf8')).some((p) => p.includes('【演练】'))).toBe(true);
  });

  it('the real ledger never shows it', async () => {
    const real = await nightIncident();
    const drillOnly = await FakeChat.start('2026-12-01T00:30:00+08:00', { drill: true, store: real.store });
    await drillOnly.say('/incident ledger 2026-11-01 2026-12-01').expectReply('没有事件');
  });
});
