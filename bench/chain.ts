// What the event log's hash chain costs an append: store.append (SQLite in memory and on a file, with the chain)
// against its baseline in the same run, the same rows written by a bare better-sqlite3 INSERT in a transaction per
// append (no version check, no chain). Also the SHA-256 of one event alone. Run alone: node --import tsx bench/chain.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { chainLink } from '../src/store/chain.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import type { BenchResult } from './run.ts';

const INCIDENTS = 200;
const APPENDS = 10; // per incident, one event each, after its creation
const event = (i: number) => ({ type: 'fact-set', path: 'networks.0.outage.totalMinutes', value: i, at: 1_796_000_000_000 + i, actor: 'slack:T1:U1' });

async function viaStore(path: string): Promise<number> {
  const s = createSqliteStore(path);
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < INCIDENTS; k++) {
    const id = `INC-20261201-${k}`;
    await s.append(id, 0, [event(0)], { id, conversation: 'slack:T1:C1', open: true, createdAtMs: k });
    for (let v = 1; v <= APPENDS; v++) await s.append(id, v, [event(v)]);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await s.close();
  return (INCIDENTS * (APPENDS + 1)) / (ms / 1000);
}

function viaInsert(path: string): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE events (incident_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT NOT NULL, PRIMARY KEY (incident_id, seq)) WITHOUT ROWID');
  const ins = db.prepare('INSERT INTO events (incident_id, seq, event_json) VALUES (?, ?, ?)');
  const tx = db.transaction((id: string, seq: number, json: string) => ins.run(id, seq, json));
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < INCIDENTS; k++) for (let v = 0; v <= APPENDS; v++) tx.immediate(`INC-20261201-${k}`, v + 1, JSON.stringify(event(v)));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  db.close();
  return (INCIDENTS * (APPENDS + 1)) / (ms / 1000);
}

export async function benchChain(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pboc-bench-chain-'));
  try {
    await viaStore(':memory:'); // warm-up
    const rows: Record<string, string | number>[] = [];
    for (const [where, path] of [['memory', ':memory:'], ['file', join(dir, 'a.db')]] as const) {
      const base = viaInsert(path === ':memory:' ? ':memory:' : join(dir, 'base.db'));
      const store = await viaStore(path);
      rows.push({ store: `sqlite ${where}`, 'bare INSERT /s (baseline)': Math.round(base), 'append with chain /s': Math.round(store), ratio: (store / base).toFixed(2) });
    }
    const json = JSON.stringify(event(1));
    const n = 50_000;
    let h = 'x';
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) h = chainLink(h, i, json);
    const us = Number(process.hrtime.bigint() - t0) / 1e3 / n;
    rows.push({ store: 'chainLink alone', 'bare INSERT /s (baseline)': '', 'append with chain /s': Math.round(1e6 / us), ratio: `${us.toFixed(2)} µs each` });
    return { name: `chain: ${INCIDENTS} incidents x ${APPENDS + 1} one-event appends (SQLite; baseline: bare INSERT of the same rows in the same run)`, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runBenches } = await import('./run.ts');
  await runBenches([benchChain]);
}
