// `pboc-incident ledger export --from YYYY-MM-DD --to YYYY-MM-DD --format csv|xlsx [--out FILE] [--lang zh|en]`
// The Art. 25 ledger of the incidents created in the range (Asia/Shanghai dates, --to inclusive), drills excluded.
import { writeFile as fsWriteFile } from 'node:fs/promises';
import { parseLang, type Lang } from '../../src/i18n/index.ts';
import { toCsv, toXlsx } from '../../src/ledger/export.ts';
import { ledgerFromStore, type LedgerBy } from '../../src/ledger/ledger.ts';
import { endOfShanghaiDate, startOfShanghaiDate } from '../../src/calendar/time.ts';
import { isValidDate } from '../../src/calendar/working-days.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/types.ts';

export interface LedgerCliDeps {
  openStore(): Promise<Store>;
  stdout(s: string | Buffer): void;
  stderr(s: string): void;
  /** True when stdout is a terminal: binary XLSX is not written there. */
  stdoutIsTTY?: boolean;
  /** Writes --out; defaults to node:fs. */
  writeFile?(path: string, data: string | Buffer): Promise<void>;
}

/**
 * Opens the bot's store for reading, refusing a missing one (no SQLite file, an empty file, a Redis without the
 * store's identity): opening it would print an empty ledger, as if there had been no incidents.
 */
export async function openExistingStore(env: { REDIS_URL?: string; SQLITE_PATH?: string }, log?: (msg: string) => void): Promise<Store> {
  return openStore(env, { mode: 'open', reader: true, ...(log ? { log } : {}) });
}

export const LEDGER_HELP = `pboc-incident ledger export: the Art. 25 incident ledger, one row per report

Usage:
  pboc-incident ledger export --from YYYY-MM-DD --to YYYY-MM-DD --format csv|xlsx [--by occurrence|report] [--out FILE] [--lang zh|en]

From --from 00:00 to --to 24:00, Asia/Shanghai (both dates included); drills excluded.
--by occurrence (default): incidents that occurred in the range (事发时间), with all their reports.
--by report: the reports sent in the range (报告时间), whenever their incident occurred.
CSV is UTF-8 with a BOM (Excel opens the Chinese correctly). XLSX goes to --out, or to a redirected stdout
(never to a terminal); its times are Excel date cells in Beijing time.
The store is the bot's: REDIS_URL when set, else SQLITE_PATH (default ./data/pboc-incident.db).
Exit codes: 0 ok, 2 bad input (the message names the flag), 1 store or internal error.
`;

class FlagError extends Error {}

interface Options {
  fromDate: string;
  toDate: string;
  format: 'csv' | 'xlsx';
  out?: string;
  lang: Lang;
  by: LedgerBy;
}

const FLAGS = new Set(['--from', '--to', '--format', '--out', '--lang', '--by']);

function parseArgs(args: readonly string[]): Options | 'help' {
  const rest = args[0] === 'export' ? args.slice(1) : [...args];
  if (rest.includes('--help') || rest.includes('-h')) return 'help';
  const got: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (!FLAGS.has(flag)) throw new FlagError(`unknown argument "${a}": expected --from, --to, --format, --by, --out or --lang (see --help)`);
    const value = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : rest[++i];
    if (value === undefined || value === '' || FLAGS.has(value)) throw new FlagError(`${flag}: missing value`);
    if (got[flag] !== undefined) throw new FlagError(`${flag}: given twice`);
    got[flag] = value;
  }
  const date = (flag: '--from' | '--to'): string => {
    const v = got[flag];
    if (v === undefined) throw new FlagError(`${flag}: required, a date YYYY-MM-DD (Asia/Shanghai)`);
    if (!isValidDate(v)) throw new FlagError(`${flag}: expected a calendar date YYYY-MM-DD, got "${v}"`);
    return v;
  };
  const fromDate = date('--from');
  const toDate = date('--to');
  if (toDate < fromDate) throw new FlagError(`--to: ${toDate} is before --from ${fromDate}`);
  const format = got['--format'];
  if (format === undefined) throw new FlagError('--format: required, csv or xlsx');
  if (format !== 'csv' && format !== 'xlsx') throw new FlagError(`--format: expected csv or xlsx, got "${format}"`);
  let lang: Lang = 'zh-CN';
  if (got['--lang'] !== undefined) {
    const parsed = parseLang(got['--lang']);
    if (!parsed) throw new FlagError(`--lang: expected zh or en, got "${got['--lang']}"`);
    lang = parsed;
  }
  const by = got['--by'] ?? 'occurrence';
  if (by !== 'occurrence' && by !== 'report') throw new FlagError(`--by: expected occurrence or report, got "${by}"`);
  return { fromDate, toDate, format, lang, by, ...(got['--out'] !== undefined ? { out: got['--out'] } : {}) };
}

/** Runs `ledger export`; returns the exit code. The store is opened only once the arguments are valid, and always closed. */
export async function runLedgerExport(args: string[], deps: LedgerCliDeps): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parseArgs(args);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    deps.stderr(`error: ${e.message}\n`);
    return 2;
  }
  if (opts === 'help') {
    deps.stdout(LEDGER_HELP);
    return 0;
  }
  if (opts.format === 'xlsx' && opts.out === undefined && deps.stdoutIsTTY) {
    deps.stderr('error: --format xlsx writes a binary file: give --out FILE (or redirect stdout to a file)\n');
    return 2;
  }
  let store: Store | null = null;
  try {
    store = await deps.openStore();
    const rows = await ledgerFromStore(store, startOfShanghaiDate(opts.fromDate), endOfShanghaiDate(opts.toDate), opts.lang, { conversation: null, by: opts.by });
    const data = opts.format === 'csv' ? toCsv(rows, opts.lang) : await toXlsx(rows, opts.lang);
    if (opts.out !== undefined) {
      await (deps.writeFile ?? fsWriteFile)(opts.out, data);
      deps.stderr(`${rows.length} row(s) written to ${opts.out}\n`);
    } else {
      deps.stdout(data);
    }
    return 0;
  } catch (e) {
    deps.stderr(`error: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}
