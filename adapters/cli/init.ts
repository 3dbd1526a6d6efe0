// `pboc-incident init [--after INC-YYYYMMDD-NN]`: creates a new, empty store where the bot would open one
// (REDIS_URL when set, else SQLITE_PATH), and prints its identity. Refuses when a store is already there.
import { StoreOpenError } from '../../src/store/checks.ts';
import { shortId } from '../../src/store/identity.ts';
import { openLedgerStore } from '../../src/store/open.ts';
import { splitIncidentId } from '../../src/store/types.ts';

export const INIT_HELP = `pboc-incident init: create the bot's store (a new, empty ledger)

Usage:
  pboc-incident init [--after INC-YYYYMMDD-NN]

Creates the store the bot opens: Redis at REDIS_URL when set, else the SQLite file at SQLITE_PATH
(default ./data/pboc-incident.db). Prints the new store's identity. Refuses when a store is already there.
--after ID: the new store's incident ids continue after ID (a replacement store never re-uses ids
already reported to the PBoC): with --after INC-20261130-03 the next incident that day is INC-20261130-04.
Exit codes: 0 created, 2 bad input, 1 a store is already there or cannot be created.
`;

export async function runInit(args: string[], io: { env: Record<string, string | undefined>; nowMs: number; stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(INIT_HELP);
    return 0;
  }
  let after: string | undefined;
  const rest = [...args];
  const i = rest.findIndex((a) => a === '--after' || a.startsWith('--after='));
  if (i >= 0) {
    after = rest[i]!.includes('=') ? rest[i]!.slice('--after='.length) : rest[i + 1];
    rest.splice(i, rest[i]!.includes('=') ? 1 : 2);
    if (after === undefined || !splitIncidentId(after)) {
      io.stderr(`error: --after: expected an incident id like INC-20261130-03, got "${after ?? ''}"\n`);
      return 2;
    }
  }
  if (rest.length > 0) {
    io.stderr(`error: init takes only --after ID (got "${rest.join(' ')}"); see pboc-incident init --help\n`);
    return 2;
  }
  try {
    const opened = await openLedgerStore(io.env, { mode: 'init', nowMs: io.nowMs, log: (m) => io.stderr(`${m}\n`), ...(after !== undefined ? { after } : {}) });
    await opened.store.close();
    io.stdout(`${JSON.stringify({
      created: opened.where,
      identity: opened.identity.id,
      short: shortId(opened.identity.id),
      ...(after !== undefined ? { continuesAfter: after } : {}),
      lastId: opened.summary.lastId,
    }, null, 2)}\n`);
    io.stderr(`created a new, empty ledger at ${opened.where}: identity ${shortId(opened.identity.id)}${after !== undefined ? `, ids continue after ${after}` : ''}\n`);
    return 0;
  } catch (e) {
    io.stderr(`error: ${e instanceof StoreOpenError ? e.message : `cannot create the store: ${(e as Error).message}`}\n`);
    return 1;
  }
}
