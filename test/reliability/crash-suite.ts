// The crash suite every platform's crash test runs (nothing acknowledged is lost): the platform's crash run on a
// SQLite file, then on a Redis with an append-only file (a private server: the shared one keeps nothing on disk).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import type { CrashFigures, CrashOptions } from '../fakes/crash.ts';
import { startPrivateRedis, type PrivateRedis } from '../fakes/redis-server.ts';
import { describeRedis } from '../fakes/redis.ts';

export interface CrashSuite {
  /** As the titles and the figures' line name it: Slack, Feishu. */
  platform: string;
  /** What the platform sends: command, message. */
  unit: string;
  run: (o: CrashOptions) => Promise<CrashFigures>;
  /** Acknowledged before the kill: at least the first (killed mid-burst, not before it), fewer than the second. */
  acknowledged: [number, number];
}

/** Prints the run's figures, then holds it to them: every acknowledged one recorded, none twice, killed mid-burst. */
function check(s: CrashSuite, where: string, f: CrashFigures): void {
  console.log(`crash (${where}, ${s.platform}): sent ${f.sent}, acknowledged ${f.acknowledged}, recorded ${f.recorded} of them, `
    + `duplicated ${f.duplicated.length}, in flight at the kill and recorded ${f.inFlightRecorded}; pending at restart ${f.pendingAtRestart}`);
  expect(f.acknowledged).toBeGreaterThanOrEqual(s.acknowledged[0]);
  expect(f.acknowledged).toBeLessThan(s.acknowledged[1]);
  expect(f.missing).toEqual([]);
  expect(f.duplicated).toEqual([]);
}

export function crashSuite(s: CrashSuite): void {
  const dir = mkdtempSync(join(tmpdir(), `pboc-crash-${s.platform.toLowerCase()}-`));
  const servers: PrivateRedis[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((r) => r.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe(`SIGKILL mid-burst, then a restart (${s.platform})`, () => {
    it(`SQLite: every acknowledged ${s.unit} is recorded exactly once`, async () => {
      const path = join(dir, 'crash.db');
      check(s, 'SQLite', await s.run({ storeEnv: { SQLITE_PATH: path }, openStore: async () => createSqliteStore(path) }));
    }, 300_000);
  });

  describeRedis(`SIGKILL mid-burst, then a restart (${s.platform}, Redis with AOF)`, () => {
    it(`Redis: every acknowledged ${s.unit} is recorded exactly once`, async () => {
      const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
      servers.push(redis);
      check(s, 'Redis AOF', await s.run({ storeEnv: { REDIS_URL: redis.url }, openStore: () => createRedisStore(redis.url) }));
    }, 300_000);
  });
}
