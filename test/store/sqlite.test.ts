import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore, openStore } from '../../src/store/index.ts';
import { storeContract } from './contract.ts';

let dir = mkdtempSync(join(tmpdir(), 'pboc-store-'));
const dbPath = () => join(dir, 'nested', 'dir', 'pboc-incident.db'); // parent directories are created

storeContract(
  'sqlite',
  async () => createSqliteStore(dbPath()),
  async () => {
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'pboc-store-'));
  },
);

describe('sqlite store specifics', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('close and reopen the same file: everything is still there', async () => {
    const path = join(dir, 'reopen', 'ledger.db');
    const s1 = createSqliteStore(path);
    const meta = { id: 'INC-20261129-01', conversation: 'console:local', open: true, createdAtMs: 1000 };
    await s1.append(meta.id, 0, [{ type: 'opened' }, { type: 'fact', x: 1 }], meta);
    await s1.append('DRILL-1', 0, [{ type: 'opened' }], { ...meta, id: 'DRILL-1', drill: true, createdAtMs: 2000 });
    expect(await s1.nextSequence('INC-20261129')).toBe(1);
    await s1.markDone('remind:INC-20261129-01:2h');
    await s1.setWake(meta.id, 5000);
    await s1.setSession('console:local:me', { step: 1 }, 60_000, 0);
    expect(await s1.claim('lock', 60_000, 0)).toBe(true);
    const before = await s1.load(meta.id);
    await s1.close();
    await s1.close(); // idempotent
    expect(existsSync(path)).toBe(true);

    const s2 = createSqliteStore(path); // schema creation is idempotent
    expect(s2.kind).toBe('sqlite');
    expect(await s2.load(meta.id)).toEqual(before);
    expect(await s2.listOpen('console:local')).toEqual([meta, { ...meta, id: 'DRILL-1', drill: true, createdAtMs: 2000 }]);
    expect(await s2.listInRange(0, 10_000)).toEqual([meta]);
    expect(await s2.nextSequence('INC-20261129')).toBe(2);
    expect(await s2.isDone('remind:INC-20261129-01:2h')).toBe(true);
    expect(await s2.dueWakes(5000, 10)).toEqual([meta.id]);
    expect(await s2.getSession('console:local:me', 1)).toEqual({ step: 1 });
    expect(await s2.claim('lock', 60_000, 1)).toBe(false);
    expect(await s2.append(meta.id, 2, [{ type: 'closed' }], { ...meta, open: false })).toBe(3);
    await s2.close();
  });

  it('claim and session expiry follow the caller clock (nowMs), not the wall clock', async () => {
    const s = createSqliteStore(':memory:');
    expect(await s.claim('k', 100, 1_000)).toBe(true);
    expect(await s.claim('k', 100, 1_099)).toBe(false);
    expect(await s.claim('k', 100, 1_100)).toBe(true); // expired at nowMs + ttlMs
    expect(await s.claim('k', 100, 1_150)).toBe(false);
    await s.markDone('k');
    expect(await s.claim('k', 100, 10_000_000)).toBe(false);

    await s.setSession('sess', { a: 1 }, 100, 1_000);
    expect(await s.getSession('sess', 1_099)).toEqual({ a: 1 });
    expect(await s.getSession('sess', 1_100)).toBeNull();
    expect(await s.getSession('sess', 1_000)).toEqual({ a: 1 }); // nothing deleted by a read
    await s.close();
  });

  it('a file from before claims had owners: its claims still hold, and new ones carry an owner', async () => {
    const path = join(dir, 'old-claims', 'ledger.db');
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    old.exec('CREATE TABLE claims (key TEXT PRIMARY KEY, expires_at_ms INTEGER NOT NULL)');
    old.prepare('INSERT INTO claims (key, expires_at_ms) VALUES (?, ?)').run('held', 5_000);
    old.close();
    const s = createSqliteStore(path);
    expect(await s.claim('held', 100, 1_000, 'ticker-a')).toBe(false); // the old claim holds until 5 000
    expect(await s.claim('held', 100, 5_000, 'ticker-a')).toBe(true);
    expect(await s.renewClaim('held', 'ticker-a', 100, 5_050)).toBe(true);
    expect(await s.renewClaim('held', 'ticker-b', 100, 5_050)).toBe(false);
    expect(await s.renewClaim('held', 'ticker-a', 100, 5_149)).toBe(true); // renewed at 5 050: held until 5 150
    await s.close();
  });

  it('claim renewal follows the caller clock too', async () => {
    const s = createSqliteStore(':memory:');
    expect(await s.claim('k', 100, 1_000, 'a')).toBe(true);
    expect(await s.renewClaim('k', 'a', 100, 1_099)).toBe(true); // now held until 1 199
    expect(await s.claim('k', 100, 1_150, 'b')).toBe(false);
    expect(await s.renewClaim('k', 'a', 100, 1_199)).toBe(false); // expired at 1 199: too late
    expect(await s.claim('k', 100, 1_199, 'b')).toBe(true);
    expect(await s.renewClaim('k', 'a', 100, 1_200)).toBe(false);
    await s.close();
  });

  it('openStore picks SQLite at SQLITE_PATH when REDIS_URL is unset or empty (creating it only when told to)', async () => {
    const path = join(dir, 'open-store', 'x.db');
    await expect(openStore({ REDIS_URL: '', SQLITE_PATH: path })).rejects.toThrow(`no store at ${path} (SQLITE_PATH)`);
    expect(existsSync(path)).toBe(false);
    const s = await openStore({ REDIS_URL: '', SQLITE_PATH: path }, { mode: 'first-start' });
    expect(s.kind).toBe('sqlite');
    await s.close();
    expect(existsSync(path)).toBe(true);
  });
});
