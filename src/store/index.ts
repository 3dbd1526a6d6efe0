import { createRedisStore } from './redis.ts';
import { createSqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

export * from './types.ts';
export { createRedisStore } from './redis.ts';
export { createSqliteStore } from './sqlite.ts';

export const DEFAULT_SQLITE_PATH = './data/pboc-incident.db';

/** Redis when REDIS_URL is set (non-empty), else SQLite at SQLITE_PATH or ./data/pboc-incident.db. */
export async function openStore(env: { REDIS_URL?: string; SQLITE_PATH?: string }): Promise<Store> {
  if (env.REDIS_URL !== undefined && env.REDIS_URL !== '') return createRedisStore(env.REDIS_URL);
  return createSqliteStore(env.SQLITE_PATH !== undefined && env.SQLITE_PATH !== '' ? env.SQLITE_PATH : DEFAULT_SQLITE_PATH);
}
