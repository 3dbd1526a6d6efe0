// Start-up checks of a Redis: an evicting Redis is refused, one without persistence warned about, a managed
// one without CONFIG read through INFO, and the machine clock compared with Redis TIME. Private redis-servers on free
// ports for the configurations; the shared Redis's config is never changed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, expect, it } from 'vitest';
import { openLedgerStore } from '../../src/store/open.ts';
import { deleteKeys, describeRedis, uniquePrefix, url as sharedUrl } from '../fakes/redis.ts';
import { startPrivateRedis, type PrivateRedis } from '../fakes/redis-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-redis-checks-'));
const servers: PrivateRedis[] = [];
afterAll(async () => {
  await Promise.all(servers.map((r) => r.kill()));
  rmSync(dir, { recursive: true, force: true });
});

/** A private redis-server with these options (none of its own persistence); resolves to its URL once it is ready. */
async function redis(name: string, args: string[]): Promise<string> {
  const r = await startPrivateRedis(mkdtempSync(join(dir, `${name}-`)), { aof: false, args });
  servers.push(r);
  return r.url;
}

/** This process's clock minus the server's (TIME): under `npm run test:clock` only this process's clock is moved. */
async function offsetFrom(url: string): Promise<number> {
  const c = createClient({ url });
  await c.connect();
  const [sec, usec] = await c.time() as unknown as [string, string];
  await c.close();
  return Number(sec) * 1000 + Math.floor(Number(usec) / 1000) - Date.now();
}

/** Opens the store on `url` with this process's clock set right against that server's, unless told otherwise. */
const open = async (url: string, machineNowMs?: () => number) => {
  if (!machineNowMs) {
    const offset = await offsetFrom(url);
    machineNowMs = () => Date.now() + offset;
  }
  const logs: string[] = [];
  const opened = await openLedgerStore({ REDIS_URL: url }, { mode: 'first-start', log: (m) => void logs.push(m), machineNowMs, prefix: 'checks:' });
  await opened.store.close();
  return { logs, opened };
};

describeRedis('Redis start-up checks', () => {
  it('an evicting Redis (maxmemory-policy allkeys-lru) is refused, naming REDIS_URL and the policy; nothing is written', async () => {
    const url = await redis('lru', ['--save', '', '--appendonly', 'yes', '--maxmemory-policy', 'allkeys-lru', '--requirepass', 's3cret-pass']);
    const withPass = url.replace('redis://', 'redis://:s3cret-pass@');
    const err = await openLedgerStore({ REDIS_URL: withPass }, { mode: 'first-start' }).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/refusing the Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? \(REDIS_URL\): its maxmemory-policy is allkeys-lru.*noeviction/);
    expect(err?.message).not.toContain('s3cret-pass');
    const { createClient } = await import('redis');
    const raw = createClient({ url: withPass });
    await raw.connect();
    expect(await raw.dbSize()).toBe(0); // no identity was written
    await raw.close();
  }, 30_000);

  it('a Redis with AOF on passes without a warning', async () => {
    const url = await redis('aof', ['--save', '', '--appendonly', 'yes']);
    const { logs, opened } = await open(url);
    expect(opened.warnings).toEqual([]);
    expect(logs.join('\n')).not.toMatch(/WARNING/);
  }, 30_000);

  it('a Redis that keeps nothing on disk is warned about loudly, but used', async () => {
    const url = await redis('volatile', ['--save', '', '--appendonly', 'no']);
    const { logs, opened } = await open(url);
    expect(opened.identity.how).toBe('first-start');
    expect(logs.join('\n')).toMatch(/WARNING: Redis at redis:\/\/127\.0\.0\.1:\d+\/? \(REDIS_URL\) keeps nothing on disk \(appendonly no, no RDB save schedule\)/);
  }, 30_000);

  it('a Redis with an RDB save schedule passes without a persistence warning', async () => {
    const url = await redis('rdb', ['--save', '900 1', '--appendonly', 'no']);
    const { opened } = await open(url);
    expect(opened.warnings).toEqual([]);
  }, 30_000);

  it('a managed Redis without CONFIG is checked through INFO, and says so', async () => {
    const url = await redis('managed', ['--save', '', '--appendonly', 'yes', '--rename-command', 'CONFIG', '']);
    const { logs } = await open(url);
    expect(logs.join('\n')).toContain('does not allow CONFIG (a managed Redis?): checked its eviction policy and persistence through INFO instead');
    expect(logs.join('\n')).not.toMatch(/maxmemory-policy is|keeps nothing on disk/);
    const lru = await redis('managed-lru', ['--save', '', '--appendonly', 'yes', '--rename-command', 'CONFIG', '', '--maxmemory-policy', 'volatile-lru']);
    await expect(openLedgerStore({ REDIS_URL: lru }, { mode: 'first-start' })).rejects.toThrow(/maxmemory-policy is volatile-lru/);
  }, 30_000);

  it('a machine clock more than 30 s off Redis TIME is warned about (check NTP); within 30 s it is not', async () => {
    const prefix = uniquePrefix('skew');
    // Offsets from Redis's own clock, not this process's: under `npm run test:clock` this process's clock is moved
    // (libfaketime) while the shared Redis keeps the real one.
    const redisOffsetMs = await offsetFrom(sharedUrl);
    try {
      const run = async (offsetMs: number) => {
        const logs: string[] = [];
        const o = await openLedgerStore({ REDIS_URL: sharedUrl }, { mode: 'first-start', prefix, log: (m) => void logs.push(m), machineNowMs: () => Date.now() + redisOffsetMs + offsetMs });
        await o.store.close();
        return logs.join('\n');
      };
      expect(await run(-95_000)).toMatch(/this machine's clock is 9\d s behind the Redis server's .*check NTP on this machine/);
      expect(await run(3_600_000)).toMatch(/this machine's clock is 3\d{3} s ahead of the Redis server's/);
      expect(await run(0)).not.toMatch(/clock/);
    } finally {
      await deleteKeys(prefix);
    }
  }, 30_000);
});
