// LOG_FORMAT=json on the compiled build: every line on stderr is one JSON object (level, time, component, message)
// with secrets redacted, the SDKs' own log lines included; the console's conversation stays plain text on stdout.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeFeishuApi } from '../fakes/feishu-api.ts';
import { deliver, messageEvent } from '../fakes/feishu-events.ts';
import { runNode } from '../fakes/run-node.ts';
import { ROOT } from '../fakes/running-bot.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { httpTransport, SlackDriver } from '../fakes/slack-driver.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack-harness.ts';
import { CREDS } from '../adapters/feishu/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-jsonlog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ALERT_TOKEN = 'amtok-9f8e7d6c5b4a39281726354453627189';
const REDIS_PASSWORD = 'hunter2secretpw';

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'json', ...extra };
  for (const k of ['NODE_OPTIONS', 'REDIS_URL', 'SLACK_BOT_TOKEN', 'FEISHU_APP_ID', 'WECOM_BOT_ID', 'DINGTALK_CLIENT_ID', 'WEB_SECRET', 'WEB_PORT']) if (!(k in extra)) delete env[k];
  return env;
}

/** Every stderr line parsed; fails naming the first line that is not a JSON log record. */
function records(stderr: string): Array<{ level: string; time: string; component: string; message: string }> {
  return stderr.split('\n').filter((l) => l !== '').map((line) => {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`not a JSON line on stderr: ${line}`);
    }
    expect(r, line).toMatchObject({ level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), component: expect.any(String), message: expect.any(String) });
    return r as { level: string; time: string; component: string; message: string };
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('LOG_FORMAT=json (compiled build)', { timeout: 120_000 }, () => {
  it('the console bot with HTTP and metrics: JSON lines only on stderr, no secret, the conversation as text on stdout', async () => {
    const r = await runNode(['bin/start.js'], {
      cwd: ROOT,
      env: baseEnv({ SQLITE_PATH: join(dir, 'console.db'), STORE_CREATE: '1', HTTP_PORT: '0', METRICS_PORT: '0', ALERTS_ALERTMANAGER_TOKEN: ALERT_TOKEN, BOT_CLOCK_START: '2026-11-30T10:00:00+08:00' }),
      input: '/incident new 网银登录失败\n/incident status\n',
    });
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stderr);
    expect(recs.map((x) => x.component)).toEqual(expect.arrayContaining(['store', 'metrics', 'http', 'shutdown']));
    expect(recs.find((x) => x.component === 'http')?.message).toMatch(/^listening on 127\.0\.0\.1:\d+$/);
    expect(r.stderr).not.toContain(ALERT_TOKEN);
    expect(r.stdout).toContain('已新建事件 INC-20261130-01：网银登录失败');
    expect(r.stdout).not.toContain('"level"');
  });

  it('a fatal start-up error is one JSON line of level fatal, the Redis password redacted', async () => {
    const r = await runNode(['bin/start.js'], { cwd: ROOT, env: baseEnv({ REDIS_URL: `redis://admin:${REDIS_PASSWORD}@127.0.0.1:1` }), input: '' });
    expect(r.code).toBe(1);
    const recs = records(r.stderr);
    expect(recs.at(-1)).toMatchObject({ level: 'fatal', component: 'bot', message: expect.stringContaining('cannot open the store (REDIS_URL)') });
    expect(r.stderr).not.toContain(REDIS_PASSWORD);
  });

  it('an unhandled rejection is one fatal JSON record, redacted, and the process exits 1', async () => {
    const script = `const { startLogging } = await import(${JSON.stringify(join(ROOT, 'dist/adapters/ops/log.js'))});
await startLogging({ LOG_FORMAT: 'json' });
setTimeout(() => { Promise.reject(new Error('store lost redis://admin:${REDIS_PASSWORD}@db:6379')); }, 1);`;
    const r = await runNode(['--input-type=module', '-e', script], { cwd: ROOT, env: baseEnv({}) });
    expect(r.code).toBe(1);
    const recs = records(r.stderr);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ level: 'fatal', component: 'bot', message: expect.stringMatching(/^uncaught: Error: store lost redis:\/\/\[redacted\]@db:6379/) });
    expect(r.stderr).not.toContain(REDIS_PASSWORD);
  });

  it('an unknown LOG_FORMAT stops start-up naming it', async () => {
    const r = await runNode(['bin/start.js'], { cwd: ROOT, env: baseEnv({ LOG_FORMAT: 'xml' }), input: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LOG_FORMAT=xml 须为 human 或 json / must be human or json');
  });

  it('Slack (Bolt) and Feishu (Lark) at debug level: their SDK lines are JSON records of their component, no token or secret; each platform\'s payloads counted in the metrics', async () => {
    const slack = await FakeSlackApi.start({ bot: BOT_TOKEN });
    const feishu = await FakeFeishuApi.start(CREDS.appId, CREDS.appSecret);
    const port = await freePort(); // the one HTTP server: Slack's and Feishu's routes both
    const env = baseEnv({
      SQLITE_PATH: join(dir, 'platforms.db'), STORE_CREATE: '1', LOG_LEVEL: 'debug', METRICS_PORT: '0', BOT_CLOCK_START: '2026-11-30T10:00:00+08:00',
      SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, HTTP_PORT: String(port),
      FEISHU_APP_ID: CREDS.appId, FEISHU_APP_SECRET: CREDS.appSecret, FEISHU_ENCRYPT_KEY: CREDS.encryptKey,
      FEISHU_VERIFICATION_TOKEN: CREDS.token, FEISHU_DOMAIN: feishu.url,
    });
    const child = spawn(process.execPath, ['bin/start.js'], { cwd: ROOT, env });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    try {
      const driver = new SlackDriver(slack, httpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET), async () => {});
      for (let i = 0; ; i++) {
        const r = await driver.commandLine('new 网银登录失败').catch(() => null);
        if (r && r.status === 200) break;
        if (i > 600) throw new Error(`Slack receiver never came up:\n${stderr}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      for (let i = 0; ; i++) {
        const r = await deliver(`http://127.0.0.1:${port}/feishu/events`, messageEvent({ text: '/事件 新建 飞书侧事件', token: CREDS.token }), { encryptKey: CREDS.encryptKey }).catch(() => null);
        if (r && r.status === 200) break;
        if (i > 600) throw new Error(`Feishu receiver never came up:\n${stderr}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      for (let i = 0; i < 600 && !feishu.sent.some((m) => JSON.stringify(m).includes('飞书侧事件')); i++) await new Promise((res) => setTimeout(res, 50));
      const metricsPort = /"component":"metrics","message":"listening on [^:\s]+:(\d+)/.exec(stderr)?.[1];
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(text).toMatch(/^pboc_inbound_events_total\{platform="slack",result="accepted"\} [1-9]/m);
      expect(text).toMatch(/^pboc_inbound_events_total\{platform="feishu",result="accepted"\} [1-9]/m);
      expect(text).toContain('pboc_incidents_open{drill="false"} 2');
      for (const s of ['网银登录失败', '飞书侧事件', 'INC-']) expect(text).not.toContain(s);
      // No label value is a chat, user or incident id.
      const values = [...text.matchAll(/\w+="([^"]*)"/g)].map((m) => m[1]!);
      expect(values.filter((v) => /^(ou_|oc_|U0|T0|C0|INC-)/.test(v))).toEqual([]);
    } finally {
      const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
      await Promise.all([slack.close(), feishu.close()]);
      expect(code).toBe(0);
    }
    const recs = records(stderr);
    // Lark's own debug lines ("[lark debug] ...") and Bolt's ("slack debug: ...") arrive as records of their platform.
    expect(recs.some((x) => x.component === 'feishu' && x.level === 'debug')).toBe(true);
    expect(recs.some((x) => x.component === 'slack' && x.level === 'debug')).toBe(true);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, CREDS.appSecret, CREDS.encryptKey, CREDS.token]) expect(stderr).not.toContain(secret);
    expect(stdout).toBe('');
  });
});
