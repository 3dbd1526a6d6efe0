import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeFeishuApi } from '../fakes/feishu-api.ts';
import { deliver, messageEvent } from '../fakes/feishu-events.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { httpTransport, SlackDriver } from '../fakes/slack-driver.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack-harness.ts';
import { CREDS } from './feishu/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('npm start with Slack and Feishu credentials (the composition root)', () => {
  it('serves both platforms on the one HTTP server at once, routes each reply to its own, and shuts down on SIGTERM without leaking a secret', async () => {
    const slack = await FakeSlackApi.start({ bot: BOT_TOKEN });
    const feishu = await FakeFeishuApi.start(CREDS.appId, CREDS.appSecret);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env, SQLITE_PATH: join(dir, 'bot.db'), STORE_CREATE: '1', LOG_LEVEL: 'debug', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00',
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, HTTP_PORT: String(port),
      FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: CREDS.appSecret, FEISHU_ENCRYPT_KEY: CREDS.encryptKey,
      FEISHU_VERIFICATION_TOKEN: CREDS.token, FEISHU_DOMAIN: feishu.url,
    };
    for (const k of ['REDIS_URL', 'PORT', 'FEISHU_PORT', 'WEB_PORT', 'HTTP_HOST', 'FEISHU_MODE', 'SLACK_APP_TOKEN']) delete env[k];
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    try {
      const driver = new SlackDriver(slack, httpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET), async () => {});
      // Wait for Slack's route on the one server, then send a signed slash command.
      for (let i = 0; ; i++) {
        const r = await driver.commandLine('new 网银登录失败').catch(() => null);
        if (r && r.status === 200) break;
        if (i > 600) throw new Error(`Slack's route never came up:\n${stderr}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      await until(() => slack.messages.some((m) => JSON.stringify(m.blocks).includes('INC-') || m.text.includes('INC-')), 'the Slack incident card');

      // Feishu's callback on the same port: 503 until Feishu has started (after Slack), then taken.
      for (let i = 0; ; i++) {
        const r = await deliver(`http://127.0.0.1:${port}/feishu/events`, messageEvent({ text: '/事件 新建 飞书侧事件', token: CREDS.token }), { encryptKey: CREDS.encryptKey });
        if (r.status === 200) break;
        expect(r.status).toBe(503);
        if (i > 600) throw new Error(`Feishu's route never came up:\n${stderr}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      await until(() => feishu.sent.some((m) => JSON.stringify(m).includes('飞书侧事件')), 'the Feishu card');
      // Each platform got only its own incident.
      expect(slack.messages.some((m) => JSON.stringify(m).includes('飞书侧事件'))).toBe(false);
      // The health routes on that port too; ready once both routes are mounted and the server listens.
      expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
      expect(stderr).toContain(`http: listening on 127.0.0.1:${port}`);
      expect(stderr).toContain(`slack: started (http://127.0.0.1:${port}/slack/events)`);
    } finally {
      const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
      await Promise.all([slack.close(), feishu.close()]);
      expect(code).toBe(0);
    }
    expect(stderr).toContain('SIGTERM: shutting down');
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, CREDS.appSecret, CREDS.encryptKey, CREDS.token]) expect(stderr).not.toContain(secret);
  }, 120_000); // start-up under tsx on a loaded 2-core machine can take tens of seconds

  it('PORT (an old name) naming another port than HTTP_PORT stops start-up in both languages', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'port.db'), STORE_CREATE: '1', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, HTTP_PORT: '18080', PORT: '13000' };
    for (const k of ['REDIS_URL', 'FEISHU_PORT', 'WEB_PORT', 'FEISHU_APP_ID', 'SLACK_APP_TOKEN']) delete env[k];
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('PORT=13000 与 HTTP_PORT=18080 不同');
    expect(stderr).toContain('PORT=13000 and HTTP_PORT=18080 differ');
    expect(stderr).toContain('set HTTP_PORT only');
    expect(stderr).not.toContain('http: listening');
  }, 60_000);
});

describe('the compiled build with Slack over HTTP and only the old PORT set', () => {
  it('serves /livez and /slack/events on that one port, says PORT is an old name, refuses an unsigned request 401, and a signed command reaches the bot', async () => {
    const slack = await FakeSlackApi.start({ bot: BOT_TOKEN });
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env, SQLITE_PATH: join(dir, 'old-port.db'), STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00',
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port),
    };
    for (const k of ['REDIS_URL', 'HTTP_PORT', 'HTTP_HOST', 'FEISHU_PORT', 'WEB_PORT', 'FEISHU_APP_ID', 'WECOM_BOT_ID', 'DINGTALK_CLIENT_ID', 'SLACK_APP_TOKEN', 'NODE_OPTIONS']) delete env[k];
    const child = spawn(process.execPath, ['bin/start.js'], { env });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    try {
      await until(() => stderr.includes('slack: started') || child.exitCode !== null, 'Slack to start');
      expect(stderr).toContain(`PORT is an old name of HTTP_PORT (Slack's receiver): serving everything on port ${port} (set HTTP_PORT instead)`);
      expect(stderr).toContain(`http: listening on 0.0.0.0:${port}`); // every interface, as Bolt bound PORT before
      expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(((await ready.json()) as { notReady?: Record<string, string> }).notReady?.slack).toBeUndefined(); // up: route mounted, server listening

      const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': 'v0=00' },
        body: 'command=%2Fincident&text=new+forged&team_id=T1&channel_id=C1&user_id=U1',
      });
      expect(unsigned.status).toBe(401);

      const driver = new SlackDriver(slack, httpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET), async () => {});
      expect((await driver.commandLine('new 旧端口名')).status).toBe(200);
      await until(() => slack.messages.some((m) => JSON.stringify(m).includes('旧端口名')), 'the Slack incident card');
      expect(slack.messages.some((m) => JSON.stringify(m).includes('forged'))).toBe(false);
    } finally {
      const code = await new Promise<number | null>((resolve) => { if (child.exitCode !== null) resolve(child.exitCode); else { child.once('exit', resolve); child.kill('SIGTERM'); } });
      await slack.close();
      expect(code).toBe(0);
    }
  }, 120_000);
});
