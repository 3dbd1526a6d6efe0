// The tamper-evident event log: each event's chain value covers the one before it, verify recomputes the chains and
// names the first event where one breaks, and a log from before the chain gets one chain-start record, never rewritten.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHeads, parseHeads, verifyLedger } from '../../src/ledger/verify.ts';
import { headLogger } from '../../src/store/head-log.ts';
import { createRedisStore } from '../../src/store/redis.ts';
import { createSqliteStore, readSqliteSnapshot, writeSnapshotSqlite } from '../../src/store/sqlite.ts';
import type { IncidentMeta, Store } from '../../src/store/types.ts';
import { deleteKeys, describeRedis, uniquePrefix, url } from '../fakes/redis.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-chain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const AT = Date.parse('2026-12-01T02:00:00Z');
const meta = (id: string): IncidentMeta => ({ id, conversation: 'console:local', open: true, createdAtMs: AT });
const created = (id: string) => ({ type: 'created', id, title: '网银登录失败', conversation: 'console:local', at: AT, actor: 'console:ops' });
const fact = (n: number) => ({ type: 'fact-set', path: 'networks.0.outage.totalMinutes', value: n, at: AT + n, actor: 'console:ops' });
const report = (reportId: string) => ({ type: 'report-submitted', reportId, kind: 'initial', channel: 'phone', recipient: '人民银行', at: AT + 99, actor: 'console:ops' });

/** Two incidents through the store's own sequence and appends, with a report each. */
async function fill(s: Store): Promise<void> {
  await s.writeIdentity({ id: 'ab'.repeat(16), createdAtMs: AT, how: 'init' });
  for (const _ of [1, 2]) {
    const n = await s.nextSequence('INC-20261201');
    const id = `INC-20261201-0${n}`;
    await s.append(id, 0, [created(id), fact(1)], meta(id));
    await s.append(id, 2, [fact(2)]);
    await s.append(id, 3, [report(`R-${n}`)]);
  }
}

describe('the hash chain on SQLite', () => {
  it('verify passes on a whole ledger and names the first event where an edited copy breaks', async () => {
    const path = join(dir, 'whole.db');
    const s = createSqliteStore(path);
    await fill(s);
    const snap = await s.snapshot();
    expect(verifyLedger(snap)).toMatchObject({ ok: true, incidents: 2, events: 8, unchainedIncidents: 0, problems: [] });
    const heads = await s.chainHeads();
    expect(heads.map((h) => [h.id, h.version])).toEqual([['INC-20261201-01', 4], ['INC-20261201-02', 4]]);
    expect(heads[0]!.head).toBe(snap.incidents[0]!.events[3]!.chain);
    await s.close();

    const db = new Database(path);
    db.prepare("UPDATE events SET event_json = replace(event_json, '\"value\":2', '\"value\":200') WHERE incident_id = 'INC-20261201-02' AND seq = 3").run();
    db.close();
    const r = verifyLedger(readSqliteSnapshot(path));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ check: 'chain', incident: 'INC-20261201-02', seq: 3 })]);
    expect(r.problems[0]!.message).toMatch(/INC-20261201-02.*event 3/);
  });

  it('names duplicate report ids, gaps in versions, and ids past the high-water mark', async () => {
    const s = createSqliteStore(join(dir, 'bad.db'));
    await fill(s);
    await s.append('INC-20261201-02', 4, [report('R-1')]);
    await s.append('INC-20261201-07', 0, [created('INC-20261201-07'), fact(1), fact(2)], meta('INC-20261201-07')); // never allocated
    const snap = await s.snapshot();
    await s.close();
    snap.incidents[2]!.events.splice(1, 1); // event 2 of -07 gone
    const checks = verifyLedger(snap).problems.map((p) => `${p.check} ${p.incident}${p.seq ? ` ${p.seq}` : ''}`);
    expect(checks.sort()).toEqual(['high-water INC-20261201-07', 'report-id INC-20261201-02 5', 'sequence INC-20261201-07', 'versions INC-20261201-07 3']);
    expect(verifyLedger(snap, 'cd'.repeat(4)).problems.map((p) => p.check)).toContain('identity');
  });

  it('a log from before the chain gets one chain-start record at its next append; its old events stay as written', async () => {
    const path = join(dir, 'legacy.db');
    const s = createSqliteStore(path);
    await fill(s);
    await s.close();
    // As an older version wrote it: no chain values, no chain-start records.
    let db = new Database(path);
    db.exec('UPDATE events SET chain = NULL; DELETE FROM chain_starts;');
    const before = db.prepare('SELECT incident_id, seq, event_json FROM events ORDER BY incident_id, seq').all();
    db.close();
    expect(verifyLedger(readSqliteSnapshot(path))).toMatchObject({ ok: true, unchainedIncidents: 2 });

    const s2 = createSqliteStore(path);
    await s2.append('INC-20261201-01', 4, [fact(3)]);
    await s2.close();
    const snap = readSqliteSnapshot(path);
    expect(snap.incidents[0]!.chainStart).toMatchObject({ afterSeq: 4 });
    expect(snap.incidents[0]!.events.map((e) => e.chain === null)).toEqual([true, true, true, true, false]);
    expect(verifyLedger(snap)).toMatchObject({ ok: true, unchainedIncidents: 1 });
    db = new Database(path);
    expect(db.prepare('SELECT incident_id, seq, event_json FROM events WHERE seq <= 4 ORDER BY incident_id, seq').all()).toEqual(before);
    db.prepare("UPDATE events SET event_json = replace(event_json, '网银', '手机') WHERE incident_id = 'INC-20261201-01' AND seq = 1").run();
    db.close();
    expect(verifyLedger(readSqliteSnapshot(path)).problems).toEqual([expect.objectContaining({ check: 'chain-start', incident: 'INC-20261201-01', seq: 4 })]);
  });

  it('the head log names only the incidents changed since its last entry', async () => {
    const s = createSqliteStore(':memory:');
    await fill(s);
    const lines: string[] = [];
    const logger = headLogger(s, (m) => lines.push(m));
    expect(await logger.run()).toBe(2);
    expect(await logger.run()).toBe(0);
    await s.append('INC-20261201-02', 4, [fact(5)]);
    expect(await logger.run()).toBe(1);
    expect(lines.at(-1)).toMatch(/^chain head: INC-20261201-02 v5 [0-9a-f]{64}$/);
    // the logged heads, read back, match the ledger; an incident that lost its last event does not
    const heads = parseHeads(lines.map((l) => `[pboc-incident-bot] ${l}`).join('\n'))!;
    expect(heads.map((h) => `${h.id} v${h.version}`)).toEqual(['INC-20261201-01 v4', 'INC-20261201-02 v4', 'INC-20261201-02 v5']);
    const snap = await s.snapshot();
    expect(compareHeads(snap, heads)).toEqual([]);
    snap.incidents[1]!.events.pop();
    expect(compareHeads(snap, heads)).toEqual([expect.objectContaining({ check: 'heads', incident: 'INC-20261201-02', seq: 5 })]);
    await s.close();
  });
});

