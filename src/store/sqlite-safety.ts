// The SQLite store's identity, high-water mark and pruning (issue 14), kept beside sqlite.ts so its merge stays small.
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { DONE_WINDOW_MS, StoreReplacedError, incidentIdOf, splitIncidentId, type LedgerSummary, type PruneCounts, type StoreIdentity } from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS store_identity (
  one           INTEGER PRIMARY KEY CHECK (one = 1),
  id            TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  how           TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS high_water (
  one    INTEGER PRIMARY KEY CHECK (one = 1),
  prefix TEXT NOT NULL,
  n      INTEGER NOT NULL
);
`;

export interface SqliteSafety {
  /** Throws StoreReplacedError when a bound identity is gone or changed (run inside write transactions). */
  guard(): void;
  /** Raises the high-water mark to prefix-n if it is greater (inside nextSequence's transaction). */
  raise(prefix: string, n: number): void;
  readIdentity(): Promise<StoreIdentity | null>;
  writeIdentity(identity: StoreIdentity, after?: string): Promise<boolean>;
  bindIdentity(id: string): void;
  summary(): Promise<LedgerSummary>;
  prune(nowMs: number): Promise<PruneCounts>;
}

export function sqliteSafety(db: Database.Database, path: string | null): SqliteSafety {
  db.exec(SCHEMA);
  // Migration: done-markers carry the time they were first seen by prune (NULL until then), so they can expire.
  const doneCols = db.prepare<[], { name: string }>('PRAGMA table_info(done)').all().map((c) => c.name);
  if (!doneCols.includes('done_at_ms')) db.exec('ALTER TABLE done ADD COLUMN done_at_ms INTEGER');

  const q = {
    identity: db.prepare<[], { id: string; created_at_ms: number; how: StoreIdentity['how'] }>('SELECT id, created_at_ms, how FROM store_identity WHERE one = 1'),
    insertIdentity: db.prepare<[string, number, string]>('INSERT OR IGNORE INTO store_identity (one, id, created_at_ms, how) VALUES (1, ?, ?, ?)'),
    raise: db.prepare<[string, number]>(
      `INSERT INTO high_water (one, prefix, n) VALUES (1, ?, ?) ON CONFLICT (one) DO UPDATE SET prefix = excluded.prefix, n = excluded.n
       WHERE excluded.prefix > high_water.prefix OR (excluded.prefix = high_water.prefix AND excluded.n > high_water.n)`,
    ),
    highWater: db.prepare<[], { prefix: string; n: number }>('SELECT prefix, n FROM high_water WHERE one = 1'),
    topSequence: db.prepare<[], { prefix: string; value: number }>('SELECT prefix, value FROM sequences ORDER BY prefix DESC LIMIT 1'),
    seqAtLeast: db.prepare<[string, number]>(
      'INSERT INTO sequences (prefix, value) VALUES (?, ?) ON CONFLICT (prefix) DO UPDATE SET value = MAX(value, excluded.value)',
    ),
    count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM incidents'),
    pruneClaims: db.prepare<[number]>('DELETE FROM claims WHERE expires_at_ms <= ?'),
    pruneSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at_ms <= ?'),
    stampDone: db.prepare<[number]>('UPDATE done SET done_at_ms = ? WHERE done_at_ms IS NULL'),
    pruneDone: db.prepare<[number]>('DELETE FROM done WHERE done_at_ms <= ?'),
    // Inbox keys past their de-duplication window (inboxDone's retainMs): not ledger data.
    pruneInbox: db.prepare<[number]>('DELETE FROM inbox WHERE done_until_ms IS NOT NULL AND done_until_ms <= ?'),
  };

  let bound: string | null = null;
  let boundIno: number | null = null;

  const writeTx = db.transaction((identity: StoreIdentity, after: string | undefined): boolean => {
    if (q.insertIdentity.run(identity.id, identity.createdAtMs, identity.how).changes !== 1) return false;
    const top = q.topSequence.get();
    if (top) q.raise.run(top.prefix, top.value);
    const split = after === undefined ? null : splitIncidentId(after);
    if (split) {
      q.seqAtLeast.run(split[0], split[1]);
      q.raise.run(split[0], split[1]);
    }
    return true;
  });

  const pruneTx = db.transaction((nowMs: number): PruneCounts => {
    q.stampDone.run(nowMs); // markers written since the last prune (or before this column existed) start their window now
    return {
      claims: q.pruneClaims.run(nowMs).changes,
      sessions: q.pruneSessions.run(nowMs).changes,
      once: q.pruneDone.run(nowMs - DONE_WINDOW_MS).changes + q.pruneInbox.run(nowMs).changes,
    };
  });

  const inode = (): number | null => {
    try {
      return statSync(path!).ino;
    } catch {
      return null;
    }
  };

  return {
    guard() {
      if (bound === null) return;
      // The file deleted or replaced (a new file at the path): this handle would write to a ledger nobody reads.
      if (path !== null && inode() !== boundIno) throw new StoreReplacedError(bound, null, `the file at ${path} was deleted or replaced`);
      const now = q.identity.get()?.id ?? null;
      if (now !== bound) throw new StoreReplacedError(bound, now);
    },
    raise(prefix, n) {
      q.raise.run(prefix, n);
    },
    async readIdentity() {
      const r = q.identity.get();
      return r ? { id: r.id, createdAtMs: r.created_at_ms, how: r.how } : null;
    },
    async writeIdentity(identity, after) {
      return writeTx.immediate(identity, after);
    },
    bindIdentity(id) {
      bound = id;
      boundIno = path === null ? null : inode();
    },
    async summary() {
      const hw = q.highWater.get();
      const top = hw ? null : q.topSequence.get();
      const lastId = hw ? incidentIdOf(hw.prefix, hw.n) : top ? incidentIdOf(top.prefix, top.value) : null;
      return { incidents: q.count.get()?.n ?? 0, lastId };
    },
    async prune(nowMs) {
      return pruneTx.immediate(nowMs);
    },
  };
}
