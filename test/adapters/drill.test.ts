import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-drill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('drill mode (npm start -- --drill), scripted through stdin', () => {
  it('moves a simulated clock, posts what fell due in time order, and keeps drill data out of the ledger', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'real.db') };
    delete env.REDIS_URL;
    const lines = [
      '/drill at 2026-11-30T09:00',
      '/incident new 勒索病毒攻击',
      '/incident skip',
      '/incident set ransomwareHarm 是',
      '/drill advance 45m',
      '/incident report brief via email',
      '/drill advance 20m',
      '/incident confirm R1 by phone contact 张三',
      '/drill advance 2h',
      '/drill at 2026-11-30T09:00',
    ];
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'adapters/main.ts', '--drill'], { input: `${lines.join('\n')}\n`, env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    const posts = r.stdout.split('\n').filter((l) => l.startsWith('[drill ')).map((l) => l.slice(0, 80));
    expect(posts.map((p) => p.slice(0, 24))).toEqual([
      '[drill 2026-11-30 09:30]', // brief T-30 (T0 09:00); it goes out at 09:45, so no T-10
      '[drill 2026-11-30 09:55]', // emailed 09:45: ask for the receipt confirmation 10 min later
    ]);
    expect(posts[1]).toContain('R1 事发简要报告（电子邮件');
    expect(r.stdout).toContain('DRILL-20261130-01');
    expect(r.stdout).toContain('演练时钟只能向前');
    // Nothing reached the real ledger file.
    if (existsSync(join(dir, 'real.db'))) {
      const store = createSqliteStore(join(dir, 'real.db'));
      expect(await store.listInRange(0, Number.MAX_SAFE_INTEGER, { includeDrill: true })).toEqual([]);
      await store.close();
    }
  });
});
