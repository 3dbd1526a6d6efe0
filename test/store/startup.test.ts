// Start-up refuses a store it cannot use, before any "ready" line, with a message naming SQLITE_PATH and the cause in
// plain words. Each case spawns the real bot on a tmp SQLite file.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedgerStore } from '../../src/store/open.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-startup-'));
chmodSync(dir, 0o755);
afterAll(() => {
  chmodAll(dir);
  rmSync(dir, { recursive: true, force: true });
});
function chmodAll(d: string) {
  try { chmodSync(d, 0o777); } catch { /* gone */ }
}

const root = process.getuid?.() === 0; // root writes read-only files: the read-only cases run the bot as nobody
const CLOCK = '2026-11-30T10:00:00+08:00';
const slackEnv = { SLACK_BOT_TOKEN: 'xoxb-startup-test', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef', SLACK_API_URL: 'http://127.0.0.1:1/api/', PORT: '0' };

interface Run { code: number | null; out: string }

function startBot(env: Record<string, string>, o: { asNobody?: boolean } = {}): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK|FEISHU|DINGTALK|WECOM)_|^REDIS_URL$|^STORE_CREATE$/.test(k)));
  const full = { ...clean, BOT_CLOCK_START: CLOCK, TICK_SECONDS: '3600', ...env } as NodeJS.ProcessEnv;
  const args = ['--import', 'tsx', resolve('adapters/main.ts')];
  const nobody = o.asNobody === true && root;
  const child = nobody
    ? spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], { env: { ...full, HOME: dir } })
    : spawn(process.execPath, args, { env: full });
  let out = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
  child.stdin.end();
  return new Promise((res) => child.on('close', (code) => res({ code, out })));
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A store made by init, in a directory of its own. */
async function initStore(name: string): Promise<{ d: string; path: string }> {
  const d = join(dir, name);
  mkdirSync(d);
  chmodSync(d, 0o777);
  const path = join(d, 'ledger.db');
  const opened = await openLedgerStore({ SQLITE_PATH: path }, { mode: 'init', nowMs: Date.parse(CLOCK) });
  await opened.store.close();
  return { d, path };
}

function expectRefused(r: Run, path: string, cause: RegExp): void {
  expect(r.code, r.out).toBe(1);
  expect(r.out).toContain(`${path} (SQLITE_PATH)`);
  expect(r.out).toMatch(cause);
  expect(r.out).not.toMatch(/\bready\b/i);
  expect(r.out).not.toMatch(/^\s+at /m); // no stack trace
  expect(r.out).not.toMatch(/store: sqlite/); // refused before the start-up line
}

describe('start-up refuses a store it cannot use, before "ready"', () => {
  it('a missing file is refused, named by its absolute path with the init command, and not created', async () => {
    const path = join(dir, 'missing', 'ledger.db');
    const r = await startBot({ ...slackEnv, SQLITE_PATH: path });
    expectRefused(r, path, /no store at .*there is no such file.*pboc-incident init.*STORE_CREATE=1/);
    expect(existsSync(path)).toBe(false);
  }, 60_000);

  it('a zero-length file is refused (an empty file is not a ledger)', async () => {
    const path = join(dir, 'empty.db');
    writeFileSync(path, '');
    const r = await startBot({ ...slackEnv, SQLITE_PATH: path });
    expectRefused(r, path, /the file is empty \(zero bytes\).*pboc-incident init/);
    expect(statSync(path).size).toBe(0);
  }, 60_000);

  it('a read-only file is refused', async () => {
    const { path } = await initStore('ro-file');
    chmodSync(path, 0o444);
    const before = sha(path);
    const r = await startBot({ ...slackEnv, SQLITE_PATH: path }, { asNobody: true });
    expectRefused(r, path, /read-only/);
    expect(sha(path)).toBe(before);
  }, 60_000);

  it('a read-only directory (no room for the -wal and -shm files) is refused', async () => {
    const { d, path } = await initStore('ro-dir');
    chmodSync(path, 0o666);
    chmodSync(d, 0o555);
    try {
      const r = await startBot({ ...slackEnv, SQLITE_PATH: path }, { asNobody: true });
      expectRefused(r, path, /directory/);
    } finally {
      chmodSync(d, 0o777);
    }
  }, 60_000);

  it('garbage bytes and a text file are refused as not a database, and left as they were', async () => {
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, randomBytes(8192));
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'incident notes, not a database\n'.repeat(100));
    for (const path of [garbage, text]) {
      const before = sha(path);
      const r = await startBot({ ...slackEnv, SQLITE_PATH: path });
      expectRefused(r, path, /not a SQLite database/);
      expect(sha(path)).toBe(before);
    }
  }, 120_000);

  it('a truncated copy of a ledger is refused as corrupt', async () => {
    const { path } = await initStore('truncated');
    const opened = await openLedgerStore({ SQLITE_PATH: path }, { nowMs: Date.parse(CLOCK) });
    for (let i = 1; i <= 200; i++) {
      const id = `INC-20261130-${String(i).padStart(2, '0')}`;
      await opened.store.append(id, 0, [{ type: 'opened', title: 'x'.repeat(400) }, { type: 'note', text: 'y'.repeat(400) }], { id, conversation: 'console:c', open: true, createdAtMs: i });
    }
    await opened.store.close();
    const copy = join(dir, 'truncated-copy.db');
    copyFileSync(path, copy);
    truncateSync(copy, Math.floor(statSync(copy).size / 2 / 4096) * 4096);
    const r = await startBot({ ...slackEnv, SQLITE_PATH: copy });
    expectRefused(r, copy, /corrupt/);
  }, 60_000);

  it("another application's SQLite database is refused, and not written to", async () => {
    const path = join(dir, 'other-app.db');
    const db = new Database(path);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    const before = sha(path);
    const r = await startBot({ ...slackEnv, SQLITE_PATH: path });
    expectRefused(r, path, /a SQLite database of something else \(tables: customers\)/);
    expect(sha(path)).toBe(before);
  }, 60_000);
});

describe('creating a store is explicit', () => {
  it('the console run creates one on its first start, loudly, and later starts open the same one', async () => {
    const path = join(dir, 'console', 'ledger.db');
    const first = await startBot({ SQLITE_PATH: path });
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain(`NEW STORE: created a new, empty ledger at ${path} (SQLITE_PATH)`);
    const id = /identity ([0-9a-f]{8}) \(first-start\), 0 incidents, last none yet/.exec(first.out)?.[1];
    expect(id, first.out).toBeDefined();
    const again = await startBot({ SQLITE_PATH: path });
    expect(again.code, again.out).toBe(0);
    expect(again.out).not.toContain('NEW STORE');
    expect(again.out).toContain(`store: sqlite (${path} (SQLITE_PATH)); identity ${id} (first-start)`);
  }, 120_000);

  it('with a chat platform, STORE_CREATE=1 is the explicit step', async () => {
    const path = join(dir, 'deploy', 'ledger.db');
    const r = await startBot({ ...slackEnv, SQLITE_PATH: path, STORE_CREATE: '1', TICK_SECONDS: 'abc' }); // a bad setting stops it right after the store
    expect(r.out).toContain(`NEW STORE: created a new, empty ledger at ${path} (SQLITE_PATH)`);
    expect(existsSync(path)).toBe(true);
  }, 60_000);
});
