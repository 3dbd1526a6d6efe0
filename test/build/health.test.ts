// /livez and /readyz on the compiled bot's one HTTP server: what an orchestrator's probes see.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeDingtalk } from '../fakes/dingtalk-api.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { APP_TOKEN, BOT_TOKEN } from '../fakes/slack-harness.ts';
import { startPrivateRedis } from '../fakes/redis-server.ts';
import { startBot, type RunningBot } from '../fakes/running-bot.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** /readyz while a platform's connection drops and comes back: 503 naming it (/livez still 200), then 200 again. */
async function readyFollows(bot: RunningBot, platform: string, drop: () => void, back: () => Promise<void>): Promise<void> {
  expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });
  drop();
  const down = await bot.until('/readyz', 503);
  expect(down).toEqual({ status: 503, body: { ready: false, notReady: { [platform]: 'not connected' } } });
  expect((await bot.get('/livez')).status).toBe(200);
  await back();
  expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });
}

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

  it('/readyz turns 503 naming dingtalk while its Stream connection is down, and 200 once the SDK has reconnected', async () => {
    const creds = { clientId: 'dingfakeclient0001', clientSecret: 'SECRETdingtalkclientsecret0123456789' };
    const api = await FakeDingtalk.start(creds.clientId, creds.clientSecret);
    const bot = await startBot({
      SQLITE_PATH: join(dir, 'dingtalk.db'), STORE_CREATE: '1',
      DINGTALK_CLIENT_ID: creds.clientId, DINGTALK_CLIENT_SECRET: creds.clientSecret, DINGTALK_API_URL: api.url, DINGTALK_OAPI_URL: api.url,
    });
    try {
      // DingTalk closes the connection, and its gateway refuses the next three reconnects (the SDK tries each second).
      await readyFollows(bot, 'dingtalk', () => {
        api.failNext(/\/v1\.0\/gateway\/connections\/open/, 503, 'ServiceUnavailable', 3);
        api.disconnect();
      }, () => api.whenConnected(2));
    } finally {
      await bot.stop();
      await api.close();
    }
    expect(bot.stderr()).not.toContain(creds.clientSecret);
  }, 60_000);

  it('/readyz turns 503 naming slack while its Socket Mode connection is down, and 200 once the client has reconnected', async () => {
    const api = await FakeSlackApi.start({ bot: BOT_TOKEN, app: APP_TOKEN });
    const bot = await startBot({
      SQLITE_PATH: join(dir, 'slack.db'), STORE_CREATE: '1', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: api.apiUrl,
    });
    try {
      // The network drops the socket, and Slack refuses the first attempt to connect again (the client waits 5 s, then 10 s).
      await readyFollows(bot, 'slack', () => api.drop(1), () => api.connections(2));
    } finally {
      await bot.stop();
      await api.close();
    }
    expect(bot.stderr()).not.toContain(BOT_TOKEN);
    expect(bot.stderr()).not.toContain(APP_TOKEN);
  }, 60_000);
});
