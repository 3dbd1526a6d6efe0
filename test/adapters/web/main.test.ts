// `npm start` (the compiled build in dist/, built once by the test setup) with HTTP_PORT and WEB_SECRET: one server
// for the page, the health route and the alert routes; `/incident web` in the console prints a link that signs in;
// 60 open incidents show as 50 with a next page. A missing asset stops start-up, naming the file, before anything
// listens; a bad WEB_SECRET stops it naming the variable; WEB_PORT alone still works and says it is an old name.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaOf } from '../../../src/incident/stored.ts';
import type { IncidentEvent } from '../../../src/incident/events.ts';
import { fold } from '../../../src/incident/state.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { createSqliteStore } from '../../../src/store/sqlite.ts';
import { SECRET } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pboc-web-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const START = '2026-11-30T09:00+08:00';

/** 60 open 较大 incidents in the console's conversation, opened over the hour before START. */
async function seed(path: string, n: number): Promise<void> {
  const store = createSqliteStore(path);
  for (let i = 0; i < n; i++) {
    const at = parseIso('2026-11-30T08:00:00+08:00') + i * 60_000;
    const id = `INC-20261130-${String(i + 1).padStart(2, '0')}`;
    const events: IncidentEvent[] = [
      { type: 'created', id, title: `网上银行登录失败 ${i + 1}`, conversation: 'console:local', at, actor: 'console:seed' },
      { type: 'fact-set', path: 'occurredAt', value: at, at, actor: 'console:seed' },
      { type: 'grade-raised', from: null, to: '较大', effectiveAt: at, basis: [{ article: 9, item: 2, grade: '较大', reason: '主要功能中断' }], at, actor: 'bot' },
    ];
    await store.append(id, 0, events, metaOf(fold(events)));
  }
  await store.close();
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'main.db'), STORE_CREATE: '1', BOT_CLOCK_START: START, ...extra };
  for (const k of ['REDIS_URL', 'SLACK_BOT_TOKEN', 'FEISHU_APP_ID', 'WECOM_BOT_ID', 'DINGTALK_CLIENT_ID', 'INSTITUTION_CONFIG', 'HTTP_PORT', 'WEB_PORT', 'WEB_SECRET']) if (!(k in extra)) delete e[k];
  return e;
}

