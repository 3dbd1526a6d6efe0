// `pboc-incident dossier <id> --out FILE` on the compiled bin: the incident's dossier from a real SQLite store, every
// file in the manifest with the SHA-256 of what the ZIP holds; the report as sent, the confirmation, a correction
// with its reason, a reminder sent and the ledger row are in it; an unknown id or a missing --out exits 2.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaOf } from '../../src/incident/stored.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { fold } from '../../src/incident/state.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { parseCsvRecords } from '../../src/ledger/export.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-dossier-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'ledger.db');
const T = (iso: string) => parseIso(iso);

beforeAll(async () => {
  const store = createSqliteStore(db);
  const a = 'slack:U1';
  const events: IncidentEvent[] = [
    { type: 'created', id: 'INC-20261130-01', title: '网上银行登录失败 =HYPERLINK("x")', conversation: 'slack:T1:C1', at: T('2026-11-30T09:00:00+08:00'), actor: a },
    { type: 'fact-set', path: 'occurredAt', value: T('2026-11-30T08:20:00+08:00'), at: T('2026-11-30T09:00:00+08:00'), actor: a },
    { type: 'grade-raised', from: null, to: '较大', effectiveAt: T('2026-11-30T09:00:00+08:00'), basis: [{ article: 9, item: 2, grade: '较大', reason: '主要功能中断' }], at: T('2026-11-30T09:00:00+08:00'), actor: 'bot' },
    { type: 'report-submitted', reportId: 'R1', kind: 'brief', channel: 'email', recipient: '中国人民银行上海总部', summary: '事发简要报告正文：网银登录失败，影响约12万人。', at: T('2026-11-30T09:25:00+08:00'), actor: a },
    { type: 'reminder-sent', key: 'brief:due', late: false, at: T('2026-11-30T09:45:00+08:00'), actor: 'bot' },
    { type: 'receipt-confirmed', reportId: 'R1', channel: 'phone', contact: '张三', confirmedAt: T('2026-11-30T09:35:00+08:00'), at: T('2026-11-30T09:50:00+08:00'), actor: a },
    { type: 'regime-report-submitted', reportId: 'R2', regime: 'cac', kind: 'initial', channel: '12387', recipient: '上海市委网信办', contact: '李四', summary: '初次报告正文：网银登录失败，已隔离。', at: T('2026-11-30T09:55:00+08:00'), actor: a },
    { type: 'corrected', field: 'occurredAt', from: T('2026-11-30T08:20:00+08:00'), to: T('2026-11-30T08:10:00+08:00'), reason: '监控日志显示更早', at: T('2026-11-30T10:00:00+08:00'), actor: a },
  ] as IncidentEvent[];
  await store.append('INC-20261130-01', 0, events, metaOf(fold(events)));
  await store.close();
});

const cli = (args: string[]) => {
  const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: db };
  delete env.REDIS_URL;
  delete env.INSTITUTION_CONFIG;
  return spawnSync(process.execPath, ['bin/pboc-incident.js', 'dossier', ...args], { env, encoding: 'utf8', timeout: 90_000 });
};

describe('pboc-incident dossier', () => {
  it('writes the ZIP and prints its manifest; each file\'s SHA-256 is that of its content', async () => {
    const out = join(dir, 'dossier.zip');
    const r = cli(['INC-20261130-01', '--out', out, '--at', '2026-11-30T11:00+08:00']);
    expect(r.stderr).not.toContain('error');
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout) as { incident: string; files: Array<{ path: string; sha256: string; bytes: number }> };
    expect(printed.incident).toBe('INC-20261130-01');
    const zip = await JSZip.loadAsync(readFileSync(out));
    for (const f of printed.files) {
      const content = await zip.file(f.path)!.async('nodebuffer');
      expect(createHash('sha256').update(content).digest('hex'), f.path).toBe(f.sha256);
      expect(content.length).toBe(f.bytes);
    }
    const names = printed.files.map((f) => f.path);
    expect(names).toEqual(expect.arrayContaining(['timeline.html', 'reports/R1.txt', 'reports/R2.txt', 'obligations.json', 'reports/submissions.json', 'confirmations.json', 'corrections.json', 'reminders.json', 'ledger.csv', 'events.json', 'drafts/final.docx']));
    expect(await zip.file('reports/R1.txt')!.async('string')).toContain('事发简要报告正文：网银登录失败，影响约12万人。');
    expect(await zip.file('confirmations.json')!.async('string')).toContain('张三');
    expect(await zip.file('corrections.json')!.async('string')).toContain('监控日志显示更早');
    expect(await zip.file('reminders.json')!.async('string')).toContain('brief:due');
    const timeline = await zip.file('timeline.html')!.async('string');
    expect(timeline).toContain('INC-20261130-01 时间线');
    expect(timeline).not.toContain('<script');
    const ledger = await zip.file('ledger.csv')!.async('string');
    expect(ledger).toContain('张三');
    expect(ledger).not.toMatch(/[,\n]=HYPERLINK/); // a formula in user text is neutralised, as in every ledger export
    // A report under CAC is in the dossier beside PBoC's: its content, its submission, its ledger row with the regime.
    expect(await zip.file('reports/R2.txt')!.async('string')).toMatch(/^R2 网信部门 初次报告 · 12387 → 上海市委网信办\n2026-11-30 09:55 · 李四\n\n初次报告正文：网银登录失败，已隔离。/);
    expect(await zip.file('reports/submissions.json')!.async('string')).toContain('regime-report-submitted');
    const ledgerRows = parseCsvRecords(ledger);
    expect(ledgerRows[0]!.at(-1)).toBe('监管机构');
    expect(ledgerRows.slice(1).map((r) => [r[1], r[5], r.at(-1)])).toEqual(expect.arrayContaining([['R1', '事发简要报告', '人民银行'], ['R2', '初次报告', '网信部门']]));
    const obligations = JSON.parse(await zip.file('obligations.json')!.async('string')) as Array<{ regime: string; kind: string; dueAt: string | null; article: string; recipient: string }>;
    expect(obligations.length).toBeGreaterThan(0);
    expect(obligations[0]).toMatchObject({ regime: 'pboc', recipient: '中国人民银行或其分支机构' });
    expect(timeline).toContain('各监管机构的报告义务');
    const txt = await zip.file('manifest.txt')!.async('string');
    expect(txt.trim().split('\n')).toHaveLength(printed.files.length);
  }, 120_000);

  it('refuses an unknown incident and a missing --out, exit 2, writing nothing', () => {
    const unknown = cli(['INC-20991231-09', '--out', join(dir, 'x.zip')]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no incident INC-20991231-09');
    const noOut = cli(['INC-20261130-01']);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain('--out FILE is required');
  }, 120_000);
});
