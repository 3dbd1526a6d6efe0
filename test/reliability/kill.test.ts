import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'pboc-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The console bot as a child process, fed line by line, whose output we can wait on. */
class BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  out = '';
  /** clock: where the bot's clock starts (BOT_CLOCK_START), so a restart can come after time has passed. */
  constructor(clock: string) {
    const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'bot.db'), STORE_CREATE: '1', TICK_SECONDS: '3600', BOT_CLOCK_START: clock };
    delete env.REDIS_URL;
    this.child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env });
    this.child.stdout.on('data', (b: Buffer) => { this.out += b.toString(); });
  }
  async waitFor(pattern: RegExp, from = 0): Promise<string> {
    for (let i = 0; i < 1000; i++) { // up to 50 s: the child transpiles TypeScript at start
      const slice = this.out.slice(from);
      if (pattern.test(slice)) return slice;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${pattern}; output so far:\n${this.out}`);
  }
  async say(line: string, expect: RegExp): Promise<string> {
    const from = this.out.length;
    this.child.stdin.write(`${line}\n`);
    return this.waitFor(expect, from);
  }
  kill(): Promise<unknown> {
    return new Promise((r) => { this.child.once('exit', r); this.child.kill('SIGKILL'); });
  }
  async end(): Promise<number | null> {
    this.child.stdin.end();
    return new Promise((r) => this.child.once('exit', (code) => r(code)));
  }
}

describe('the bot process is killed (SIGKILL) mid-incident and restarted', () => {
  it('keeps the incident, the conversation and the pending reminders; the missed reminder goes out once', async () => {
    // 10:00: 较大 from the moment it is recorded, so the brief is due at 11:00 and its 30-minutes-before reminder at 10:30.
    const first = new BotProcess('2026-11-30T10:00:00+08:00');
    await first.say('/incident new 勒索病毒攻击', /事件是什么时候发生的/);
    await first.say('30分钟前', /受影响的人民银行业务领域网络/);
    await first.say('/incident set ransomwareHarm 是', /较大（三级）/);
    await first.kill();

    // The bot was down from 10:00 to 10:40: the 10:30 reminder fell due meanwhile, unsent.
    const second = new BotProcess('2026-11-30T10:40:00+08:00');
    const reminder = await second.waitFor(/⏰ INC-\d{8}-01 勒索病毒攻击：事发简要报告[\s\S]*补发/);
    expect(reminder.match(/⏰/g)).toHaveLength(1);
    await second.say('/incident status', /较大（三级）/);
    // The question that was open when the first process died still takes the answer.
    await second.say('网上银行', /主要功能/);
    await second.kill();

    const third = new BotProcess('2026-11-30T10:41:00+08:00'); // before the 10:50 reminder
    await third.say('/incident status', /较大（三级）/);
    expect(await third.end()).toBe(0);
    expect(third.out).not.toContain('⏰');
  }, 180_000); // three bot processes, each transpiling at start
});
