// A ledger is never silently replaced: identity, high-water mark, explicit creation, a running
// bot refusing writes on a replaced store, and pruning that leaves the ledger byte-identical.
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/run.ts';
import { createBot } from '../../src/bot.ts';
import { toCsv } from '../../src/ledger/export.ts';
import { ledgerFromStore } from '../../src/ledger/ledger.ts';
import { openLedgerStore } from '../../src/store/open.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { DONE_WINDOW_MS, StoreReplacedError, type Store } from '../../src/store/types.ts';
import { botConfig, FakeChat, FixedClock } from '../fakes/chat.ts';
import { deleteKeys, describeRedis, uniquePrefix, url } from '../fakes/redis.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse('2026-11-30T10:00:00+08:00');
let n = 0;
const fresh = () => join(dir, `s${++n}`, 'ledger.db');

function chatOn(store: Store): { chat: FakeChat; logs: string[] } {
  const logs: string[] = [];
  const clock = new FixedClock(NOW);
  return { chat: new FakeChat(createBot({ store, config: botConfig(), now: clock.now, log: (m) => void logs.push(m) }), store, clock), logs };
}

describe('SQLite: identity, explicit creation, high-water mark', () => {
  it('opening is refused for a missing or empty store; init creates one and refuses a second time', async () => {
    const path = fresh();
    await expect(openLedgerStore({ SQLITE_PATH: path })).rejects.toThrow(`no store at ${path} (SQLITE_PATH): there is no such file. Run \`pboc-incident init\``);
    // A mistyped relative path is named absolute, so the operator sees where the bot looked.
    await expect(openLedgerStore({ SQLITE_PATH: relative(process.cwd(), path) })).rejects.toThrow(`no store at ${path} (SQLITE_PATH)`);

    const out: string[] = [];
    const err: string[] = [];
    const io = { stdin: (async function* () {})(), stdout: (s: string | Buffer) => void out.push(String(s)), stderr: (s: string) => void err.push(s), nowMs: NOW, env: { SQLITE_PATH: path } };
    expect(await runCli(['init', '--after', 'INC-20261130-03'], io)).toBe(0);
    const printed = JSON.parse(out.join('')) as { identity: string; short: string; lastId: string };
    expect(printed).toMatchObject({ created: `${path} (SQLITE_PATH)`, continuesAfter: 'INC-20261130-03', lastId: 'INC-20261130-03' });
    expect(err.join('')).toContain(`created a new, empty ledger at ${path} (SQLITE_PATH): identity ${printed.short}`);

    err.length = 0;
    expect(await runCli(['init'], io)).toBe(1);
    expect(err.join('')).toContain(`a store already exists at ${path} (SQLITE_PATH): identity ${printed.short} (init)`);
    expect(await runCli(['init', '--after', 'INC-1'], io)).toBe(2);

    // The new store continues after the id already reported, and the high-water mark follows each allocation.
    const opened = await openLedgerStore({ SQLITE_PATH: path });
    expect(opened.identity).toMatchObject({ id: printed.identity, how: 'init', createdAtMs: NOW });
    const { chat } = chatOn(opened.store);
    await chat.say('/incident new 网银中断').expectReply('INC-20261130-04');
    expect(await opened.store.summary()).toEqual({ incidents: 1, lastId: 'INC-20261130-04' });
    await opened.store.close();
  });

  it('a store from before identities, with incidents, is adopted once, loudly, keeping its high-water mark', async () => {
    const path = fresh();
    const old = createSqliteStore(path);
    const { chat } = chatOn(old);
    await chat.say('/incident new 网银中断').expectReply('INC-20261130-01');
    await chat.say('/incident new 支付中断').expectReply('INC-20261130-02');
    await old.close();

    const logs: string[] = [];
    const a = await openLedgerStore({ SQLITE_PATH: path }, { log: (m) => void logs.push(m) });
    expect(a.adopted).toBe(true);
    expect(a.summary).toEqual({ incidents: 2, lastId: 'INC-20261130-02' });
    expect(logs.join('\n')).toMatch(/STORE ADOPTED: .* holds 2 incidents \(last INC-20261130-02\) but had no identity/);
    await a.store.close();
    const b = await openLedgerStore({ SQLITE_PATH: path }, { log: (m) => void logs.push(m) });
    expect(b.identity.id).toBe(a.identity.id);
    expect(b.identity.how).toBe('adopted');
    expect(logs.filter((l) => l.includes('STORE ADOPTED'))).toHaveLength(1);
    await b.store.close();
  });

  it('a file replaced under the running bot: the user is told in their language, nothing is written, logged once', async () => {
    const path = fresh();
    const opened = await openLedgerStore({ SQLITE_PATH: path }, { mode: 'init', nowMs: NOW });
    const { chat, logs } = chatOn(opened.store);
    await chat.say('/incident new 网银中断').expectReply('INC-20261130-01');

    // Someone deletes the file (with its -wal and -shm) and a new, empty ledger appears at the same path.
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) unlinkSync(f);
    const other = await openLedgerStore({ SQLITE_PATH: path }, { mode: 'init', nowMs: NOW });
    await chat.say('/incident new 支付中断').expectError('存储已被替换或清空');
    await chat.say('/incident note 处理中').expectError('没有被记录');
    await expect(opened.store.nextSequence('INC-20261130')).rejects.toBeInstanceOf(StoreReplacedError);
    expect(await other.store.summary()).toEqual({ incidents: 0, lastId: null });
    expect(logs.filter((l) => l.startsWith('STORE REPLACED'))).toHaveLength(1);
    await chat.say('/incident lang en');
    await chat.say('/incident new Payments down').expectError('replaced or emptied since it started');
    await Promise.all([opened.store.close(), other.store.close()]);
  });
});

