// Nothing acknowledged is lost: signed slash commands in flight, the bot killed with SIGKILL mid-burst, restarted.
// Every command Slack got its 200 for is in the record exactly once; none is recorded twice. On a SQLite file and on
// a Redis with an append-only file (a private server: the shared one keeps nothing on disk). The run itself is
// test/fakes/slack-crash.ts (bench/crash-slack.ts reports the same run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { runSlackCrash, type CrashFigures } from '../fakes/slack-crash.ts';
import { startPrivateRedis, type PrivateRedis } from '../fakes/redis-server.ts';
import { describeRedis } from '../fakes/redis.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-crash-slack-'));
const servers: PrivateRedis[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  rmSync(dir, { recursive: true, force: true });
});

function check(where: string, f: CrashFigures): void {
  console.log(`crash (${where}, Slack): sent ${f.sent}, acknowledged ${f.acknowledged}, recorded ${f.recorded} of them, duplicated ${f.duplicated.length}, `
    + `in flight at the kill and recorded ${f.inFlightRecorded}; pending at restart ${f.pendingAtRestart}`);
  expect(f.acknowledged).toBeGreaterThanOrEqual(80); // killed mid-burst, not before it
  expect(f.acknowledged).toBeLessThan(240);
  expect(f.missing).toEqual([]);
  expect(f.duplicated).toEqual([]);
}

describe('SIGKILL mid-burst, then a restart (Slack)', () => {
  it('SQLite: every acknowledged command is recorded exactly once', async () => {
    const path = join(dir, 'crash.db');
    check('SQLite', await runSlackCrash({ storeEnv: { SQLITE_PATH: path }, openStore: async () => createSqliteStore(path) }));
  }, 300_000);
});

describeRedis('SIGKILL mid-burst, then a restart (Slack, Redis with AOF)', () => {
  it('Redis: every acknowledged command is recorded exactly once', async () => {
    const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
    servers.push(redis);
    check('Redis AOF', await runSlackCrash({ storeEnv: { REDIS_URL: redis.url }, openStore: () => createRedisStore(redis.url) }));
  }, 300_000);
});
