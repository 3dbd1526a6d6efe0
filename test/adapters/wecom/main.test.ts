import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeWecomServer } from '../../fakes/wecom-server.ts';
import { CREDS, readable } from './harness.ts';

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
  const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, `bot-${++run}.db`), LOG_LEVEL: 'debug' };
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
      await until(() => server.sent.some((m) => readable(m.markdown).includes('企业微信侧事件')), 'the WeCom reply', () => stderr);
      expect(server.sent[0]).toMatchObject({ op: 'reply', chatId: 'wrgroupMain' });
      expect(stderr).toContain('wecom: long connection open');
    } finally {
      const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
      await server.close();
      expect(code).toBe(0);
    }
    expect(stderr).toContain('SIGTERM: shutting down');
    expect(stderr).not.toContain(CREDS.secret);
  }, 40_000);

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
    expect(stderr).toContain("pboc-incident-bot: WeCom: WeCom refused the robot's credentials (check WECOM_BOT_ID and WECOM_BOT_SECRET)");
    expect(stderr).not.toContain('SECRETnotthesecret99');
  }, 40_000);

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
  }, 40_000);
});
