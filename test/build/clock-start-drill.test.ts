// The compiled build (npm start → dist/) in drill mode: an outage typed late starts its clocks at the instant the
// criterion was met, and a brief report already overdue says so at once.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('compiled drill: T0 of a late-typed outage', { timeout: 120_000 }, () => {
  it('an outage from 10:00 in 2 provinces at 90%, typed at 11:20: T0 10:15, brief due 11:15, overdue', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clock-start-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'real.db') };
      delete env.REDIS_URL;
      delete env.DRILL_START;
      const lines = ['/incident new 核心中断', '/incident set network 核心', '/incident set start 10:00', '/incident set provinces 2', '/incident set rate 90'];
      const r = spawnSync(process.execPath, ['bin/start.js', '--drill', '--at', '2026-12-04T11:20+08:00'], { input: `${lines.join('\n')}\n`, env, encoding: 'utf8', timeout: 90_000 });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('等级由一般升为较大（2026-12-04 10:15 达到标准）');
      expect(r.stdout).toContain('时限起算（T0）：2026-12-04 10:15');
      expect(r.stdout).toContain('中断 10:00 起，两省整体中断，10:15 达到第九条第（一）项 15分钟 → 简要报告截止 11:15（已逾期 5分钟）');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
