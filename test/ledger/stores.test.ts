import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLedgerExport } from '../../adapters/cli/ledger.ts';
import { fold } from '../../src/incident/state.ts';
import { parseCsv, parseXlsx } from '../../src/ledger/export.ts';
import { ledgerFromStore, ledgerRows } from '../../src/ledger/ledger.ts';
import { endOfShanghaiDate, startOfShanghaiDate } from '../../src/calendar/time.ts';
import { createRedisStore, createSqliteStore, type Store } from '../../src/store/index.ts';
import { describeRedis, url } from '../fakes/redis.ts';
import { fullIncidentEvents, sparseIncidentEvents } from '../reports/fixtures.ts';
import { deleteRedisPrefix, seed, uniquePrefix } from './stores.ts';

const prefix = uniquePrefix('ledger');
const dir = mkdtempSync(join(tmpdir(), 'pboc-ledger-'));

const from = startOfShanghaiDate('2026-11-30');
const to = endOfShanghaiDate('2026-11-30');
// What the ledger must hold for 2026-11-30: the two real incidents in creation order (the sparse one opened at
// 09:00, the full one at 10:10), not the drill, not the next day's.
const expected = ledgerRows([fold(sparseIncidentEvents('INC-20261130-02', '2026-11-30')), fold(fullIncidentEvents('INC-20261130-01', '2026-11-30'))]);

/** Runs the CLI against an already-open store (the CLI closes what it opens, so hand it a no-op close). */
async function cli(store: Store, args: string[]) {
  const out: Array<string | Buffer> = [];
  const err: string[] = [];
  const files = new Map<string, string | Buffer>();
  const code = await runLedgerExport(args, {
    openStore: async () => ({ ...store, close: async () => {} }),
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    writeFile: async (path, data) => void files.set(path, data),
  });
  return { code, out, err: err.join(''), files };
}

describe('ledger from the SQLite store', () => {
  let store: Store;
  beforeAll(async () => {
    store = createSqliteStore(join(dir, 'ledger.db'));
    await seed(store);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the incidents created in the range, drills excluded, as folded from their logs', async () => {
    expect(await ledgerFromStore(store, from, to)).toEqual(expected);
    expect((await ledgerFromStore(store, from, endOfShanghaiDate('2026-12-01'))).map((r) => r.incidentId)).toEqual([
      'INC-20261130-02', 'INC-20261130-01', 'INC-20261130-01', 'INC-20261201-01', 'INC-20261201-01',
    ]);
  });

  it('`ledger export` writes the same rows as CSV on stdout and XLSX to --out', async () => {
    const csv = await cli(store, ['export', '--from', '2026-11-30', '--to', '2026-11-30', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(parseCsv(String(csv.out[0]))).toEqual(expected);
    const xlsx = await cli(store, ['--from=2026-11-30', '--to=2026-11-30', '--format=xlsx', '--out', '/tmp/never-written.xlsx']);
    expect(xlsx.code).toBe(0);
    expect(xlsx.out).toEqual([]);
    expect(xlsx.err).toBe('3 row(s) written to /tmp/never-written.xlsx\n');
    expect(await parseXlsx(xlsx.files.get('/tmp/never-written.xlsx') as Buffer)).toEqual(expected);
  });
});

describeRedis('ledger from the Redis store', () => {
  let redis: Store;
  let sqlite: Store;
  beforeAll(async () => {
    redis = await createRedisStore(url, { prefix });
    sqlite = createSqliteStore(':memory:');
    await seed(redis);
    await seed(sqlite);
  });
  afterAll(async () => {
    await redis.close();
    await sqlite.close();
    await deleteRedisPrefix(url, prefix);
  });

  it('an export over a range spanning incidents gives the same rows from SQLite and Redis', async () => {
    for (const [a, b] of [[from, to], [from, endOfShanghaiDate('2026-12-01')], [startOfShanghaiDate('2026-12-01'), endOfShanghaiDate('2026-12-31')]] as const) {
      const fromRedis = await ledgerFromStore(redis, a, b);
      expect(fromRedis.length).toBeGreaterThan(0);
      expect(fromRedis).toEqual(await ledgerFromStore(sqlite, a, b));
    }
    expect(await ledgerFromStore(redis, from, to)).toEqual(expected);
  });

  it('the CLI exports byte-identical CSV from both stores', async () => {
    const args = ['export', '--from', '2026-11-01', '--to', '2026-12-31', '--format', 'csv'];
    const [r, s] = [await cli(redis, args), await cli(sqlite, args)];
    expect(r.code).toBe(0);
    expect(r.out).toEqual(s.out);
    expect(parseCsv(String(r.out[0]))).toHaveLength(5);
  });
});
