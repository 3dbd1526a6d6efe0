import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/ledger/export.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { metaOf } from '../../src/incident/stored.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { fold } from '../../src/incident/state.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { FakeChat } from '../fakes/chat.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-ledger-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pboc-incident ledger export (the real bin, the bot\'s SQLite file)', () => {
  it('exports one row per report with the PBoC contact who confirmed it', async () => {
    const path = join(dir, 'bot.db');
    const chat = await FakeChat.start('2026-11-30T14:00:00+08:00', { store: createSqliteStore(path) });
    await chat.say('/incident new 勒索病毒攻击');
    await chat.say('/incident set ransomwareHarm 是');
    await chat.say('/incident report brief via email');
    chat.clock.advanceMinutes(15);
    await chat.say('/incident confirm R1 by phone contact 张三');
    await chat.say('/incident report incident via phone');
    await chat.store.close();

    const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: path };
    delete env.REDIS_URL;
    const r = spawnSync(process.execPath, ['bin/pboc-incident.js', 'ledger', 'export', '--from', '2026-11-30', '--to', '2026-11-30', '--format', 'csv'], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = parseCsv(r.stdout);
    expect(rows.map((x) => [x.incidentId, x.reportKind, x.channel, x.pbocContact])).toEqual([
      ['INC-20261130-01', '事发简要报告', '电子邮件', '张三'],
      ['INC-20261130-01', '事发报告', '电话', ''],
    ]);

    const bad = spawnSync(process.execPath, ['bin/pboc-incident.js', 'ledger', 'export', '--from', '2026-13-01', '--to', '2026-11-30', '--format', 'csv'], { env, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--from');
  });

  it('a report under CAC is a row of its own with the regime column, beside PBoC\'s; --by report keeps it by the time it was sent', async () => {
    const path = join(dir, 'regimes.db');
    const store = createSqliteStore(path);
    const T = (iso: string) => parseIso(iso);
    const events = [
      { type: 'created', id: 'INC-20261130-05', title: '客户信息泄露', conversation: 'slack:T1:C1', at: T('2026-11-30T09:00:00+08:00'), actor: 'slack:U1' },
      { type: 'grade-raised', from: null, to: '较大', effectiveAt: T('2026-11-30T09:00:00+08:00'), basis: [], at: T('2026-11-30T09:00:00+08:00'), actor: 'bot' },
      { type: 'report-submitted', reportId: 'R1', kind: 'brief', channel: 'phone', recipient: '中国人民银行上海总部', contact: '张三', at: T('2026-11-30T09:30:00+08:00'), actor: 'slack:U1' },
      { type: 'regime-report-submitted', reportId: 'R2', regime: 'cac', kind: 'initial', channel: '12387', recipient: '上海市委网信办', contact: '=李四', at: T('2026-12-01T09:50:00+08:00'), actor: 'slack:U1' },
    ] as IncidentEvent[];
    await store.append('INC-20261130-05', 0, events, metaOf(fold(events)));
    await store.close();
    const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: path };
    delete env.REDIS_URL;
    const run = (...args: string[]) => spawnSync(process.execPath, ['bin/pboc-incident.js', 'ledger', 'export', '--format', 'csv', ...args], { env, encoding: 'utf8' });
    const all = run('--from', '2026-11-30', '--to', '2026-11-30');
    expect(all.status).toBe(0);
    expect(all.stdout.split('\r\n')[0]!.endsWith(',监管机构')).toBe(true);
    expect(all.stdout).toContain("'=李四"); // a contact typed as a formula stays text
    expect(parseCsv(all.stdout).map((x) => [x.reportId, x.regime, x.reportKind, x.channel, x.recipient, x.pbocContact])).toEqual([
      ['R1', '人民银行', '事发简要报告', '电话', '中国人民银行上海总部', '张三'],
      ['R2', '网信部门', '初次报告', '12387', '上海市委网信办', '=李四'],
    ]);
    const dec1 = run('--from', '2026-12-01', '--to', '2026-12-01', '--by', 'report', '--lang', 'en');
    expect(dec1.status).toBe(0);
    expect(parseCsv(dec1.stdout).map((x) => [x.reportId, x.regime, x.reportKind])).toEqual([['R2', 'CAC', 'initial report']]);
  });
});
