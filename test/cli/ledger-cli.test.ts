import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/ledger/export.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
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
});
