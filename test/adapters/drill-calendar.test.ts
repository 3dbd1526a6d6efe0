// Art. 31(3): the bundled core-banking network peaks on working days only. Two drills across holidays
// show the outage clock counting peak minutes only where the official calendar says.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function drill(at: string, lines: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.REDIS_URL;
  delete env.INSTITUTION_CONFIG;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'adapters/main.ts', '--drill', '--at', at], { input: `${lines.join('\n')}\n`, env, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).not.toMatch(/Error/);
  expect(r.status).toBe(0);
  return r.stdout;
}

const raises = (out: string) => out.split('\n').filter((l) => l.startsWith('[drill ') && l.includes('⚠')).map((l) => l.slice(0, l.indexOf('达到标准') + 4));

describe('drills across holidays: peak minutes follow the calendar (Art. 31(3))', () => {
  it('2026-12-31 → 2027-01-04: nothing counts on 元旦 or the weekend, and the 2027 calendar is flagged provisional', () => {
    const out = drill('2026-12-31T16:00', [
      '/incident new 核心系统中断', '16:00', '核心银行系统', '是', '16:00', '尚未恢复', '95%', '2',
      '/drill at 2026-12-31T16:30',
      '/incident report brief via phone', '/incident report incident via phone',
      '/drill at 2027-01-02T23:00',
      '/incident status',
      '/drill at 2027-01-04T10:00',
    ]);
    // 60 peak minutes on 31 December (16:00-17:00); none on 1-3 January; 30 more from 09:00 on Monday 4 January.
    expect(raises(out)).toEqual([
      '[drill 2026-12-31 16:15] ⚠ DRILL-20261231-01 核心系统中断：等级由一般升为较大（2026-12-31 16:15 达到标准',
      '[drill 2027-01-04 09:30] ⚠ DRILL-20261231-01 核心系统中断：等级由较大升为重大（2027-01-04 09:30 达到标准',
    ]);
    const status = out.slice(out.indexOf('> /incident status'), out.indexOf('> /drill at 2027-01-04'));
    expect(status).toContain('较大（三级）');
    expect(status).toContain('若未恢复，将于 2027-01-04 09:30');
    expect(status).toMatch(/高峰时段.*暂定/);
  });

  it('2026-09-30 → 2026-10-10: 国庆 counts nothing, the make-up Saturday counts as a working day', () => {
    const out = drill('2026-09-30T16:40', [
      '/incident new 国庆前核心系统中断', '16:40', '核心银行系统', '是', '16:40', '尚未恢复', '95%', '1',
      '/drill at 2026-09-30T17:05',
      '/incident report brief via phone', '/incident report incident via phone',
      '/drill at 2026-10-08T08:00',
      '/incident status',
      '/drill at 2026-10-08T09:30',
      '/incident set outage.restored 2026-10-08 09:30',
      '/incident resolve 2026-10-08 09:30',
      '/drill at 2026-10-09T16:40',
      '/incident new 调休日核心系统中断', '16:40', '核心银行系统', '是', '16:40', '尚未恢复', '95%', '2',
      '/drill at 2026-10-09T17:05',
      '/incident report brief via phone', '/incident report incident via phone',
      '/drill at 2026-10-10T11:00',
    ]);
    expect(raises(out)).toEqual([
      // Institution rule core-20min (20 minutes in all), not the peak clock: 20 peak minutes are below Art. 9(1)'s 30.
      '[drill 2026-09-30 17:00] ⚠ DRILL-20260930-01 国庆前核心系统中断：等级由一般升为较大（2026-09-30 17:00 达到标准',
      // Nothing during 国庆 (1-7 October); restored at 09:30 on 8 October with 50 peak minutes, below 重大's 180.
      // Two provinces: 15 peak minutes by 16:55 on Friday 9 October.
      '[drill 2026-10-09 16:55] ⚠ DRILL-20261009-01 调休日核心系统中断：等级由一般升为较大（2026-10-09 16:55 达到标准',
      // 20 minutes on Friday, 70 more on the make-up Saturday from 09:00: 90 peak minutes at 10:10.
      '[drill 2026-10-10 10:10] ⚠ DRILL-20261009-01 调休日核心系统中断：等级由较大升为重大（2026-10-10 10:10 达到标准',
    ]);
    // During 国庆 the first outage stayed at 20 peak minutes: 重大 (180) would come only on 8 October.
    const status = out.slice(out.indexOf('> /incident status'), out.indexOf('> /incident set outage.restored'));
    expect(status).toContain('若未恢复，将于 2026-10-08 13:40');
    expect(status).not.toMatch(/暂定/);
  });
});
