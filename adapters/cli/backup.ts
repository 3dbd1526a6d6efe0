// `pboc-incident backup --to FILE` and `pboc-incident verify [--file FILE] [--identity ID]`: a copy of the ledger
// taken while the bot runs, and the checks that say whether a ledger (the store, or a copy) is whole.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compareHeads, headsOf, parseHeads, verifyLedger, type VerifyResult } from '../../src/ledger/verify.ts';
import { StoreOpenError } from '../../src/store/checks.ts';
import { openStore } from '../../src/store/open.ts';
import type { LedgerSnapshot } from '../../src/store/types.ts';

export interface BackupIo {
  env: Record<string, string | undefined>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const BACKUP_HELP = `pboc-incident backup: a copy of the bot's ledger, taken while the bot runs

Usage:
  pboc-incident backup --to FILE

Copies the store the bot opens (REDIS_URL when set, else SQLITE_PATH) into FILE, a SQLite file of the bot's own
schema: SQLite by an online backup of the whole file; Redis by one consistent read of the ledger's keys (incidents,
events, hash chain, sequences, identity, high-water mark; not claims, sessions, wake-ups or the inbox). FILE must
not exist. The copy is then verified (see verify --help) and the head of every incident's hash chain is printed:
keep that output apart from the store, and a chain recomputed after an edit is caught by comparing heads.
Exit codes: 0 copied and verified, 2 bad input, 1 the store cannot be read or the copy fails verification.
`;

export const VERIFY_HELP = `pboc-incident verify: check that a ledger is whole

Usage:
  pboc-incident verify [--file FILE] [--identity ID] [--heads HEADS_FILE]

Checks the bot's store (REDIS_URL when set, else SQLITE_PATH), or with --file a SQLite file (a backup) read-only:
every incident's record and events are present and fold into an incident, event versions are contiguous, report
ids are unique, the high-water mark and the sequences cover every incident id, the store has its identity (with
--identity, the one given: its first 8 characters or more), and every incident's hash chain holds (the first
event where a chain breaks is named). --heads HEADS_FILE: chain heads kept from before (a backup's JSON output, or
the bot's "chain head:" log lines); an incident whose chain value at a recorded version differs, or that lost
events, was rewritten, even if its chain was recomputed.
Exit codes: 0 whole, 2 bad input, 1 a problem found (each named on stderr and in the JSON) or the store cannot be read.
`;

function flags(args: string[], allowed: string[], io: BackupIo): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (!allowed.includes(name)) {
      io.stderr(`error: unknown argument "${a}" (expected ${allowed.join(', ')})\n`);
      return null;
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '') {
      io.stderr(`error: ${name} needs a value\n`);
      return null;
    }
    out[name] = value;
  }
  return out;
}

function report(r: VerifyResult, io: BackupIo): void {
  for (const p of r.problems) io.stderr(`✗ ${p.message}\n`);
  if (r.unchainedIncidents > 0) io.stderr(`note: ${r.unchainedIncidents} incidents were written before the hash chain and not appended to since: their chain starts at their next change\n`);
}

export async function runBackup(args: string[], io: BackupIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(BACKUP_HELP);
    return 0;
  }
  const f = flags(args, ['--to'], io);
  if (!f) return 2;
  if (!f['--to']) {
    io.stderr('error: --to FILE is required (the SQLite file to write)\n');
    return 2;
  }
  const to = resolve(f['--to']);
  if (existsSync(to)) {
    io.stderr(`error: --to: ${to} exists; a backup never overwrites a file (nothing was written)\n`);
    return 2;
  }
  if (!existsSync(dirname(to))) {
    io.stderr(`error: --to: the directory ${dirname(to)} does not exist (nothing was written)\n`);
    return 2;
  }
  let store;
  try {
    store = await openStore(io.env, { mode: 'open', reader: true, log: (m) => io.stderr(`${m}\n`) });
  } catch (e) {
    io.stderr(`error: ${e instanceof StoreOpenError ? e.message : (e as Error).message}\n`);
    return 1;
  }
  // Written beside FILE under a temporary name and renamed when complete: FILE is never a half-written copy.
  const partial = join(dirname(to), `.${Date.now().toString(36)}-${process.pid}.backup-partial`);
  let snap: LedgerSnapshot;
  try {
    await store.backupTo(partial);
    const { readSqliteSnapshot } = await import('../../src/store/sqlite.ts');
    snap = readSqliteSnapshot(partial);
    renameSync(partial, to);
  } catch (e) {
    for (const x of ['', '-wal', '-shm']) rmSync(partial + x, { force: true });
    io.stderr(`error: the backup failed, nothing was written to ${to}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
  const r = verifyLedger(snap);
  io.stdout(`${JSON.stringify({
    file: to,
    store: store.kind,
    identity: snap.identity?.id ?? null,
    incidents: r.incidents,
    events: r.events,
    verified: r.ok,
    problems: r.problems,
    heads: headsOf(snap),
  }, null, 2)}\n`);
  report(r, io);
  io.stderr(r.ok ? `backup written to ${to}: ${r.incidents} incidents, ${r.events} events, verified\n` : `backup written to ${to}, but the copy fails verification (above)\n`);
  return r.ok ? 0 : 1;
}

export async function runVerify(args: string[], io: BackupIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(VERIFY_HELP);
    return 0;
  }
  const f = flags(args, ['--file', '--identity', '--heads'], io);
  if (!f) return 2;
  let recorded: ReturnType<typeof parseHeads> = null;
  if (f['--heads'] !== undefined) {
    try {
      recorded = parseHeads(readFileSync(resolve(f['--heads']), 'utf8'));
    } catch (e) {
      io.stderr(`error: --heads: cannot read ${resolve(f['--heads'])}: ${(e as Error).message}\n`);
      return 2;
    }
    if (recorded === null) {
      io.stderr(`error: --heads: ${resolve(f['--heads'])} holds no chain heads (a backup's JSON output, or "chain head:" log lines)\n`);
      return 2;
    }
  }
  if (f['--identity'] !== undefined && !/^[0-9a-f]{8,32}$/i.test(f['--identity'])) {
    io.stderr(`error: --identity: expected the store identity or its first 8 or more hex characters, got "${f['--identity']}"\n`);
    return 2;
  }
  let snap: LedgerSnapshot;
  try {
    if (f['--file'] !== undefined) {
      const file = resolve(f['--file']);
      if (!existsSync(file)) {
        io.stderr(`error: --file: no such file ${file}\n`);
        return 2;
      }
      snap = (await import('../../src/store/sqlite.ts')).readSqliteSnapshot(file);
    } else {
      const store = await openStore(io.env, { mode: 'open', reader: true, log: (m) => io.stderr(`${m}\n`) });
      try {
        snap = await store.snapshot();
      } finally {
        await store.close();
      }
    }
  } catch (e) {
    io.stderr(`error: cannot read the ledger: ${e instanceof StoreOpenError ? e.message : (e as Error).message}\n`);
    return 1;
  }
  const checked = verifyLedger(snap, f['--identity']);
  const headProblems = recorded ? compareHeads(snap, recorded) : [];
  const r: VerifyResult = { ...checked, ok: checked.ok && headProblems.length === 0, problems: [...checked.problems, ...headProblems] };
  io.stdout(`${JSON.stringify({ ...r, identity: snap.identity?.id ?? null }, null, 2)}\n`);
  report(r, io);
  io.stderr(r.ok ? `verified: ${r.incidents} incidents, ${r.events} events\n` : `verify failed: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}\n`);
  return r.ok ? 0 : 1;
}
