import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeDingtalk } from '../../fakes/dingtalk-api.ts';
import { robotMessage } from '../../fakes/dingtalk-events.ts';
import { CREDS } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-dingtalk-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bot as `npm start` runs it, its clock chosen (BOT_CLOCK_START), with only the given platform variables. */
function start(env: NodeJS.ProcessEnv) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK|FEISHU|DINGTALK|WECOM)_|^REDIS_URL$/.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env: { ...clean, SQLITE_PATH: join(dir, `bot-${Math.random()}.db`), STORE_CREATE: '1', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00', ...env } });
  const out = { stderr: '', stdout: '' };
  child.stderr.on('data', (b: Buffer) => { out.stderr += b.toString(); });
  child.stdout.on('data', (b: Buffer) => { out.stdout += b.toString(); });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, out, exit };
}

describe('npm start with only DingTalk variables (the composition root)', () => {
  it('runs the bot on DingTalk: connects over the stream, answers through the OpenAPI, stops on SIGTERM without leaking a secret', async () => {
    const api = await FakeDingtalk.start(CREDS.clientId, CREDS.clientSecret);
    const { child, out, exit } = start({ DINGTALK_CLIENT_ID: CREDS.clientId, DINGTALK_CLIENT_SECRET: CREDS.clientSecret, DINGTALK_API_URL: api.url, DINGTALK_OAPI_URL: api.url, LOG_LEVEL: 'debug' });
    try {
      await Promise.race([api.whenConnected(), exit.then(() => { throw new Error(`the bot exited:\n${out.stderr}`); })]);
      expect((await api.pushCallback(TOPIC_ROBOT, robotMessage({ text: '/事件 新建 钉钉侧事件' }))).code).toBe(200);
      for (let i = 0; i < 200 && api.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(api.sent[0]).toMatchObject({ op: 'group', target: 'cidGroupIncident==' });
      expect(String(api.sent[0]!.content.content)).toMatch(/已新建事件 INC-20261130-01：钉钉侧事件/);
    } finally {
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      await api.close();
    }
    expect(out.stderr).toContain('dingtalk: Stream connection open');
    expect(out.stderr).toContain('[dingtalk-stream debug]'); // the SDK's debug lines went through the redactor
    for (const secret of [CREDS.clientSecret, api.accessToken, ...api.tickets]) {
      expect(out.stderr).not.toContain(secret);
      expect(out.stdout).not.toContain(secret);
    }
  }, 90_000);

  it('stops with a readable message when DingTalk refuses the credentials, or a variable is malformed', async () => {
    const api = await FakeDingtalk.start(CREDS.clientId, CREDS.clientSecret);
    const bad = start({ DINGTALK_CLIENT_ID: CREDS.clientId, DINGTALK_CLIENT_SECRET: 'SECRETnotthesecret000000000', DINGTALK_API_URL: api.url });
    expect(await bad.exit).toBe(1);
    await api.close();
    expect(bad.out.stderr).toMatch(/pboc-incident-bot: DingTalk refused the app's credentials: check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET/);
    expect(bad.out.stderr).not.toContain('SECRETnotthesecret');
    const malformed = start({ DINGTALK_CLIENT_ID: CREDS.clientId, DINGTALK_API_URL: 'not a url' });
    expect(await malformed.exit).toBe(1);
    expect(malformed.out.stderr).toMatch(/DINGTALK_CLIENT_SECRET is required[\s\S]*DINGTALK_API_URL must be a URL/);
  }, 90_000);
});