function started(child: ChildProcessWithoutNullStreams) {
  const io = { out: '', err: '' };
  child.stdout.on('data', (b: Buffer) => { io.out += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { io.err += b.toString(); });
  const until = async (f: () => boolean, what: string) => {
    // Waits on the process's own output (each chunk wakes it), never on the machine's speed.
    while (!f()) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before ${what}:\n${io.err}`);
      await new Promise((r) => { child.stdout.once('data', r); child.stderr.once('data', r); child.once('exit', r); });
    }
  };
  return { io, until };
}

describe('npm start with HTTP_PORT and WEB_SECRET (the compiled build)', () => {
  beforeAll(() => seed(join(dir, 'main.db'), 60));

  it('serves the page and /healthz on the one HTTP server; the console\'s link signs in; 60 open incidents show as 50 and a next page', async () => {
    const child = spawn(process.execPath, ['bin/start.js'], { cwd: ROOT, env: env({ HTTP_PORT: '0', WEB_SECRET: SECRET }) });
    const { io, until } = started(child);
    try {
      await until(() => /web page: on http:\/\/127\.0\.0\.1:\d+/.test(io.err), 'the page listening');
      expect(io.err).toContain('http: listening on 127.0.0.1:');
      const port = /web page: on http:\/\/127\.0\.0\.1:(\d+)/.exec(io.err)![1]!;
      expect(io.err).toContain(`http: listening on 127.0.0.1:${port}`); // one server
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ ok: true });
      const css = await fetch(`http://127.0.0.1:${port}/static/app.css`);
      expect(css.status).toBe(200);
      expect(await css.text()).toContain('table');
      child.stdin.write('/incident web\n');
      await until(() => /\/login\?t=\S+/.test(io.out), 'the sign-in link');
      const link = /(http:\/\/127\.0\.0\.1:\d+\/login\?t=\S+)/.exec(io.out)![1]!;
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(303);
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(new URL('/now', link), { headers: { cookie } });
      expect(page.status).toBe(200);
      const body = await page.text();
      expect(body.match(/<section class="incident"/g)).toHaveLength(50);
      expect(body).toContain('第 1 / 2 页，共 60 起');
      expect(body).toContain('id="next-page" href="/now?page=2"');
      const second = await (await fetch(new URL('/now?page=2', link), { headers: { cookie } })).text();
      expect(second.match(/<section class="incident"/g)).toHaveLength(10);
      expect(second).toContain('id="prev-page"');
      const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.stdin.end(); });
      expect(code).toBe(0);
      expect(io.err).not.toContain(SECRET);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  }, 120_000);

  it('in drill mode too: the same server, the drill\'s incidents under the drill banner', async () => {
    const child = spawn(process.execPath, ['bin/start.js', '--drill', '--at', '2026-12-04T09:00+08:00'], { cwd: ROOT, env: env({ HTTP_PORT: '0', WEB_SECRET: SECRET }) });
    const { io, until } = started(child);
    try {
      await until(() => /web page: on http:\/\/127\.0\.0\.1:\d+/.test(io.err), 'the page listening');
      child.stdin.write('/incident new 演练：核心系统中断\n/incident web\n');
      await until(() => /\/login\?t=\S+/.test(io.out), 'the sign-in link');
      const link = /(http:\/\/127\.0\.0\.1:\d+\/login\?t=\S+)/.exec(io.out)![1]!;
      const res = await fetch(link, { redirect: 'manual' });
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      const body = await (await fetch(new URL('/now', link), { headers: { cookie } })).text();
      expect(body).toMatch(/<div id="drills">[\s\S]*DRILL-20261204-01/);
      expect(body).not.toContain('INC-2026'); // the real ledger is not the drill's
    } finally {
      await new Promise((resolve) => { child.once('exit', resolve); child.stdin.end(); });
    }
  }, 120_000);

  it('WEB_PORT alone is an alias of HTTP_PORT and says so', async () => {
    const child = spawn(process.execPath, ['bin/start.js'], { cwd: ROOT, env: env({ WEB_PORT: '0', WEB_SECRET: SECRET }) });
    const { io, until } = started(child);
    try {
      await until(() => /web page: on http:\/\/127\.0\.0\.1:\d+/.test(io.err), 'the page listening');
      expect(io.err).toContain('WEB_PORT is an old name of HTTP_PORT');
      expect(io.err.match(/listening on/g)).toHaveLength(1);
    } finally {
      await new Promise((resolve) => { child.once('exit', resolve); child.stdin.end(); });
    }
  }, 120_000);

  it('refuses to start with a short WEB_SECRET, naming it and not echoing it', () => {
    const r = spawnSync(process.execPath, ['bin/start.js'], { cwd: ROOT, env: env({ HTTP_PORT: '0', WEB_SECRET: 'tooshort-secret' }), input: '', encoding: 'utf8', timeout: 90_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('WEB_SECRET must be at least 32 characters');
    expect(r.stderr).not.toContain('tooshort-secret');
    expect(r.stderr).not.toContain('listening');
  }, 120_000);

  it('a build without the page\'s stylesheet stops before anything listens, naming the file (exit 1)', () => {
    // A copy of the compiled build with one asset removed, run directly (bin/start.js would rebuild a stale copy).
    const copy = mkdtempSync(join(dir, 'broken-'));
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    rmSync(join(copy, 'dist/adapters/web/static/app.css'));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    writeFileSync(join(copy, 'package.json'), '{"type":"module"}\n');
    const r = spawnSync(process.execPath, [join(copy, 'dist/adapters/main.js')], { cwd: copy, env: env({ HTTP_PORT: '0', WEB_SECRET: SECRET, SQLITE_PATH: join(copy, 'x.db') }), input: '', encoding: 'utf8', timeout: 90_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(copy, 'dist/adapters/web/static/app.css')} is missing from this build`);
    expect(r.stderr).not.toContain('listening');
  }, 120_000);
});
