import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore, openStore } from '../../src/store/index.ts';
import { deleteKeys, describeRedis, uniquePrefix, url } from '../fakes/redis.ts';
import { storeContract } from './contract.ts';

const prefix = uniquePrefix('store');

describeRedis('redis store', () => {
  storeContract('redis', () => createRedisStore(url, { prefix }), () => deleteKeys(prefix));

  describe('redis store specifics', () => {
    afterAll(async () => {
      await deleteKeys(prefix);
    });

    it('incident keys carry no expiry; claims, sessions and done-markers (35 days) do', async () => {
      const s = await createRedisStore(url, { prefix });
      const raw = createClient({ url });
      raw.on('error', () => {});
      await raw.connect();
      try {
        await s.append('INC-1', 0, [{ type: 'opened' }], { id: 'INC-1', conversation: 'c', open: true, createdAtMs: 1 });
        await s.nextSequence('INC-20261129');
        await s.markDone('d');
        await s.setWake('INC-1', 5);
        await s.claim('k', 60_000, 0);
        await s.setSession('sess', { a: 1 }, 60_000, 0);
        const keys: string[] = [];
        for await (const batch of raw.scanIterator({ MATCH: `${prefix}*` })) keys.push(...batch);
        expect(keys.length).toBeGreaterThanOrEqual(10);
        for (const key of keys) {
          const ttl = await raw.pTTL(key);
          if (key === `${prefix}claim:k` || key === `${prefix}session:sess`) expect(ttl, key).toBeGreaterThan(0);
          else if (key === `${prefix}done:d`) expect(ttl, key).toBeGreaterThan(34 * 86_400_000);
          else expect(ttl, key).toBe(-1);
        }
      } finally {
        await s.close();
        await raw.close();
      }
    });

    it('openStore picks Redis when REDIS_URL is set', async () => {
      await expect(openStore({ REDIS_URL: url, SQLITE_PATH: '/nonexistent/never-used.db' }, { prefix: `${prefix}open:` })).rejects.toThrow(/no store at redis:\/\/127\.0\.0\.1:\d+\/? \(REDIS_URL\)/);
      const s = await openStore({ REDIS_URL: url, SQLITE_PATH: '/nonexistent/never-used.db' }, { prefix: `${prefix}open:`, mode: 'first-start' });
      expect(s.kind).toBe('redis');
      await s.close();
    });
  });
});

describe('redis store connection errors', () => {
  it('rejects with a clear message, no unhandled error event', async () => {
    await expect(createRedisStore('redis://127.0.0.1:1', { prefix })).rejects.toThrow(/Redis store: cannot connect to redis:\/\/127\.0\.0\.1:1/);
    await expect(createRedisStore('redis://:s3cret@127.0.0.1:1')).rejects.toThrow(/\*\*\*/);
    await expect(createRedisStore('redis://:s3cret@127.0.0.1:1')).rejects.not.toThrow(/s3cret/);
  });
});
