// Graceful shutdown (compiled build): SIGTERM in the middle of a burst of signed Feishu events from many chats. The bot
// stops being ready, closes its intake, finishes what it acknowledged, closes the store and exits 0; after a restart
// every event Feishu got its 200 for is in the record exactly once. With a drain deadline of 0 the work in hand is left
// in the durable inbox, and the restart resumes it: still nothing acknowledged is lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { runFeishuCrash } from '../fakes/feishu-crash.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-sigterm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const order = (log: string, ...lines: RegExp[]) => lines.map((re) => log.search(re));

describe('SIGTERM under load (Feishu over HTTP, SQLite, compiled build)', () => {
  it('drains what it acknowledged before exiting 0: nothing acknowledged lost, nothing left pending, nothing twice', async () => {
    const path = join(dir, 'drain.db');
    const f = await runFeishuCrash({ storeEnv: { SQLITE_PATH: path }, openStore: async () => createSqliteStore(path), signal: 'SIGTERM', compiled: true, env: { SHUTDOWN_DRAIN_MS: '60000' } });
    expect(f.firstExit).toEqual({ code: 0, signal: null });
    expect(f.acknowledged).toBeGreaterThanOrEqual(70); // stopped mid-burst, not before it
    expect(f.acknowledged).toBeLessThan(200);
    expect(f.missing).toEqual([]);
    expect(f.duplicated).toEqual([]);
    expect(f.pendingAtRestart).toBe(0); // drained before the exit
    // Not ready first, the intake closed, then the store closed, then the exit.
    const [notReady, done] = order(f.firstLog, /SIGTERM: shutting down: not ready; closing feishu; draining within 60000 ms/, /shutdown: done/);
    expect(notReady).toBeGreaterThanOrEqual(0);
    expect(done).toBeGreaterThan(notReady!);
  }, 300_000);

  it('with SHUTDOWN_DRAIN_MS=0 it exits at once; what it acknowledged stays in the inbox and the restart records it', async () => {
    const path = join(dir, 'nodrain.db');
    const f = await runFeishuCrash({ storeEnv: { SQLITE_PATH: path }, openStore: async () => createSqliteStore(path), signal: 'SIGTERM', compiled: true, env: { SHUTDOWN_DRAIN_MS: '0' } });
    expect(f.firstExit.signal).toBeNull();
    expect(f.acknowledged).toBeGreaterThanOrEqual(70);
    expect(f.missing).toEqual([]);
    expect(f.duplicated).toEqual([]);
  }, 300_000);
});
