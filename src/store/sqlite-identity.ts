// The SQLite store's identity and high-water mark: which ledger this file is, the greatest incident id it ever
// allocated, and the guard that refuses writes once the file under the handle was replaced (store/identity.ts).
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { StoreReplacedError, incidentIdOf, splitIncidentId, type IdentityMethods, type StoreIdentity } from './types.ts';

/** Its tables: created with the rest of the schema (sqlite.ts's migrate), before sqliteIdentity prepares its statements. */
export const IDENTITY_SCHEMA = `
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

export interface SqliteIdentity {
  /** Throws StoreReplacedError when a bound identity is gone or changed (run inside write transactions). */
  guard(): void;
  /** Raises the high-water mark to prefix-n if it is greater (inside nextSequence's transaction). */
  raise(prefix: string, n: number): void;
  methods: IdentityMethods;
}

export function sqliteIdentity(db: Database.Database, path: string | null): SqliteIdentity {
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
    methods: {
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
    },
  };
}
