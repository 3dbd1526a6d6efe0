import { describe, expect, it } from 'vitest';
import { LEDGER_HELP, runLedgerExport } from '../../adapters/cli/ledger.ts';
import { parseCsv } from '../../src/ledger/export.ts';
import { createSqliteStore, type Store } from '../../src/store/index.ts';
import { seed } from './stores.ts';

async function run(args: string[], opts: { failOpen?: boolean } = {}) {
  const out: Array<string | Buffer> = [];
  const err: string[] = [];
  let opened = 0;
  let closed = 0;
  const code = await runLedgerExport(args, {
    openStore: async (): Promise<Store> => {
      opened++;
      if (opts.failOpen) throw new Error('Redis store: cannot connect to redis://127.0.0.1:1/');
      const s = createSqliteStore(':memory:');
      await seed(s);
      return { ...s, close: async () => { closed++; await s.close(); } };
    },
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
  });
  return { code, out, err: err.join(''), opened, closed };
}

describe('pboc-incident ledger export', () => {
  it('--to is inclusive, dates are Asia/Shanghai; the store is closed afterwards', async () => {
    const r = await run(['export', '--from', '2026-12-01', '--to', '2026-12-01', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(parseCsv(String(r.out[0])).map((x) => x.incidentId)).toEqual(['INC-20261201-01', 'INC-20261201-01']);
    expect([r.opened, r.closed]).toEqual([1, 1]);
    const before = await run(['export', '--from', '2026-11-01', '--to', '2026-11-29', '--format', 'csv']);
    expect(parseCsv(String(before.out[0]))).toEqual([]);
  });

  it('--lang en gives English headers; xlsx without --out goes to stdout as bytes', async () => {
    const en = await run(['--from', '2026-11-30', '--to', '2026-11-30', '--format', 'csv', '--lang', 'en']);
    expect(String(en.out[0])).toMatch(/^\uFEFFIncident,Report,Title,/);
    const x = await run(['--from', '2026-11-30', '--to', '2026-11-30', '--format', 'xlsx']);
    expect(x.code).toBe(0);
    expect(Buffer.isBuffer(x.out[0])).toBe(true);
    expect((x.out[0] as Buffer).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it.each([
    [[], /--from: required/],
    [['--from', '2026-11-30', '--format', 'csv'], /--to: required/],
    [['--from', '2026-13-01', '--to', '2026-12-01', '--format', 'csv'], /--from: expected a calendar date YYYY-MM-DD, got "2026-13-01"/],
    [['--from', '2026-11-30', '--to', '30/11/2026', '--format', 'csv'], /--to: expected a calendar date/],
    [['--from', '2026-12-02', '--to', '2026-12-01', '--format', 'csv'], /--to: 2026-12-01 is before --from 2026-12-02/],
    [['--from', '2026-11-30', '--to', '2026-11-30'], /--format: required/],
    [['--from', '2026-11-30', '--to', '2026-11-30', '--format', 'pdf'], /--format: expected csv or xlsx, got "pdf"/],
    [['--from', '2026-11-30', '--to', '2026-11-30', '--format', 'csv', '--lang', 'fr'], /--lang: expected zh or en/],
    [['--from', '--to', '2026-11-30', '--format', 'csv'], /--from: missing value/],
    [['--from', '2026-11-30', '--from', '2026-11-30', '--to', '2026-11-30', '--format', 'csv'], /--from: given twice/],
    [['--from', '2026-11-30', '--to', '2026-11-30', '--format', 'csv', '--since', 'x'], /unknown argument "--since"/],
  ])('bad input %j exits 2 naming the flag, without opening the store', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.startsWith('error: ')).toBe(true);
    expect(r.out).toEqual([]);
    expect(r.opened).toBe(0);
  });

  it('a store that cannot be opened exits 1 with its message', async () => {
    const r = await run(['--from', '2026-11-30', '--to', '2026-11-30', '--format', 'csv'], { failOpen: true });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot connect/);
  });

  it('--help', async () => {
    const r = await run(['export', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([LEDGER_HELP]);
  });
});
