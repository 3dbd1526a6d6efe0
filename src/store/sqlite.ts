import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  VersionConflictError,
  checkAppendArgs,
  checkTtl,
  DEFAULT_CLAIM_OWNER,
  toJson,
  type IncidentMeta,
  type StoredEvent,
  type Store,
} from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS incidents (
  id            TEXT PRIMARY KEY,
  conversation  TEXT NOT NULL,
  open          INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  drill         INTEGER NOT NULL DEFAULT 0,
  meta_json     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_created ON incidents (created_at_ms, id);
CREATE INDEX IF NOT EXISTS incidents_open ON incidents (open, conversation, created_at_ms);
CREATE TABLE IF NOT EXISTS events (
  incident_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  event_json  TEXT NOT NULL,
  PRIMARY KEY (incident_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sequences (
  prefix TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
  key           TEXT PRIMARY KEY,
  expires_at_ms INTEGER NOT NULL,
  owner         TEXT NOT NULL DEFAULT '-'
);
CREATE TABLE IF NOT EXISTS done (
  key TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS sessions (
  key           TEXT PRIMARY KEY,
  value_json    TEXT NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at_ms);
CREATE TABLE IF NOT EXISTS wakes (
  id    TEXT PRIMARY KEY,
  at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS wakes_at ON wakes (at_ms, id);
`;

interface MetaRow {
  meta_json: string;
}

/**
 * SQLite store (better-sqlite3, WAL). path may be ':memory:'; otherwise its parent directory is
 * created. Several handles (in one or several processes) may share one file: writes that must be
 * atomic run in BEGIN IMMEDIATE transactions and wait up to 5 s for the write lock.
 */
export function createSqliteStore(path: string): Store {
  const memory = path === ':memory:' || path === '';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL'); // a legal ledger: durability over speed
    db.exec(SCHEMA);
    // Files made before claims had an owner: add the column (existing claims belong to the default owner).
    if (!db.prepare<[], { name: string }>('PRAGMA table_info(claims)').all().some((c) => c.name === 'owner')) {
      db.exec(`ALTER TABLE claims ADD COLUMN owner TEXT NOT NULL DEFAULT '${DEFAULT_CLAIM_OWNER}'`);
    }
  } catch (err) {
    db.close();
    throw err;
  }

  const q = {
    version: db.prepare<[string], { v: number }>('SELECT COALESCE(MAX(seq), 0) AS v FROM events WHERE incident_id = ?'),
    upsertIncident: db.prepare<[string, string, number, number, number, string]>(
      `INSERT INTO incidents (id, conversation, open, created_at_ms, drill, meta_json) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET conversation = excluded.conversation, open = excluded.open,
         created_at_ms = excluded.created_at_ms, drill = excluded.drill, meta_json = excluded.meta_json`,
    ),
    insertEvent: db.prepare<[string, number, string]>('INSERT INTO events (incident_id, seq, event_json) VALUES (?, ?, ?)'),
    meta: db.prepare<[string], MetaRow>('SELECT meta_json FROM incidents WHERE id = ?'),
    events: db.prepare<[string], { seq: number; event_json: string }>('SELECT seq, event_json FROM events WHERE incident_id = ? ORDER BY seq'),
    openAll: db.prepare<[], MetaRow>('SELECT meta_json FROM incidents WHERE open = 1 ORDER BY created_at_ms, id'),
    openIn: db.prepare<[string], MetaRow>('SELECT meta_json FROM incidents WHERE open = 1 AND conversation = ? ORDER BY created_at_ms, id'),
    range: db.prepare<[number, number], MetaRow>(
      'SELECT meta_json FROM incidents WHERE created_at_ms >= ? AND created_at_ms < ? AND drill = 0 ORDER BY created_at_ms, id',
    ),
    rangeDrill: db.prepare<[number, number], MetaRow>(
      'SELECT meta_json FROM incidents WHERE created_at_ms >= ? AND created_at_ms < ? ORDER BY created_at_ms, id',
    ),
    nextSeq: db.prepare<[string], { value: number }>(
      'INSERT INTO sequences (prefix, value) VALUES (?, 1) ON CONFLICT (prefix) DO UPDATE SET value = value + 1 RETURNING value',
    ),
    isDone: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM done WHERE key = ?'),
    markDone: db.prepare<[string]>('INSERT OR IGNORE INTO done (key) VALUES (?)'),
    claim: db.prepare<[string, number, string, number]>(
      `INSERT INTO claims (key, expires_at_ms, owner) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET expires_at_ms = excluded.expires_at_ms, owner = excluded.owner WHERE claims.expires_at_ms <= ?`,
    ),
    renewClaim: db.prepare<[number, string, string, number]>(
      'UPDATE claims SET expires_at_ms = ? WHERE key = ? AND owner = ? AND expires_at_ms > ? AND NOT EXISTS (SELECT 1 FROM done WHERE done.key = claims.key)',
    ),
    release: db.prepare<[string]>('DELETE FROM claims WHERE key = ?'),
    getSession: db.prepare<[string, number], { value_json: string }>('SELECT value_json FROM sessions WHERE key = ? AND expires_at_ms > ?'),
    setSession: db.prepare<[string, string, number]>(
      `INSERT INTO sessions (key, value_json, expires_at_ms) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, expires_at_ms = excluded.expires_at_ms`,
    ),
    pruneSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at_ms <= ?'),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE key = ?'),
    setWake: db.prepare<[string, number]>('INSERT INTO wakes (id, at_ms) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET at_ms = excluded.at_ms'),
    deleteWake: db.prepare<[string]>('DELETE FROM wakes WHERE id = ?'),
    dueWakes: db.prepare<[number, number], { id: string }>('SELECT id FROM wakes WHERE at_ms <= ? ORDER BY at_ms, id LIMIT ?'),
    nextWake: db.prepare<[], { at: number | null }>('SELECT MIN(at_ms) AS at FROM wakes'),
  };
  // One process owns a SQLite file: wake notices are in-process.
  const wakeListeners = new Set<(atMs: number) => void>();

  const appendTx = db.transaction((id: string, expected: number, eventJson: string[], meta: IncidentMeta | undefined): number => {
    const actual = q.version.get(id)?.v ?? 0;
    if (actual !== expected) throw new VersionConflictError(id, expected, actual);
    if (meta !== undefined) {
      q.upsertIncident.run(id, meta.conversation, meta.open ? 1 : 0, meta.createdAtMs, meta.drill === true ? 1 : 0, toJson(meta, 'meta'));
    }
    eventJson.forEach((json, i) => q.insertEvent.run(id, expected + i + 1, json));
    return expected + eventJson.length;
  });

  // one read transaction, so meta and events are a consistent snapshot
  const loadTx = db.transaction((id: string): { meta: IncidentMeta; events: StoredEvent[] } | null => {
    const row = q.meta.get(id);
    if (row === undefined) return null;
    const events: StoredEvent[] = q.events.all(id).map((e) => ({ seq: e.seq, event: JSON.parse(e.event_json) as unknown }));
    return { meta: JSON.parse(row.meta_json) as IncidentMeta, events };
  });

  const claimTx = db.transaction((key: string, expiresAtMs: number, nowMs: number, owner: string): boolean => {
    if (q.isDone.get(key) !== undefined) return false;
    return q.claim.run(key, expiresAtMs, owner, nowMs).changes === 1;
  });

  const metas = (rows: MetaRow[]): IncidentMeta[] => rows.map((r) => JSON.parse(r.meta_json) as IncidentMeta);

  let closed = false;

  return {
    kind: 'sqlite',

    async append(id, expectedVersion, events, meta) {
      const eventJson = checkAppendArgs(id, expectedVersion, events, meta);
      return appendTx.immediate(id, expectedVersion, eventJson, meta);
    },

    async load(id) {
      return loadTx.deferred(id);
    },

    async listOpen(conversation) {
      return metas(conversation === undefined ? q.openAll.all() : q.openIn.all(conversation));
    },

    async listInRange(fromMs, toMs, opts) {
      return metas(opts?.includeDrill === true ? q.rangeDrill.all(fromMs, toMs) : q.range.all(fromMs, toMs));
    },

    async nextSequence(prefix) {
      const row = q.nextSeq.get(prefix);
      if (row === undefined) throw new Error(`nextSequence(${prefix}): no value returned`);
      return row.value;
    },

    async claim(key, ttlMs, nowMs, owner = DEFAULT_CLAIM_OWNER) {
      checkTtl(ttlMs, `claim(${key})`);
      return claimTx.immediate(key, nowMs + ttlMs, nowMs, owner);
    },

    async renewClaim(key, owner, ttlMs, nowMs) {
      checkTtl(ttlMs, `renewClaim(${key})`);
      return q.renewClaim.run(nowMs + ttlMs, key, owner, nowMs).changes === 1;
    },

    async release(key) {
      q.release.run(key);
    },

    async markDone(key) {
      q.markDone.run(key);
    },

    async isDone(key) {
      return q.isDone.get(key) !== undefined;
    },

    async getSession(key, nowMs) {
      const row = q.getSession.get(key, nowMs);
      return row === undefined ? null : (JSON.parse(row.value_json) as unknown);
    },

    async setSession(key, value, ttlMs, nowMs) {
      checkTtl(ttlMs, `setSession(${key})`);
      const json = toJson(value, `setSession(${key}): value`);
      q.pruneSessions.run(nowMs); // sessions are not ledger data: expired ones may go
      q.setSession.run(key, json, nowMs + ttlMs);
    },

    async deleteSession(key) {
      q.deleteSession.run(key);
    },

    async setWake(id, atMs) {
      if (atMs === null) q.deleteWake.run(id);
      else {
        q.setWake.run(id, atMs);
        for (const l of wakeListeners) queueMicrotask(() => l(atMs));
      }
    },

    async dueWakes(nowMs, limit) {
      if (limit <= 0) return [];
      return q.dueWakes.all(nowMs, Math.floor(limit)).map((r) => r.id);
    },

    async nextWakeAt() {
      return q.nextWake.get()?.at ?? null;
    },

    async onWake(listener) {
      const l = (atMs: number) => listener(atMs);
      wakeListeners.add(l);
      return async () => { wakeListeners.delete(l); };
    },

    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
