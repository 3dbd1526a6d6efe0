import { closeSync, fsync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type DatabaseType from 'better-sqlite3';
import { Database } from './sqlite-driver.ts';
import {
  AlreadyRecordedError,
  VersionConflictError,
  checkAppendArgs,
  checkTtl,
  DEFAULT_CLAIM_OWNER,
  toJson,
  type IncidentMeta,
  type InboxItem,
  type StoredEvent,
  type Store,
  DONE_WINDOW_MS,
  type PruneCounts,
} from './types.ts';
import { IDENTITY_SCHEMA, sqliteIdentity } from './sqlite-identity.ts';
import { chainGenesis, chainResume, chainValues } from './chain.ts';
import type { LedgerSnapshot, RawIncident, StoreIdentity } from './types.ts';

// The hash chain (chain.ts): each event's chain value beside it, and one chain-start record for an incident whose
// events were written before the chain. Added by migration to older files; old events keep chain NULL.
const CHAIN_SCHEMA = `
CREATE TABLE IF NOT EXISTS chain_starts (
  incident_id TEXT PRIMARY KEY,
  after_seq   INTEGER NOT NULL,
  hash        TEXT NOT NULL
);
`;

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
CREATE INDEX IF NOT EXISTS incidents_open_meta ON incidents (open, conversation, created_at_ms, id, drill);
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
CREATE TABLE IF NOT EXISTS inbox (
  key            TEXT PRIMARY KEY,
  source         TEXT NOT NULL,
  conversation   TEXT NOT NULL,
  payload_json   TEXT,
  received_at_ms INTEGER NOT NULL,
  lease_owner    TEXT,
  lease_until_ms INTEGER NOT NULL DEFAULT 0,
  done_until_ms  INTEGER
);
CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (source, received_at_ms) WHERE done_until_ms IS NULL;
CREATE INDEX IF NOT EXISTS inbox_done ON inbox (done_until_ms) WHERE done_until_ms IS NOT NULL;
CREATE TABLE IF NOT EXISTS group_commit (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  n   INTEGER NOT NULL
);
`;

/**
 * The schema's version, kept in the file's header (PRAGMA user_version). Raise it with every change to SCHEMA,
 * CHAIN_SCHEMA, IDENTITY_SCHEMA or migrate(): a file at an older version (or none: made before this number) is
 * brought up to date by migrate() at the next open, a file at this version is opened without any DDL.
 */
const SCHEMA_VERSION = 1;

/**
 * Creates what is missing and adds the columns older files lack, all in one transaction (one fsync, not one per
 * statement), then records SCHEMA_VERSION in the same commit. Idempotent: every step checks before it changes.
 */
function migrate(db: DatabaseType.Database): void {
  const hasColumn = (table: string, column: string) => db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all().some((c) => c.name === column);
  db.transaction(() => {
    db.exec(SCHEMA);
    db.exec(IDENTITY_SCHEMA);
    // Done-markers carry the time they were first seen by prune (NULL until then), so they can expire.
    if (!hasColumn('done', 'done_at_ms')) db.exec('ALTER TABLE done ADD COLUMN done_at_ms INTEGER');
    // Files made before claims had an owner: add the column (existing claims belong to the default owner).
    if (!hasColumn('claims', 'owner')) db.exec(`ALTER TABLE claims ADD COLUMN owner TEXT NOT NULL DEFAULT '${DEFAULT_CLAIM_OWNER}'`);
    db.exec(CHAIN_SCHEMA);
    if (!hasColumn('events', 'chain')) db.exec('ALTER TABLE events ADD COLUMN chain TEXT');
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

interface InboxRow {
  key: string;
  source: string;
  conversation: string;
  payload_json: string | null;
  received_at_ms: number;
  lease_owner: string | null;
  lease_until_ms: number;
  done_until_ms: number | null;
}

type OnceArg = { key: string; nowMs: number; retainMs: number };

interface MetaRow {
  meta_json: string;
}

/** The columns an open incident's meta is made of (IncidentMeta has no other field): read from an index, no JSON. */
interface OpenRow {
  id: string;
  conversation: string;
  created_at_ms: number;
  drill: number;
}

/**
 * SQLite store (better-sqlite3, WAL). path may be ':memory:'; otherwise its parent directory is
 * created. Several handles (in one or several processes) may share one file: writes that must be
 * atomic run in BEGIN IMMEDIATE transactions and wait up to 5 s for the write lock.
 */
export interface SqliteOptions {
  /** The most pages the file may grow to (PRAGMA max_page_count): past it every write fails with SQLITE_FULL, as on a full disk. */
  maxPageCount?: number;
}

export function createSqliteStore(path: string, opts: SqliteOptions = {}): Store {
  const memory = path === ':memory:' || path === '';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 5000 });
  let identity!: ReturnType<typeof sqliteIdentity>; // which ledger this is, and its high-water mark (sqlite-identity.ts)
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL'); // a legal ledger: durability over speed
    // A file this version made or migrated says so in its header: no DDL, no table inspection on each start.
    if (db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) migrate(db);
    if (opts.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(opts.maxPageCount)}`);
    identity = sqliteIdentity(db, memory ? null : path);
  } catch (err) {
    db.close();
    throw err;
  }

  const q = {
    // Pruning: expired claims and sessions, done-markers past their window, inbox keys past their de-duplication
    // window (inboxDone's retainMs). Never ledger data.
    pruneClaims: db.prepare<[number]>('DELETE FROM claims WHERE expires_at_ms <= ?'),
    pruneSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at_ms <= ?'),
    stampDone: db.prepare<[number]>('UPDATE done SET done_at_ms = ? WHERE done_at_ms IS NULL'),
    pruneDone: db.prepare<[number]>('DELETE FROM done WHERE done_at_ms <= ?'),
    pruneInbox: db.prepare<[number]>('DELETE FROM inbox WHERE done_until_ms IS NOT NULL AND done_until_ms <= ?'),
    version: db.prepare<[string], { v: number }>('SELECT COALESCE(MAX(seq), 0) AS v FROM events WHERE incident_id = ?'),
    upsertIncident: db.prepare<[string, string, number, number, number, string]>(
      `INSERT INTO incidents (id, conversation, open, created_at_ms, drill, meta_json) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET conversation = excluded.conversation, open = excluded.open,
         created_at_ms = excluded.created_at_ms, drill = excluded.drill, meta_json = excluded.meta_json`,
    ),
    insertEvent: db.prepare<[string, number, string, string]>('INSERT INTO events (incident_id, seq, event_json, chain) VALUES (?, ?, ?, ?)'),
    lastChain: db.prepare<[string, number], { chain: string | null }>('SELECT chain FROM events WHERE incident_id = ? AND seq = ?'),
    chainRows: db.prepare<[string], { seq: number; json: string; chain: string | null }>('SELECT seq, event_json AS json, chain FROM events WHERE incident_id = ? ORDER BY seq'),
    chainStart: db.prepare<[string], { afterSeq: number; hash: string }>('SELECT after_seq AS afterSeq, hash FROM chain_starts WHERE incident_id = ?'),
    insertChainStart: db.prepare<[string, number, string]>('INSERT INTO chain_starts (incident_id, after_seq, hash) VALUES (?, ?, ?)'),
    identityId: db.prepare<[], { id: string }>('SELECT id FROM store_identity WHERE one = 1'),
    heads: db.prepare<[], { id: string; version: number; head: string | null }>(
      `SELECT e.incident_id AS id, e.seq AS version, e.chain AS head FROM events e
       JOIN (SELECT incident_id, MAX(seq) AS m FROM events GROUP BY incident_id) x ON x.incident_id = e.incident_id AND x.m = e.seq
       ORDER BY e.incident_id`,
    ),
    meta: db.prepare<[string], MetaRow>('SELECT meta_json FROM incidents WHERE id = ?'),
    events: db.prepare<[string], { seq: number; event_json: string }>('SELECT seq, event_json FROM events WHERE incident_id = ? ORDER BY seq'),
    openAll: db.prepare<[], MetaRow>('SELECT meta_json FROM incidents WHERE open = 1 ORDER BY created_at_ms, id'),
    // Every command lists its conversation's open incidents: answered from the covering index incidents_open_meta
    // (no table row read, no JSON parsed), so its cost does not grow with the meta documents.
    openIn: db.prepare<[string], OpenRow>(
      'SELECT id, conversation, created_at_ms, drill FROM incidents INDEXED BY incidents_open_meta WHERE open = 1 AND conversation = ? ORDER BY created_at_ms, id',
    ),
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
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE key = ?'),
    setWake: db.prepare<[string, number]>('INSERT INTO wakes (id, at_ms) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET at_ms = excluded.at_ms'),
    deleteWake: db.prepare<[string]>('DELETE FROM wakes WHERE id = ?'),
    dueWakes: db.prepare<[number, number], { id: string }>('SELECT id FROM wakes WHERE at_ms <= ? ORDER BY at_ms, id LIMIT ?'),
    nextWake: db.prepare<[], { at: number | null }>('SELECT MIN(at_ms) AS at FROM wakes'),
    inboxGet: db.prepare<[string], InboxRow>('SELECT * FROM inbox WHERE key = ?'),
    // A key past its de-duplication window counts as unknown (prune deletes such rows later, off the hot path).
    inboxAdd: db.prepare<[string, string, string, string, number, string, number, number]>(
      `INSERT INTO inbox (key, source, conversation, payload_json, received_at_ms, lease_owner, lease_until_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET source = excluded.source, conversation = excluded.conversation,
         payload_json = excluded.payload_json, received_at_ms = excluded.received_at_ms, lease_owner = excluded.lease_owner,
         lease_until_ms = excluded.lease_until_ms, done_until_ms = NULL
       WHERE inbox.done_until_ms IS NOT NULL AND inbox.done_until_ms <= ?`,
    ),
    inboxLease: db.prepare<[string, number, string]>('UPDATE inbox SET lease_owner = ?, lease_until_ms = ? WHERE key = ?'),
    inboxStale: db.prepare<[string, number, string, number], { key: string }>(
      `SELECT key FROM inbox WHERE source = ? AND done_until_ms IS NULL AND (lease_until_ms <= ? OR lease_owner = ?)
       ORDER BY received_at_ms, key LIMIT ?`,
    ),
    inboxDone: db.prepare<[number, string]>(
      'UPDATE inbox SET payload_json = NULL, lease_owner = NULL, done_until_ms = ? WHERE key = ? AND done_until_ms IS NULL',
    ),
    inboxForget: db.prepare<[string]>('DELETE FROM inbox WHERE key = ?'),
    inboxDoneUntil: db.prepare<[string], { done_until_ms: number | null }>('SELECT done_until_ms FROM inbox WHERE key = ?'),
    inboxCount: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM inbox WHERE done_until_ms IS NULL'),
  };
  // Group commit. Every write that resolves as "durable" (an append, an inbox item taken in or finished, a claim, a
  // done-marker) commits without its own fsync, then waits for the next durability barrier: an fsync of the
  // write-ahead log, which makes every commit appended to it before the fsync durable, as a commit with
  // synchronous=FULL would (FULL differs from NORMAL in WAL mode only by that fsync; the log is written in order, and
  // a checkpoint syncs the log before and the database file after copying). Callers see the same guarantee as a FULL
  // commit each (nothing resolves before it is on disk), while writes made meanwhile, by every conversation the bot is
  // working on, share one fsync instead of one each. The fsync runs on libuv's thread pool, one at a time: the event
  // loop goes on with other conversations while the disk works, and what they commit meanwhile shares the next one.
  // Writes that need no fsync of their own (a lease, a wake-up time, a session, a sequence number whose incident's
  // append follows) commit without waiting: the next barrier covers them, and a process crash (not a power loss)
  // never loses a commit either way.
  const setSync = { normal: db.prepare('PRAGMA synchronous = NORMAL'), full: db.prepare('PRAGMA synchronous = FULL') };
  const bumpBarrier = db.prepare('INSERT INTO group_commit (one, n) VALUES (1, 1) ON CONFLICT (one) DO UPDATE SET n = n + 1');
  let barrier: Promise<void> | null = null; // the next fsync: covers every commit made before it starts
  let syncing: Promise<void> | null = null; // the fsync running now
  let walFd: number | null = null;
  let unsynced = false; // a commit made without its own fsync (close() syncs it with a FULL commit)
  /** Runs a write without an fsync of its own (synchronous=NORMAL for this commit only). */
  function relaxed<T>(write: () => T): T {
    if (memory) return write();
    unsynced = true;
    setSync.normal.run();
    try {
      return write();
    } finally {
      setSync.full.run();
    }
  }
  /** fsync of the write-ahead log (held open beside the connection: SQLite keeps the file while a connection is open). */
  function syncLog(): Promise<void> {
    walFd ??= openSync(`${path}-wal`, 'r+');
    const fd = walFd;
    return new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
  }
  /** Resolves once every commit made before the call is on disk (the next barrier; joined when one is due). */
  function durable(): Promise<void> {
    if (memory || closed) return Promise.resolve();
    barrier ??= (async () => {
      await new Promise<void>((r) => setImmediate(r)); // the commits of this turn of the event loop join
      if (syncing) await syncing.catch(() => undefined); // one fsync at a time: commits made meanwhile share this one
      barrier = null; // commits made from here on wait for the next one
      if (closed) return; // close() synced everything with a FULL commit
      const run = syncLog();
      syncing = run;
      try {
        await run;
      } finally {
        if (syncing === run) syncing = null;
      }
    })();
    return barrier;
  }
  /** The barrier a write that changed nothing waits for: what it found may be a commit still on its way to disk. */
  const due = (): Promise<void> | null => barrier ?? syncing;
  /**
   * A write committed without its own fsync, resolved once a barrier made it durable. wrote: whether it changed
   * anything (default yes); one that changed nothing (an item already marked done with its events, a key already
   * taken in) starts no barrier, but waits for one that is due: what it found may be a write still on its way to disk.
   */
  async function grouped<T>(write: () => T, wrote: (r: T) => boolean = () => true): Promise<T> {
    const r = relaxed(write);
    if (wrote(r)) await durable();
    else await due();
    return r;
  }

  // One process owns a SQLite file: wake notices are in-process.
  const wakeListeners = new Set<(atMs: number) => void>();

  const appendTx = db.transaction((id: string, expected: number, eventJson: string[], meta: IncidentMeta | undefined, once: OnceArg | undefined): number => {
    identity.guard();
    if (once !== undefined) {
      const row = q.inboxGet.get(once.key);
      if (row?.done_until_ms !== null && row?.done_until_ms !== undefined && row.done_until_ms > once.nowMs) throw new AlreadyRecordedError(once.key);
    }
    const actual = q.version.get(id)?.v ?? 0;
    if (actual !== expected) throw new VersionConflictError(id, expected, actual);
    if (meta !== undefined) {
      q.upsertIncident.run(id, meta.conversation, meta.open ? 1 : 0, meta.createdAtMs, meta.drill === true ? 1 : 0, toJson(meta, 'meta'));
    }
    const chain = chainValues(chainPrev(id, expected), expected + 1, eventJson);
    eventJson.forEach((json, i) => q.insertEvent.run(id, expected + i + 1, json, chain[i]!));
    if (once !== undefined) markInboxDone(once.key, once.nowMs, once.retainMs);
    return expected + eventJson.length;
  });

  /** The chain value event `expected` ends with (in append's transaction); records the chain start of a legacy log. */
  function chainPrev(id: string, expected: number): string {
    if (expected > 0) {
      const last = q.lastChain.get(id, expected)?.chain;
      if (last) return last;
    }
    const genesis = chainGenesis(q.identityId.get()?.id ?? '', id);
    if (expected === 0) return genesis;
    const r = chainResume(genesis, q.chainRows.all(id), q.chainStart.get(id) ?? null);
    if (r.start) q.insertChainStart.run(id, r.start.afterSeq, r.start.hash);
    return r.prev;
  }

  // An item recorded by an append may not have been added to this store's inbox (a test, the CLI): keep its key anyway.
  function markInboxDone(key: string, nowMs: number, retainMs: number): boolean {
    if (q.inboxDone.run(nowMs + retainMs, key).changes === 1) return true;
    if (q.inboxGet.get(key) !== undefined) return false; // already done (with its events, by append's once)
    q.inboxAdd.run(key, '', '', '', nowMs, '', 0, nowMs);
    q.inboxDone.run(nowMs + retainMs, key);
    return true;
  }

  const inboxDoneTx = db.transaction((key: string, nowMs: number, retainMs: number): boolean => markInboxDone(key, nowMs, retainMs));

  const setSessionTx = db.transaction((key: string, json: string, nowMs: number, ttlMs: number): void => {
    q.pruneSessions.run(nowMs); // sessions are not ledger data: expired ones may go
    q.setSession.run(key, json, nowMs + ttlMs);
  });

  const inboxAddTx = db.transaction((item: InboxItem, payloadJson: string, owner: string, leaseMs: number, nowMs: number): boolean =>
    q.inboxAdd.run(item.key, item.source, item.conversation, payloadJson, item.receivedAtMs, owner, nowMs + leaseMs, nowMs).changes === 1);

  const inboxTakeTx = db.transaction((key: string, owner: string, leaseMs: number, nowMs: number): InboxItem | null => {
    const row = q.inboxGet.get(key);
    if (row === undefined || row.done_until_ms !== null || row.payload_json === null) return null;
    if (row.lease_owner !== owner && row.lease_until_ms > nowMs) return null;
    q.inboxLease.run(owner, nowMs + leaseMs, key);
    return { key, source: row.source, conversation: row.conversation, payload: JSON.parse(row.payload_json) as unknown, receivedAtMs: row.received_at_ms };
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

  const nextSeqTx = db.transaction((prefix: string): number => {
    identity.guard();
    const row = q.nextSeq.get(prefix);
    if (row === undefined) throw new Error(`nextSequence(${prefix}): no value returned`);
    identity.raise(prefix, row.value); // the high-water mark moves with the sequence, atomically
    return row.value;
  });

  const snapshotTx = db.transaction((): LedgerSnapshot => snapshotOf(db));

  const pruneTx = db.transaction((nowMs: number): PruneCounts => {
    q.stampDone.run(nowMs); // markers written since the last prune (or before this column existed) start their window now
    return {
      claims: q.pruneClaims.run(nowMs).changes,
      sessions: q.pruneSessions.run(nowMs).changes,
      once: q.pruneDone.run(nowMs - DONE_WINDOW_MS).changes + q.pruneInbox.run(nowMs).changes,
    };
  });

  const metas = (rows: MetaRow[]): IncidentMeta[] => rows.map((r) => JSON.parse(r.meta_json) as IncidentMeta);

  let closed = false;

  return {
    kind: 'sqlite',

    async append(id, expectedVersion, events, meta, opts) {
      const eventJson = checkAppendArgs(id, expectedVersion, events, meta);
      if (opts?.once) checkTtl(opts.once.retainMs, `append(${id}): once.retainMs`);
      return grouped(() => appendTx.immediate(id, expectedVersion, eventJson, meta, opts?.once));
    },

    async load(id) {
      return loadTx.deferred(id);
    },

    async versions(ids) {
      return ids.map((id) => q.version.get(id)?.v ?? 0);
    },

    async listOpen(conversation) {
      if (conversation === undefined) return metas(q.openAll.all());
      return q.openIn.all(conversation).map((r) => ({ id: r.id, conversation: r.conversation, open: true, createdAtMs: r.created_at_ms, ...(r.drill === 1 ? { drill: true } : {}) }));
    },

    async listInRange(fromMs, toMs, opts) {
      return metas(opts?.includeDrill === true ? q.rangeDrill.all(fromMs, toMs) : q.range.all(fromMs, toMs));
    },

    async nextSequence(prefix) {
      return relaxed(() => nextSeqTx.immediate(prefix)); // durable with the append that uses it
    },

    async claim(key, ttlMs, nowMs, owner = DEFAULT_CLAIM_OWNER) {
      checkTtl(ttlMs, `claim(${key})`);
      return grouped(() => claimTx.immediate(key, nowMs + ttlMs, nowMs, owner), (taken) => taken);
    },

    async renewClaim(key, owner, ttlMs, nowMs) {
      checkTtl(ttlMs, `renewClaim(${key})`);
      return relaxed(() => q.renewClaim.run(nowMs + ttlMs, key, owner, nowMs).changes === 1);
    },

    async release(key) {
      q.release.run(key);
    },

    async markDone(key) {
      await grouped(() => q.markDone.run(key), (r) => r.changes > 0);
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
      relaxed(() => setSessionTx(key, json, nowMs, ttlMs));
    },

    async deleteSession(key) {
      relaxed(() => q.deleteSession.run(key));
    },

    async setWake(id, atMs) {
      // A wake-up is bookkeeping (the ticker's reindex at start-up rebuilds it): no fsync of its own.
      if (atMs === null) relaxed(() => q.deleteWake.run(id));
      else {
        relaxed(() => q.setWake.run(id, atMs));
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

    ...identity.methods,

    async prune(nowMs) {
      return pruneTx.immediate(nowMs);
    },

    async inboxAdd(item, owner, leaseMs, nowMs) {
      checkTtl(leaseMs, `inboxAdd(${item.key})`);
      const json = toJson(item.payload, `inboxAdd(${item.key}): payload`);
      return grouped(() => inboxAddTx.immediate(item, json, owner, leaseMs, nowMs), (added) => added); // durable before the platform hears back
    },

    async inboxTake(key, owner, leaseMs, nowMs) {
      checkTtl(leaseMs, `inboxTake(${key})`);
      return relaxed(() => inboxTakeTx.immediate(key, owner, leaseMs, nowMs)); // a lease: no fsync of its own
    },

    async inboxStale(source, nowMs, limit, owner) {
      if (limit <= 0) return [];
      return q.inboxStale.all(source, nowMs, owner ?? '\u0000none', Math.floor(limit)).map((r) => r.key);
    },

    async inboxDone(key, nowMs, retainMs, opts) {
      if (opts?.forget === true) {
        await grouped(() => q.inboxForget.run(key), (r) => r.changes > 0);
        return;
      }
      checkTtl(retainMs, `inboxDone(${key})`);
      // Usually already done, with its events (append's once): a read says so without a write transaction of its own.
      // Only this process writes the file's inbox (one process owns a SQLite file), so the answer cannot go stale.
      if ((q.inboxDoneUntil.get(key)?.done_until_ms ?? null) !== null) {
        await due(); // as grouped() for a write that changed nothing: what it found may still be on its way to disk
        return;
      }
      await grouped(() => inboxDoneTx.immediate(key, nowMs, retainMs), (wrote) => wrote);
    },

    async inboxPendingCount() {
      return q.inboxCount.get()?.n ?? 0;
    },

    async snapshot() {
      return snapshotTx.deferred();
    },

    async backupTo(file) {
      await db.backup(file); // SQLite's online backup: pages copied while the bot keeps writing, restarted on a change
    },

    async chainHeads() {
      return q.heads.all().map((r) => ({ id: r.id, version: r.version, head: r.head }));
    },

    async close() {
      if (closed) return;
      // Whatever committed without an fsync of its own (a lease, a session) is synced before the handle goes.
      if (unsynced) {
        try {
          bumpBarrier.run();
        } catch { /* a read-only or failing file: closing is still right */ }
      }
      closed = true;
      await syncing?.catch(() => undefined);
      if (walFd !== null) closeSync(walFd);
      db.close();
    },
  };
}

/** The ledger tables of an open SQLite handle (call inside a read transaction for a consistent result). */
function snapshotOf(db: DatabaseType.Database): LedgerSnapshot {
  const has = (table: string) => db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)!.n > 0;
  const idRow = !has('store_identity') ? undefined : db.prepare<[], { id: string; created_at_ms: number; how: StoreIdentity['how'] }>('SELECT id, created_at_ms, how FROM store_identity WHERE one = 1').get();
  const hw = !has('high_water') ? undefined : db.prepare<[], { prefix: string; n: number }>('SELECT prefix, n FROM high_water WHERE one = 1').get();
  const sequences = Object.fromEntries(db.prepare<[], { prefix: string; value: number }>('SELECT prefix, value FROM sequences').all().map((r) => [r.prefix, r.value]));
  const incidents = new Map<string, RawIncident>();
  for (const r of db.prepare<[], { id: string; meta_json: string }>('SELECT id, meta_json FROM incidents ORDER BY id').all()) {
    incidents.set(r.id, { id: r.id, metaJson: r.meta_json, events: [], chainStart: null });
  }
  // A file from before the chain (an old backup, read without migrating it) has neither the column nor the table.
  const hasChain = db.prepare<[], { name: string }>('PRAGMA table_info(events)').all().some((c) => c.name === 'chain');
  const hasStarts = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'chain_starts'").get()!.n > 0;
  for (const e of db.prepare<[], { incident_id: string; seq: number; event_json: string; chain: string | null }>(`SELECT incident_id, seq, event_json, ${hasChain ? 'chain' : 'NULL AS chain'} FROM events ORDER BY incident_id, seq`).iterate()) {
    let inc = incidents.get(e.incident_id);
    if (!inc) incidents.set(e.incident_id, (inc = { id: e.incident_id, metaJson: '', events: [], chainStart: null })); // events without meta: verify says so
    inc.events.push({ seq: e.seq, json: e.event_json, chain: e.chain });
  }
  for (const c of hasStarts ? db.prepare<[], { incident_id: string; after_seq: number; hash: string }>('SELECT incident_id, after_seq, hash FROM chain_starts').all() : []) {
    const inc = incidents.get(c.incident_id);
    if (inc) inc.chainStart = { afterSeq: c.after_seq, hash: c.hash };
  }
  return {
    identity: idRow ? { id: idRow.id, createdAtMs: idRow.created_at_ms, how: idRow.how } : null,
    highWater: hw ? { prefix: hw.prefix, n: hw.n } : null,
    sequences,
    incidents: [...incidents.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

/** Writes a snapshot (a Redis store's ledger) as a new SQLite file of the bot's schema: what `backup` gives for Redis. */
export function writeSnapshotSqlite(file: string, snap: LedgerSnapshot): void {
  createSqliteStore(file).close(); // the schema, exactly as the bot makes it
  const db = new Database(file, { timeout: 5000 });
  try {
    db.transaction(() => {
      if (snap.identity) db.prepare('INSERT INTO store_identity (one, id, created_at_ms, how) VALUES (1, ?, ?, ?)').run(snap.identity.id, snap.identity.createdAtMs, snap.identity.how);
      if (snap.highWater) db.prepare('INSERT INTO high_water (one, prefix, n) VALUES (1, ?, ?)').run(snap.highWater.prefix, snap.highWater.n);
      const seq = db.prepare('INSERT INTO sequences (prefix, value) VALUES (?, ?)');
      for (const [prefix, value] of Object.entries(snap.sequences)) seq.run(prefix, value);
      const inc = db.prepare('INSERT INTO incidents (id, conversation, open, created_at_ms, drill, meta_json) VALUES (?, ?, ?, ?, ?, ?)');
      const ev = db.prepare('INSERT INTO events (incident_id, seq, event_json, chain) VALUES (?, ?, ?, ?)');
      const cs = db.prepare('INSERT INTO chain_starts (incident_id, after_seq, hash) VALUES (?, ?, ?)');
      for (const i of snap.incidents) {
        if (i.metaJson !== '') {
          const m = JSON.parse(i.metaJson) as IncidentMeta;
          inc.run(i.id, String(m.conversation), m.open ? 1 : 0, Number(m.createdAtMs), m.drill === true ? 1 : 0, i.metaJson);
        }
        for (const e of i.events) ev.run(i.id, e.seq, e.json, e.chain);
        if (i.chainStart) cs.run(i.id, i.chainStart.afterSeq, i.chainStart.hash);
      }
    }).immediate();
  } finally {
    db.close();
  }
}

/** A SQLite ledger file's snapshot, read-only (a backup is checked as it is, never migrated or written). */
export function readSqliteSnapshot(file: string): LedgerSnapshot {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => snapshotOf(db)).deferred();
  } finally {
    db.close();
  }
}
