import type { Store } from './types.ts';

export const DEFAULT_SQLITE_PATH = './data/pboc-incident.db';

/**
 * Redis when REDIS_URL is set (non-empty), else SQLite at SQLITE_PATH or ./data/pboc-incident.db.
 * Only the chosen implementation is loaded: a SQLite run never loads the Redis client, and the other way round.
 */
export async function openStore(env: { REDIS_URL?: string; SQLITE_PATH?: string }): Promise<Store> {
  if (env.REDIS_URL !== undefined && env.REDIS_URL !== '') return (await import('./redis.ts')).createRedisStore(env.REDIS_URL);
  const { createSqliteStore } = await import('./sqlite.ts');
  return createSqliteStore(env.SQLITE_PATH !== undefined && env.SQLITE_PATH !== '' ? env.SQLITE_PATH : DEFAULT_SQLITE_PATH);
}
