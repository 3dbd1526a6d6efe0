// /livez and /readyz on the compiled bot's one HTTP server: what an orchestrator's probes see.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../fakes/redis-server.ts';
import { startBot } from '../fakes/running-bot.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('health probes on the compiled console bot', () => {
  it('answers /livez and /readyz 200 without authentication or incident data (SQLite store)', async () => {
    const bot = await startBot({ SQLITE_PATH: join(dir, 'bot.db'), STORE_CREATE: '1' });
    try {
      expect(await bot.get('/livez')).toEqual({ status: 200, body: { live: true } });
      expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });
    } finally {
      await bot.stop();
    }
  });

  it('answers both in drill mode too', async () => {
    const bot = await startBot({}, ['--drill', '--at', '2026-12-04T09:00+08:00']);
    try {
      expect((await bot.get('/livez')).status).toBe(200);
      expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });
    } finally {
      await bot.stop();
    }
  });

  it('/readyz turns 503 naming the store once its Redis stops, while /livez still answers', async () => {
    const redis = await startPrivateRedis(mkdtempSync(join(dir, 'redis-')));
    const bot = await startBot({ REDIS_URL: redis.url, STORE_CREATE: '1' });
    try {
      expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });
      await redis.kill();
      const r = await bot.until('/readyz', 503);
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ ready: false, notReady: { store: expect.any(String) } });
      expect(Object.keys((r.body as { notReady: object }).notReady)).toEqual(['store']);
      expect((await bot.get('/livez')).status).toBe(200);
    } finally {
      await bot.stop();
      await redis.kill();
    }
  });
});