describe('prune: claims, sessions and done-markers go; the ledger stays byte-identical', () => {
  it('after a load of claims, prune removes the expired ones and leaves incidents, events, sequences and identity as they were', async () => {
    const path = fresh();
    const { store } = await openLedgerStore({ SQLITE_PATH: path }, { mode: 'init', nowMs: NOW });
    const { chat } = chatOn(store);
    await chat.say('/incident new 网银中断').expectReply('INC-20261130-01');
    await chat.say('13:40');
    await chat.say('/incident new 勒索病毒').expectReply('INC-20261130-02');
    for (let i = 0; i < 2000; i++) await store.claim(`feishu-event:${i}`, 60_000, NOW);
    await store.claim('live', 3_600_000, NOW + 60_000);
    for (let i = 0; i < 50; i++) await store.markDone(`feishu-event:done-${i}`);
    await store.setSession('old', { a: 1 }, 1000, NOW);

    const raw = new Database(path, { readonly: true });
    const dump = () => JSON.stringify(['incidents', 'events', 'sequences', 'store_identity', 'high_water', 'wakes'].map((t) => raw.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()));
    const csv = async () => toCsv(await ledgerFromStore(store, 0, NOW + 86_400_000));
    const [before, csvBefore] = [dump(), await csv()];

    expect(await store.prune(NOW + 120_000)).toEqual({ claims: 2000, sessions: expect.any(Number) as number, once: 0 });
    expect(raw.prepare('SELECT key FROM claims').all()).toEqual([{ key: 'live' }]);
    expect(await store.getSession('old', NOW + 120_000)).toBeNull();
    expect(await store.isDone('feishu-event:done-0')).toBe(true); // within its window
    // A window later the done-markers go too (they were stamped by the first prune).
    expect((await store.prune(NOW + 120_000 + DONE_WINDOW_MS)).once).toBe(50);
    expect(await store.isDone('feishu-event:done-0')).toBe(false);
    expect(dump()).toBe(before);
    expect(await csv()).toBe(csvBefore);
    raw.close();
    await store.close();
  });

  it('reopening a ledger this version made changes none of its bytes (no migration runs again)', async () => {
    const path = fresh();
    const s0 = createSqliteStore(path);
    await s0.writeIdentity({ id: 'a'.repeat(32), createdAtMs: NOW, how: 'init' });
    await s0.append('INC-20261130-01', 0, [{ type: 'created', at: NOW }], { id: 'INC-20261130-01', conversation: 'c', open: true, createdAtMs: NOW });
    await s0.close();
    const bytes = () => readFileSync(path).toString('base64');
    const before = bytes();
    for (let i = 0; i < 2; i++) await createSqliteStore(path).close();
    expect(bytes()).toBe(before);
    const s1 = createSqliteStore(path);
    expect((await s1.load('INC-20261130-01'))?.events).toHaveLength(1);
    await s1.close();
  });

  it('a file from before done-markers had a time gets the column, and its markers a full window from the first prune', async () => {
    const path = fresh();
    const s0 = createSqliteStore(path);
    await s0.close();
    const raw = new Database(path);
    // As such a file is: the old table, and no schema version in its header (those files never wrote one).
    raw.exec('DROP TABLE done; CREATE TABLE done (key TEXT PRIMARY KEY); INSERT INTO done (key) VALUES (\'old-marker\'); PRAGMA user_version = 0');
    raw.close();
    const s = createSqliteStore(path);
    expect(await s.isDone('old-marker')).toBe(true);
    expect((await s.prune(NOW)).once).toBe(0);
    expect((await s.prune(NOW + DONE_WINDOW_MS - 1)).once).toBe(0);
    expect((await s.prune(NOW + DONE_WINDOW_MS)).once).toBe(1);
    await s.close();
  });
});

