// `npm start` with WEB_PORT set: the page listens, `/incident web` in the console prints a link that signs in,
// and the process still exits when its input ends. A bad WEB_SECRET stops start-up naming the variable.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SECRET } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-web-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'main.db'), STORE_CREATE: '1', ...extra };
  delete e.REDIS_URL;
  delete e.SLACK_BOT_TOKEN;
  delete e.FEISHU_APP_ID;
  return e;
}

describe('composition root with WEB_PORT', () => {
  it('serves the page and signs in by the link the console prints', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env: env({ WEB_PORT: '0', WEB_SECRET: SECRET }) });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const until = async (f: () => boolean) => { for (let i = 0; i < 2400 && !f(); i++) await new Promise((r) => setTimeout(r, 25)); };
    await until(() => /web page: listening on http:\/\/127\.0\.0\.1:\d+/.test(err));
    child.stdin.write('/incident web\n');
    await until(() => /\/login\?t=\S+/.test(out));
    const link = /(http:\/\/127\.0\.0\.1:\d+\/login\?t=\S+)/.exec(out)![1]!;
    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(new URL('/now', link), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('未结束事件');
    const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.stdin.end(); });
    expect(code).toBe(0);
    expect(err).not.toContain(SECRET);
  }, 120_000);

  it('refuses to start with a short WEB_SECRET, naming it and not echoing it', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env: env({ WEB_PORT: '0', WEB_SECRET: 'tooshort-secret' }), input: '', encoding: 'utf8', timeout: 90_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('WEB_SECRET must be at least 32 characters');
    expect(r.stderr).not.toContain('tooshort-secret');
  }, 120_000);
});
