// Nothing acknowledged is lost (Feishu): signed message events in flight from many chats, the bot killed with SIGKILL
// mid-burst, restarted. Every event Feishu got its 200 for is in the record exactly once; none is recorded twice. On a
// SQLite file and on a Redis with an append-only file (a private server: the shared one keeps nothing on disk).
// The run itself is test/fakes/feishu-crash.ts (bench/crash-feishu.ts reports the same run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { runFeishuCrash, type CrashFigures } from '../fakes/feishu-crash.ts';
import { startPrivateRedis, type PrivateRedis } from '../fakes/redis-server.ts';
import { describeRedis } from '../fakes/redis.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-crash-feishu-'));
const servers: PrivateRedis[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  rmSync(dir, { recursive: true, force: true });
});

function report(where: string, f: CrashFigures): void {
  console.log(`crash (${where}, Feishu): sent ${f.sent}, acknowledged ${f.acknowledged}, recorded ${f.recorded} of them, `
    + `duplicated ${f.duplicated.length}, in flight at the kill and recorded ${f.inFlightRecorded}; pending at restart ${f.pendingAtRestart}`);
}

describe('SIGKILL mid-burst, then a restart (Feishu)', () => {
  it('SQLite: every acknowledged message is recorded exactly once', async () => {
    const path = join(dir, 'crash.db');
    const f = await runFeishuCrash({ storeEnv: { SQLITE_PATH: path }, openStore: async () => createSqliteStore(path) });
    report('SQLite', f);
    expect(f.acknowledged).toBeGreaterThanOrEqual(70); // killed mid-burst, not before it
    expect(f.acknowledged).toBeLessThan(200);
    expect(f.missing).toEqual([]);
    expect(f.duplicated).toEqual([]);
  }, 300_000);
});

describeRedis('SIGKILL mid-burst, then a restart (Feishu, Redis with AOF)', () => {
  it('Redis: every acknowledged message is recorded exactly once', async () => {
    const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
    servers.push(redis);
    const f = await runFeishuCrash({ storeEnv: { REDIS_URL: redis.url }, openStore: () => createRedisStore(redis.url) });
    report('Redis AOF', f);
    expect(f.acknowledged).toBeGreaterThanOrEqual(70);
    expect(f.acknowledged).toBeLessThan(200);
    expect(f.missing).toEqual([]);
    expect(f.duplicated).toEqual([]);
  }, 300_000);
});