describeRedis('Redis: identity and a store emptied under the running bot', () => {
  const prefixes: string[] = [];
  afterAll(async () => { for (const p of prefixes) await deleteKeys(p); });
  const prefix = () => { const p = uniquePrefix('safety'); prefixes.push(p); return p; };

  it('a Redis without the identity is refused; init --after continues the ids; FLUSH under the bot refuses writes instead of starting at -01', async () => {
    const p = prefix();
    await expect(openLedgerStore({ REDIS_URL: url }, { prefix: p })).rejects.toThrow(/no store at redis:\/\/127\.0\.0\.1:\d+\/? \(REDIS_URL\).*pboc-incident init/);
    const init = await openLedgerStore({ REDIS_URL: url }, { prefix: p, mode: 'init', after: 'INC-20261130-07', nowMs: NOW });
    await init.store.close();
    const opened = await openLedgerStore({ REDIS_URL: url }, { prefix: p });
    expect(opened.identity.id).toBe(init.identity.id);
    const { chat, logs } = chatOn(opened.store);
    await chat.say('/incident new 网银中断').expectReply('INC-20261130-08');
    expect(await opened.store.summary()).toEqual({ incidents: 1, lastId: 'INC-20261130-08' });

    await deleteKeys(p); // what FLUSHALL, or a restart without persistence, does
    await chat.say('/incident new 支付中断').expectError('存储已被替换或清空');
    const raw = createClient({ url });
    await raw.connect();
    const keys: string[] = [];
    for await (const batch of raw.scanIterator({ MATCH: `${p}*` })) keys.push(...batch.filter((k) => !k.includes('session:')));
    expect(keys).toEqual([]); // no sequence restarted, no incident written
    // A new identity written there (someone ran init on the empty Redis) is still not the store the bot opened.
    const other = await openLedgerStore({ REDIS_URL: url }, { prefix: p, mode: 'init', nowMs: NOW });
    await expect(opened.store.append('INC-20261130-09', 0, [{ type: 'x' }], { id: 'INC-20261130-09', conversation: 'c', open: true, createdAtMs: NOW })).rejects.toBeInstanceOf(StoreReplacedError);
    expect(logs.filter((l) => l.startsWith('STORE REPLACED'))).toHaveLength(1);
    await Promise.all([opened.store.close(), other.store.close(), raw.close()]);
  });

  it('prune gives done keys written before they expired their 35-day expiry, once', async () => {
    const p = prefix();
    const raw = createClient({ url });
    await raw.connect();
    await raw.set(`${p}done:feishu-event:legacy`, '1');
    const s = await createRedisStore(url, { prefix: p });
    await s.markDone('feishu-event:new');
    expect(await s.prune(NOW)).toEqual({ claims: 0, sessions: 0, once: 1 });
    expect(await raw.pTTL(`${p}done:feishu-event:legacy`)).toBeGreaterThan(DONE_WINDOW_MS - 60_000);
    expect(await s.isDone('feishu-event:legacy')).toBe(true);
    await Promise.all([s.close(), raw.close()]);
  });
});
