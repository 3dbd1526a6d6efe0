import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { redactRedisUrl } from '../config/redact.ts';
import { checkSqliteFile, judgeRedis, redisFacts, sqliteCause, StoreOpenError } from './checks.ts';
import { ensureIdentity, INIT_HINT, type IdentityOutcome, type OpenMode } from './identity.ts';
import type { Store } from './types.ts';

export const DEFAULT_SQLITE_PATH = './data/pboc-incident.db';

type StoreEnv = { REDIS_URL?: string; SQLITE_PATH?: string };

export interface OpenOptions {
  /** open (default): the store must exist. first-start / init: may create it (see identity.ts). */
  mode?: OpenMode;
  /** init --after: the new store's ids continue after this incident id. */
  after?: string;
  log?: (msg: string) => void;
  /** Caller's clock (the identity's createdAt) and the machine's clock (compared with Redis TIME). */
  nowMs?: number;
  machineNowMs?: () => number;
  /** A reader (ledger export): a pre-identity ledger is read as it is, not adopted. */
  reader?: boolean;
  /** Redis key prefix (tests). */
  prefix?: string;
}

export interface OpenedStore extends IdentityOutcome {
  store: Store;
  /** `/abs/path.db (SQLITE_PATH)` or `redis://host:6379/ (REDIS_URL)`, password redacted. */
  where: string;
  /** Loud warnings found at start-up (Redis without persistence, clock skew); already logged. */
  warnings: string[];
}

const usesRedis = (env: StoreEnv): env is StoreEnv & { REDIS_URL: string } => env.REDIS_URL !== undefined && env.REDIS_URL !== '';
export const sqlitePathOf = (env: StoreEnv): string => (env.SQLITE_PATH !== undefined && env.SQLITE_PATH !== '' ? env.SQLITE_PATH : DEFAULT_SQLITE_PATH);

/**
 * Opens the bot's store and checks it before anyone says "ready": Redis when REDIS_URL is set (non-empty), else
 * SQLite at SQLITE_PATH or ./data/pboc-incident.db. A missing store is refused unless the mode may create one; a
 * store the bot cannot use (read-only, corrupt, an evicting Redis) is refused with StoreOpenError. Only the chosen
 * implementation is loaded: a SQLite run never loads the Redis client, and the other way round.
 */
export async function openLedgerStore(env: StoreEnv, o: OpenOptions = {}): Promise<OpenedStore> {
  let mode = o.mode ?? 'open';
  const nowMs = o.nowMs ?? Date.now();
  const warnings: string[] = [];
  const warn = (w: string) => { warnings.push(w); o.log?.(w); };
  let store: Store;
  let where: string;
  if (usesRedis(env)) {
    where = `${redactRedisUrl(env.REDIS_URL)} (REDIS_URL)`;
    const { createRedisStore } = await import('./redis.ts');
    store = await createRedisStore(env.REDIS_URL, o.prefix !== undefined ? { prefix: o.prefix } : undefined);
    try {
      const { createClient } = await import('redis');
      const probe = createClient({ url: env.REDIS_URL, socket: { connectTimeout: 5000, reconnectStrategy: false } });
      probe.on('error', () => {});
      await probe.connect();
      try {
        const facts = await redisFacts((args) => probe.sendCommand(args));
        for (const w of judgeRedis(facts, redactRedisUrl(env.REDIS_URL), (o.machineNowMs ?? Date.now)())) warn(w);
      } finally {
        await probe.close().catch(() => probe.destroy());
      }
    } catch (e) {
      await store.close();
      if (e instanceof StoreOpenError) throw e;
      throw new StoreOpenError(`cannot check the Redis at ${where}: ${(e as Error).message}`, { cause: e });
    }
  } else {
    const path = sqlitePathOf(env);
    if (path === ':memory:') {
      const { createSqliteStore } = await import('./sqlite.ts');
      store = createSqliteStore(path);
      where = ':memory: (SQLITE_PATH)';
      if (mode === 'open') mode = 'first-start'; // in memory, every store is a new one
    } else {
      const abs = resolve(path);
      where = `${abs} (SQLITE_PATH)`;
      const size = existsSync(abs) ? statSync(abs).size : -1;
      if (size <= 0 && mode === 'open') {
        throw new StoreOpenError(`no store at ${abs} (SQLITE_PATH): ${size === 0 ? 'the file is empty (zero bytes)' : 'there is no such file'}. ${INIT_HINT[0]!.toUpperCase()}${INIT_HINT.slice(1)}. The bot did not start.`);
      }
      if (size < 0) {
        try {
          mkdirSync(dirname(abs), { recursive: true });
        } catch (e) {
          throw new StoreOpenError(`cannot create the directory of ${where}: ${(e as Error).message}`, { cause: e });
        }
      }
      const { createSqliteStore } = await import('./sqlite.ts');
      if (size < 0) {
        try {
          createSqliteStore(abs).close();
        } catch (e) {
          throw new StoreOpenError(`cannot create the store at ${where}: ${sqliteCause(e)}`, { cause: e });
        }
      }
      checkSqliteFile(abs);
      try {
        store = createSqliteStore(abs);
      } catch (e) {
        throw new StoreOpenError(`cannot use the store at ${where}: ${sqliteCause(e)}. The bot did not start.`, { cause: e });
      }
    }
  }
  try {
    const outcome = await ensureIdentity(store, { mode, where, nowMs, ...(o.after !== undefined ? { after: o.after } : {}), ...(o.log ? { log: o.log } : {}), ...(o.reader ? { reader: true } : {}) });
    return { store, where, warnings, ...outcome };
  } catch (e) {
    await store.close();
    if (e instanceof StoreOpenError) throw e;
    throw new StoreOpenError(`cannot use the store at ${where}: ${store.kind === 'sqlite' ? sqliteCause(e) : (e as Error).message}`, { cause: e });
  }
}

/** openLedgerStore's store alone (the CLI's ledger export and other readers): refuses a missing store. */
export async function openStore(env: StoreEnv, o: OpenOptions = {}): Promise<Store> {
  return (await openLedgerStore(env, o)).store;
}
