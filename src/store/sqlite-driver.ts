// better-sqlite3, loaded with require rather than an ESM import: Node wraps a CommonJS module imported from ESM by
// lexing its source for named exports, which took about half of the driver's 14 ms load on every start.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
