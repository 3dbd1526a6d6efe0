import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-drill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runDrill(args: string[], lines: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'real.db'), ...extraEnv };
  delete env.REDIS_URL;
  if (!('DRILL_START' in extraEnv)) delete env.DRILL_START;
  return spawnSync(process.execPath, ['--import', 'tsx', 'adapters/main.ts', '--drill', ...args], { input: `${lines.join('\n')}\n`, env, encoding: 'utf8', timeout: 60_000 });
}
const drillPosts = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('[drill '));

// Each case spawns the bot (tsx transpiles at start): generous timeouts for a loaded 2-core machine.
describe('drills start when you choose (--at, DRILL_START, /drill at before the first incident)', { timeout: 120_000 }, () => {
  it('/drill at a past moment, then an incident: brief-report reminders in drill time, the overdue one included', () => {
    const r = runDrill([], ['/drill at 2026-03-10T10:00+08:00', '/incident new 勒索病毒攻击', '/incident set ransomwareHarm yes', '/drill advance 90m']);
    expect(r.status).toBe(0);
    const posts = drillPosts(r.stdout);
    expect(posts.map((p) => p.slice(0, 24))).toEqual(['[drill 2026-03-10 10:30]', '[drill 2026-03-10 10:50]', '[drill 2026-03-10 11:00]', '[drill 2026-03-10 11:30]']);
    expect(posts.every((p) => p.includes('事发简要报告'))).toBe(true);
    expect(posts[2]).toMatch(/现在到期/); // the ladder's first rung, at the deadline
    expect(posts[3]).toMatch(/已逾期 30分钟/); // its second
    expect(r.stdout).toContain('DRILL-20260310-01');
  });

  it('npm start -- --drill --at starts the clock there; the banner\'s examples are commands that work', () => {
    const r = runDrill(['--at', '2026-09-30T16:30'], ['/drill now']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('演练模式：模拟时钟 2026-09-30 16:30');
    const banner = r.stdout.split('\n').find((l) => l.startsWith('演练模式'))!;
    const example = /\/drill at (\S+?)；/.exec(banner)![1]!;
    expect(example).toBe('2026-09-30T17:30');
    const r2 = runDrill([`--at=${/--at (\S+)$/.exec(banner)![1]}`], [`/drill at ${example}`, '/drill advance 45m']);
    expect(r2.status).toBe(0);
    expect(r2.stdout).toContain('演练时间 2026-09-30 17:30');
    expect(r2.stdout).toContain('演练时间 2026-09-30 18:15');
    expect(r2.stdout).not.toContain('✗');
  });

  it('DRILL_START sets the start; a bad one stops start-up naming the setting', () => {
    const r = runDrill([], ['/drill now'], { DRILL_START: '2031-01-01 08:00' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('演练时间 2031-01-01 08:00');
    const bad = runDrill(['--at', '2026-13-45T25:00'], []);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--at "2026-13-45T25:00" is not a time: use e\.g\. --at 2026-09-30T16:30/);
  });

  it('once the drill has an incident, going back is refused with why and how to start over; nothing changes', () => {
    const r = runDrill(['--at', '2026-09-30T16:30'], ['/drill at 2026-09-29T09:00', '/drill at 2026-09-30T16:30', '/incident new 测试', '/drill at 2026-09-30T09:00', '/drill now']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('演练时间 2026-09-29 09:00');
    expect(r.stdout).toContain('✗ 演练已有事件，演练时钟只能向前（现在是 2026-09-30 16:30）');
    expect(r.stdout).toContain('npm start -- --drill --at 2026-09-30T09:00');
    expect(r.stdout.trimEnd().split('\n').filter((l) => l.startsWith('演练时间')).at(-1)).toBe('演练时间 2026-09-30 16:30');
  });
});

describe('drill mode (npm start -- --drill), scripted through stdin', { timeout: 120_000 }, () => {
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

  it('a 重大 outage escalating as simulated time passes, through stdin and stdout', () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.REDIS_URL;
    const lines = ['/drill at 2026-11-30T09:00', '/incident new 核心系统中断', '09:00', '核心银行系统', '是', '09:00', '尚未恢复', '95%', '2', '/drill advance 100m', '/incident status'];
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'adapters/main.ts', '--drill'], { input: `${lines.join('\n')}\n`, env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('若未恢复，将于 2026-11-30 09:15（15分钟后）升为较大');
    expect(r.stdout).toContain('[drill 2026-11-30 09:15] ⚠ DRILL-20261130-01 核心系统中断：等级由一般升为较大（2026-11-30 09:15 达到标准，第九条第（一）项）');
    expect(r.stdout).toContain('[drill 2026-11-30 10:30] ⚠ DRILL-20261130-01 核心系统中断：等级由较大升为重大（2026-11-30 10:30 达到标准，第八条第（一）项）');
    const status = r.stdout.slice(r.stdout.lastIndexOf('> /incident status'));
    expect(status).toContain('重大（二级）');
    expect(status).toMatch(/事中进展报告 {2}2026-11-30 12:30/);
  });
});
