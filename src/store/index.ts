export * from './types.ts';
export { createRedisStore } from './redis.ts';
export { createSqliteStore } from './sqlite.ts';
export { DEFAULT_SQLITE_PATH, openStore } from './open.ts';
