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
  it('serves both platforms at once, routes each reply to its own, and shuts down on SIGTERM without leaking a secret', async () => {
    const slack = await FakeSlackApi.start({ bot: BOT_TOKEN });
    const feishu = await FakeFeishuApi.start(CREDS.appId, CREDS.appSecret);
    const [slackPort, feishuPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env, SQLITE_PATH: join(dir, 'bot.db'), STORE_CREATE: '1', LOG_LEVEL: 'debug', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00',
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(slackPort),
      FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: CREDS.appSecret, FEISHU_ENCRYPT_KEY: CREDS.encryptKey,
      FEISHU_VERIFICATION_TOKEN: CREDS.token, FEISHU_DOMAIN: feishu.url, FEISHU_PORT: String(feishuPort),
    };
    delete env.REDIS_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    try {
      const driver = new SlackDriver(slack, httpTransport(`http://127.0.0.1:${slackPort}/slack/events`, SIGNING_SECRET), async () => {});
      // Wait for the Slack receiver to listen, then send a signed slash command.
      for (let i = 0; ; i++) {
        const r = await driver.commandLine('new 网银登录失败').catch(() => null);
        if (r && r.status === 200) break;
        if (i > 600) throw new Error(`Slack receiver never came up:\n${stderr}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      await until(() => slack.messages.some((m) => JSON.stringify(m.blocks).includes('INC-') || m.text.includes('INC-')), 'the Slack incident card');

      for (let i = 0; ; i++) {
        const r = await deliver(`http://127.0.0.1:${feishuPort}/feishu/events`, messageEvent({ text: '/事件 新建 飞书侧事件', token: CREDS.token }), { encryptKey: CREDS.encryptKey }).catch(() => null);
        if (r && r.status === 200) break;
        if (i > 600) throw new Error(`Feishu receiver never came up:\n${stderr}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      await until(() => feishu.sent.some((m) => JSON.stringify(m).includes('飞书侧事件')), 'the Feishu card');
      // Each platform got only its own incident.
      expect(slack.messages.some((m) => JSON.stringify(m).includes('飞书侧事件'))).toBe(false);
    } finally {
      const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
      await Promise.all([slack.close(), feishu.close()]);
      expect(code).toBe(0);
    }
    expect(stderr).toContain('SIGTERM: shutting down');
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, CREDS.appSecret, CREDS.encryptKey, CREDS.token]) expect(stderr).not.toContain(secret);
  }, 120_000); // start-up under tsx on a loaded 2-core machine can take tens of seconds

  it('refuses to start when both would listen on the same port', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'port.db'), STORE_CREATE: '1', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: CREDS.appSecret, FEISHU_VERIFICATION_TOKEN: CREDS.token };
    delete env.FEISHU_PORT;
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('set FEISHU_PORT');
  });
});
