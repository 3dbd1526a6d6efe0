import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'pboc-console-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The bot's clock is chosen (BOT_CLOCK_START), never the machine's: a Monday morning, a working day.
const CLOCK = '2026-11-30T10:00:00+08:00';

/** Runs `npm start`'s entry with piped stdin, the way a script would. */
function run(lines: string[], extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'console.db'), STORE_CREATE: '1', BOT_CLOCK_START: CLOCK, ...extraEnv };
  delete env.REDIS_URL; // the console default is the embedded SQLite file
  delete env.SLACK_BOT_TOKEN;
  delete env.FEISHU_APP_ID;
  return spawnSync(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { input: `${lines.join('\n')}\n`, env, encoding: 'utf8', timeout: 60_000 });
}

describe('console adapter over stdin/stdout', () => {
  it('holds the conversation from piped stdin, exits cleanly at end of input, and keeps everything across a restart', () => {
    const first = run(['/incident new 网银登录失败', '30分钟前', '网上银行', '是', '30分钟前', '尚未恢复', '85%', '1', '12万']);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('已新建事件 INC-20261130-01');
    expect(first.stderr).toContain("clock: BOT_CLOCK_START moves the bot's clock to 2026-11-30 10:00");
    expect(first.stdout).toContain('较大（三级）');
    expect(first.stdout).toContain('第九条第（二）项');
    // T0: the count was recorded at 10:00 (plus the seconds the run took), so the brief is due at 11:00.
    expect(first.stdout).toMatch(/事发简要报告 {2}2026-11-30 11:0\d （北京时间） {2}还剩 (59分钟|1小时)/);
    expect(first.stderr).toContain('institution config: bundled example');

    const second = run(['/incident status', '/incident report brief via fax', '/事件 确认 R1 电话 张三', '/incident draft final docx'], { REPORTS_DIR: join(dir, 'reports') });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('较大（三级）');
    expect(second.stdout).toContain('已记录 R1');
    expect(second.stdout).toContain('已记录：经电话与张三确认人民银行已收悉 R1');
    // The written post-incident report is saved as a Word file and the path printed.
    const saved = /📎 INC-\d{8}-01 事后调查总结报告（Word，待签发盖章）: (\S+\.docx)/.exec(second.stdout);
    expect(saved).not.toBeNull();
    expect(readFileSync(saved![1]!).subarray(0, 2).toString()).toBe('PK');
  });

  it('a bad BOT_CLOCK_START stops start-up naming the setting', () => {
    const r = run(['/incident help'], { BOT_CLOCK_START: 'yesterday' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('BOT_CLOCK_START="yesterday" is not a time');
  });

  it('refuses to start on a bad institution file, naming the field', () => {
    const r = run(['/incident help'], { INSTITUTION_CONFIG: join(dir, 'missing.yaml') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('INSTITUTION_CONFIG=');
    expect(r.stderr).toContain('file not found');
  });
});

describe('graceful shutdown', () => {
  it('SIGTERM stops input, finishes, closes the store and exits 0', async () => {
    const { spawn } = await import('node:child_process');
    const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'term.db'), STORE_CREATE: '1', BOT_CLOCK_START: CLOCK };
    delete env.REDIS_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    child.stdin.write('/incident new 关停测试\n');
    // Up to 50 s for the child to start and answer (tsx transpiles first; a loaded machine is slow).
    for (let i = 0; i < 2000 && !out.includes('已新建事件'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(out).toContain('已新建事件');
    const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
    expect(code).toBe(0);
    expect(err).toContain('SIGTERM: shutting down');
    // The WAL was checkpointed and closed: the incident is readable by a fresh process.
    const again = run(['/incident list'], { SQLITE_PATH: join(dir, 'term.db') });
    expect(again.stdout).toContain('关停测试');
  });
});
