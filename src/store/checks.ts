// Start-up checks of the store: run before the bot says it is ready, so a store it cannot use is refused
// with a message that names the setting and the cause in plain words, not a stack trace after "ready".
import { randomBytes } from 'node:crypto';
import type DatabaseType from 'better-sqlite3';
import { Database } from './sqlite-driver.ts';

/** A store the bot refuses to start on. The message is complete and safe to print (no secrets). */
export class StoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOpenError';
  }
}

/** The cause of a SQLite failure in plain words, with the SQLite code in brackets. */
export function sqliteCause(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const c = typeof code === 'string' ? code : '';
  const msg = (e as Error).message ?? String(e);
  const why =
    c.startsWith('SQLITE_READONLY') || /readonly/i.test(msg)
      ? 'the file or its directory is read-only for this user (the bot writes the file and creates its -wal and -shm files beside it)'
      : c.startsWith('SQLITE_CANTOPEN')
        ? 'the file cannot be opened for writing (no permission on the file or its directory, which must allow creating the -wal and -shm files beside it)'
        : c.startsWith('SQLITE_CORRUPT')
          ? 'the database file is corrupt'
          : c === 'SQLITE_NOTADB'
            ? 'the file is not a SQLite database'
            : c.startsWith('SQLITE_FULL')
              ? 'the disk is full'
              : c.startsWith('SQLITE_IOERR')
                ? 'a disk I/O error occurred'
                : c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')
                  ? 'the database is locked by another process'
                  : c.startsWith('SQLITE_PERM') || c.startsWith('SQLITE_AUTH')
                    ? 'permission denied'
                    : msg;
  return `${why}${c ? ` [${c}: ${msg}]` : ''}`;
}

/**
 * Checks a SQLite file the bot is about to use: it is a SQLite database, intact (PRAGMA quick_check), ours or empty,
 * and writable all the way to the disk (a write in a transaction, committed with synchronous=FULL). Throws
 * StoreOpenError naming SQLITE_PATH and the cause. Leaves the file as it found it, except the check row.
 */
export function checkSqliteFile(absPath: string): void {
  const fail = (cause: string, e?: unknown): never => {
    throw new StoreOpenError(`cannot use the store at ${absPath} (SQLITE_PATH): ${cause}. The bot did not start; nothing was changed.`, { cause: e });
  };
  let db: DatabaseType.Database | undefined;
  try {
    db = new Database(absPath, { fileMustExist: true, timeout: 5000 });
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) fail(`the database file is corrupt (PRAGMA quick_check: ${problems.slice(0, 3).join('; ')})`);
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name);
    if (tables.length > 0 && !tables.includes('incidents')) fail(`the file is a SQLite database of something else (tables: ${tables.slice(0, 5).join(', ')}), not this bot's ledger`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const nonce = randomBytes(8).toString('hex');
    db.transaction(() => { // one commit, one fsync: the table (a first check) and the row
      db!.exec('CREATE TABLE IF NOT EXISTS store_check (one INTEGER PRIMARY KEY CHECK (one = 1), nonce TEXT NOT NULL)');
      db!.prepare('INSERT INTO store_check (one, nonce) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET nonce = excluded.nonce').run(nonce);
    }).immediate();
    const back = db.prepare<[], { nonce: string }>('SELECT nonce FROM store_check WHERE one = 1').get();
    if (back?.nonce !== nonce) fail('a test write did not read back');
  } catch (e) {
    if (e instanceof StoreOpenError) throw e;
    fail(sqliteCause(e), e);
  } finally {
    try {
      db?.close();
    } catch {
      // closing a handle that failed to open fully
    }
  }
}

/** What a Redis server says about itself, as far as the bot's safety goes. */
export interface RedisFacts {
  policy: string | null;
  aof: boolean | null;
  /** The RDB save schedule ('' when off), null when CONFIG is not available. */
  save: string | null;
  configDisabled: boolean;
  /** Redis TIME in ms. */
  timeMs: number;
}

function infoField(info: string, name: string): string | null {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  return m ? m[1]!.trim() : null;
}

/** Reads a Redis's eviction policy, persistence and clock through sendCommand (CONFIG where allowed, INFO otherwise). */
export async function redisFacts(send: (args: string[]) => Promise<unknown>): Promise<RedisFacts> {
  let policy: string | null = null;
  let save: string | null = null;
  let configDisabled = false;
  try {
    const p = (await send(['CONFIG', 'GET', 'maxmemory-policy'])) as string[];
    const s = (await send(['CONFIG', 'GET', 'save'])) as string[];
    policy = p[1] ?? null;
    save = s[1] ?? '';
  } catch {
    configDisabled = true; // managed Redis: CONFIG renamed or refused
  }
  const persistence = String(await send(['INFO', 'persistence']));
  if (policy === null) policy = infoField(String(await send(['INFO', 'memory'])), 'maxmemory_policy');
  const aofField = infoField(persistence, 'aof_enabled');
  const [sec, usec] = (await send(['TIME'])) as [string, string];
  return { policy, aof: aofField === null ? null : aofField === '1', save, configDisabled, timeMs: Number(sec) * 1000 + Math.floor(Number(usec) / 1000) };
}

export const MAX_CLOCK_SKEW_MS = 30_000;

/**
 * Judges a Redis: throws StoreOpenError for an evicting one (maxmemory-policy other than noeviction); returns the
 * warnings to log loudly (no persistence, CONFIG unavailable, the machine clock off Redis's by more than 30 s).
 */
export function judgeRedis(facts: RedisFacts, where: string, machineNowMs: number): string[] {
  const warnings: string[] = [];
  if (facts.configDisabled) warnings.push(`Redis at ${where} (REDIS_URL) does not allow CONFIG (a managed Redis?): checked its eviction policy and persistence through INFO instead`);
  if (facts.policy === null) warnings.push(`Redis at ${where} (REDIS_URL) does not report its maxmemory-policy: make sure it is noeviction, or incidents may be evicted`);
  else if (facts.policy !== 'noeviction') {
    throw new StoreOpenError(`refusing the Redis at ${where} (REDIS_URL): its maxmemory-policy is ${facts.policy}, so under memory pressure it deletes keys, incidents of the ledger among them. Set maxmemory-policy noeviction (redis.conf or CONFIG SET maxmemory-policy noeviction). The bot did not start.`);
  }
  const rdb = facts.save !== null && facts.save.trim() !== '';
  if (facts.aof !== true && !rdb) {
    warnings.push(facts.save === null
      ? `Redis at ${where} (REDIS_URL) has AOF off and its RDB save schedule cannot be read (CONFIG is disabled): unless the provider persists it, a restart loses the whole ledger. Turn on appendonly yes.`
      : `WARNING: Redis at ${where} (REDIS_URL) keeps nothing on disk (appendonly no, no RDB save schedule): a restart loses the whole ledger. Turn on appendonly yes (appendfsync everysec or always). The bot refuses writes if it finds the store emptied under it.`);
  }
  const skew = machineNowMs - facts.timeMs;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    warnings.push(`WARNING: this machine's clock is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'ahead of' : 'behind'} the Redis server's at ${where}: check NTP on this machine (a skewed clock makes Slack refuse every request's signature time and shifts every recorded time)`);
  }
  return warnings;
}
