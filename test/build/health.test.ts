// /livez and /readyz on the compiled bot's one HTTP server: what an orchestrator's probes see.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeDingtalk } from '../fakes/dingtalk-api.ts';
import { FakeFeishuApi } from '../fakes/feishu-api.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { APP_TOKEN, BOT_TOKEN } from '../fakes/slack-harness.ts';
import { startPrivateRedis } from '../fakes/redis-server.ts';
import { startBot, type RunningBot } from '../fakes/running-bot.ts';
import { FakeWecomServer } from '../fakes/wecom-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Ready, then `drop` the platform's connection: /readyz 503 naming it while /livez still answers; once the SDK has
 * `reconnected`, 200 again. The bot is stopped, then the fake closed (`close`).
 */
async function readinessFollows(bot: RunningBot, platform: string, drop: () => void, reconnected: () => Promise<void>, close: () => Promise<void>): Promise<void> {
  try {
    expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });
    drop();
    expect(await bot.until('/readyz', 503)).toEqual({ status: 503, body: { ready: false, notReady: { [platform]: 'not connected' } } });
    expect((await bot.get('/livez')).status).toBe(200);
    await reconnected();
    expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });
  } finally {
    await bot.stop();
    await close();
  }
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
    // DingTalk closes the connection, and its gateway refuses the next three reconnects (the SDK tries each second).
    await readinessFollows(bot, 'dingtalk', () => {
      api.failNext(/\/v1\.0\/gateway\/connections\/open/, 503, 'ServiceUnavailable', 3);
      api.disconnect();
    }, () => api.whenConnected(2), () => api.close());
    expect(bot.stderr()).not.toContain(creds.clientSecret);
  }, 60_000);

  it('/readyz turns 503 naming wecom while its long connection is down, and 200 once the SDK has reconnected', async () => {
    const creds = { botId: 'aibAbCdEf0123456789', secret: 'SECRETwecombotsecret7f6e5d4c3b2a' };
    const server = await FakeWecomServer.start(creds.botId, creds.secret);
    const bot = await startBot({ SQLITE_PATH: join(dir, 'wecom.db'), STORE_CREATE: '1', WECOM_BOT_ID: creds.botId, WECOM_BOT_SECRET: creds.secret, WECOM_WS_URL: server.url });
    try {
      expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });
      await server.subscribed();
      // The network drops the connection, and WeCom cannot be reached for a while (the SDK keeps trying, backing off).
      server.refuseConnections = true;
      server.drop();
      const down = await bot.until('/readyz', 503);
      expect(down).toEqual({ status: 503, body: { ready: false, notReady: { wecom: 'not connected' } } });
      expect((await bot.get('/livez')).status).toBe(200);
      server.refuseConnections = false;
      await server.subscribed();
      expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });
      expect(server.subscribes.filter((x) => x.ok)).toHaveLength(2);
    } finally {
      await bot.stop();
      await server.close();
    }
    expect(bot.stderr()).not.toContain(creds.secret);
  }, 60_000);

  it('/readyz turns 503 naming slack while its Socket Mode connection is down, and 200 once the client has reconnected', async () => {
    const api = await FakeSlackApi.start({ bot: BOT_TOKEN, app: APP_TOKEN });
    const bot = await startBot({
      SQLITE_PATH: join(dir, 'slack.db'), STORE_CREATE: '1', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: api.apiUrl,
    });
    // The network drops the socket, and Slack refuses the first attempt to connect again (the client waits 5 s, then 10 s).
    await readinessFollows(bot, 'slack', () => api.drop(1), () => api.connections(2), () => api.close());
    expect(bot.stderr()).not.toContain(BOT_TOKEN);
    expect(bot.stderr()).not.toContain(APP_TOKEN);
  }, 60_000);

  it('/readyz turns 503 naming feishu while its long connection is down, and 200 once the SDK has reconnected', async () => {
    const creds = { appId: 'cli_a1b2c3d4e5f60718', appSecret: 'SECRETappsecret9f8e7d6c5b4a' };
    const api = await FakeFeishuApi.start(creds.appId, creds.appSecret);
    // Reconnect each second, for ever (Feishu's own answer says 120 s).
    api.clientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 1 };
    api.pongConfig = { ...api.clientConfig };
    const bot = await startBot({
      SQLITE_PATH: join(dir, 'feishu.db'), STORE_CREATE: '1',
      FEISHU_APP_ID: creds.appId, FEISHU_APP_SECRET: creds.appSecret, FEISHU_DOMAIN: api.url, FEISHU_MODE: 'ws',
    });
    // Feishu drops the connection, and its endpoint refuses the next three reconnects.
    await readinessFollows(bot, 'feishu', () => {
      api.failNext(/\/callback\/ws\/endpoint/, 503, 1, { times: 3 });
      api.disconnect();
    }, () => api.whenConnected(2), () => api.close());
    expect(bot.stderr()).not.toContain(creds.appSecret);
  }, 60_000);
});