describeRedis('the hash chain on Redis', () => {
  const prefix = uniquePrefix('chain');
  let s: Store;
  beforeAll(async () => { s = await createRedisStore(url, { prefix }); });
  afterAll(async () => { await s.close(); await deleteKeys(prefix); });

  it('chains as SQLite does: the snapshot written as a SQLite file reads back the same and verifies; an edit is named', async () => {
    await fill(s);
    const snap = await s.snapshot();
    expect(verifyLedger(snap)).toMatchObject({ ok: true, incidents: 2, events: 8 });
    const file = join(dir, 'from-redis.db');
    writeSnapshotSqlite(file, snap);
    expect(readSqliteSnapshot(file)).toEqual(snap);
    expect((await s.chainHeads()).map((h) => h.head)).toEqual(snap.incidents.map((i) => i.events.at(-1)!.chain));

    // The same events through SQLite give the same chain: the chain depends on the ledger, not the store kind.
    const sq = createSqliteStore(':memory:');
    await fill(sq);
    expect((await sq.snapshot()).incidents).toEqual(snap.incidents);
    await sq.close();

    const c = createClient({ url });
    await c.connect();
    await c.lSet(`${prefix}inc:INC-20261201-01:events`, 1, JSON.stringify(fact(42)));
    await c.close();
    expect(verifyLedger(await s.snapshot()).problems).toEqual([expect.objectContaining({ check: 'chain', incident: 'INC-20261201-01', seq: 2 })]);
  });

  it('a log from before the chain gets its chain-start record at the next append', async () => {
    const c = createClient({ url });
    await c.connect();
    await c.del([`${prefix}inc:INC-20261201-02:chain`]);
    await c.close();
    expect(verifyLedger(await s.snapshot()).unchainedIncidents).toBe(1);
    await s.append('INC-20261201-02', 4, [fact(3)]);
    const inc = (await s.snapshot()).incidents.find((i) => i.id === 'INC-20261201-02')!;
    expect(inc.chainStart).toMatchObject({ afterSeq: 4 });
    expect(inc.events.map((e) => e.chain === null)).toEqual([true, true, true, true, false]);
    expect(verifyLedger({ ...(await s.snapshot()), incidents: [inc] })).toMatchObject({ ok: true });
  });
});
