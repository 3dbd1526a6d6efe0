import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { FakeFeishuApi } from '../../fakes/feishu-api.ts';
import { deliver, messageEvent } from '../../fakes/feishu-events.ts';
import { FakeWecomServer } from '../../fakes/wecom-server.ts';
import { CREDS as FEISHU } from '../feishu/harness.ts';
import { CREDS, readable } from './harness.ts';

// The spawned bot's clock is chosen (BOT_CLOCK_START), never the machine's: a Monday afternoon.
const CLOCK = '2026-11-30T14:00:00+08:00';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'pboc-wecom-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, what: string, stderr: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}:\n${stderr()}`);
}

let run = 0;
/** The environment of `npm start` with only WeCom configured (no Slack, no Feishu), on a fresh SQLite file. */
function wecomOnly(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, `bot-${++run}.db`), STORE_CREATE: '1', LOG_LEVEL: 'debug', BOT_CLOCK_START: CLOCK };
  for (const k of Object.keys(env)) if (/^(SLACK_|FEISHU_|DINGTALK_)/.test(k) || k === 'REDIS_URL') delete env[k];
  return Object.assign(env, extra);
}

describe('npm start with only WeCom variables (the composition root)', () => {
  it('runs the bot on WeCom, answers over the long connection, and shuts down on SIGTERM without leaking the secret', async () => {
    const server = await FakeWecomServer.start(CREDS.botId, CREDS.secret);
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      env: wecomOnly({ WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: CREDS.secret, WECOM_WS_URL: server.url }),
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    try {
      await server.subscribed();
      server.message({ text: '@事件机器人\u2005/事件 新建 企业微信侧事件', group: true, chatId: 'wrgroupMain' });
      await until(() => server.sent.some((m) => readable(m.markdown).includes('已新建事件 INC-20261130-01：企业微信侧事件')), 'the WeCom reply', () => stderr);
      expect(server.sent[0]).toMatchObject({ op: 'reply', chatId: 'wrgroupMain' });
      expect(stderr).toContain('wecom: long connection open');
    } finally {
      const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
      await server.close();
      expect(code).toBe(0);
    }
    expect(stderr).toContain('SIGTERM: shutting down');
    expect(stderr).not.toContain(CREDS.secret);
  }, 60_000);

  it('stops with a message naming the variables when WeCom refuses the credentials', async () => {
    const server = await FakeWecomServer.start(CREDS.botId, CREDS.secret);
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      env: wecomOnly({ WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: 'SECRETnotthesecret99', WECOM_WS_URL: server.url }),
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    await server.close();
    expect(code).toBe(1);
    expect(stderr).toContain("pboc-incident-bot: WeCom refused the robot's credentials (check WECOM_BOT_ID and WECOM_BOT_SECRET)");
    expect(stderr).not.toContain('SECRETnotthesecret99');
  }, 60_000);

  it('stops with a message naming the variable when a setting is malformed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      env: wecomOnly({ WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: CREDS.secret, WECOM_WS_URL: 'https://not-a-websocket.example' }),
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('pboc-incident-bot: WeCom settings: WECOM_WS_URL must be a ws:// or wss:// URL');
    expect(stderr).not.toContain(CREDS.secret);
  }, 60_000);

  it('runs beside Feishu in one process: each platform answers only its own incidents', async () => {
    const server = await FakeWecomServer.start(CREDS.botId, CREDS.secret);
    const feishu = await FakeFeishuApi.start(FEISHU.appId, FEISHU.appSecret);
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      env: wecomOnly({
        WECOM_BOT_ID: CREDS.botId, WECOM_BOT_SECRET: CREDS.secret, WECOM_WS_URL: server.url,
        FEISHU_APP_ID: FEISHU.appId, FEISHU_APP_SECRET: FEISHU.appSecret, FEISHU_ENCRYPT_KEY: FEISHU.encryptKey,
        FEISHU_VERIFICATION_TOKEN: FEISHU.token, FEISHU_DOMAIN: feishu.url, PORT: String(port),
      }),
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    try {
      await server.subscribed();
      server.message({ text: '/incident new 企业微信侧事件', userId: 'wangwu' });
      await until(() => server.sent.some((m) => readable(m.markdown).includes('企业微信侧事件')), 'the WeCom reply', () => stderr);
      for (let i = 0; ; i++) {
        const r = await deliver(`http://127.0.0.1:${port}/feishu/events`, messageEvent({ text: '/事件 新建 飞书侧事件', token: FEISHU.token }), { encryptKey: FEISHU.encryptKey }).catch(() => null);
        if (r && r.status === 200) break;
        if (i > 100) throw new Error(`Feishu receiver never came up:\n${stderr}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      await until(() => feishu.sent.some((m) => JSON.stringify(m).includes('飞书侧事件')), 'the Feishu card', () => stderr);
      expect(server.sent.some((m) => (m.markdown ?? '').includes('飞书侧事件'))).toBe(false);
      expect(feishu.sent.some((m) => JSON.stringify(m).includes('企业微信侧事件'))).toBe(false);
    } finally {
      const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
      await Promise.all([server.close(), feishu.close()]);
      expect(code).toBe(0);
    }
    for (const secret of [CREDS.secret, FEISHU.appSecret, FEISHU.encryptKey, FEISHU.token]) expect(stderr).not.toContain(secret);
  }, 60_000);
});
