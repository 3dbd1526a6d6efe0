// npm start (the compiled dist/, bin/start.js) with HTTP_PORT: the console bot and the alert routes in one process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../fakes/alertmanager.ts';

const dir = mkdtempSync(join(tmpdir(), 'pboc-alerts-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TOKEN = 'main-token-0123456789abcdef';

describe('npm start with HTTP_PORT', () => {
  it('an alert posted to the running bot proposes on the console; `/incident alert open` opens the incident', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: join(dir, 'bot.db'), STORE_CREATE: '1', HTTP_PORT: '0', ALERTS_ALERTMANAGER_TOKEN: TOKEN, BOT_CLOCK_START: '2026-11-30T11:25+08:00' };
    for (const k of ['REDIS_URL', 'SLACK_BOT_TOKEN', 'FEISHU_APP_ID', 'INSTITUTION_CONFIG', 'NODE_OPTIONS']) delete env[k];
    const child = spawn(process.execPath, ['bin/start.js'], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    try {
      await eventually(() => /http: listening on 127\.0\.0\.1:\d+/.test(err), 'the HTTP server', 60_000);
      expect(err).toContain('alerts: on for alertmanager');
      const port = /listening on 127\.0\.0\.1:(\d+)/.exec(err)![1];
      const body = readFileSync(new URL('../../fixtures/alerts/alertmanager-firing.json', import.meta.url), 'utf8');
      const post = (auth: string) => fetch(`http://127.0.0.1:${port}/alerts/alertmanager`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body });
      expect((await post('Bearer wrong-token-0123456789')).status).toBe(401);
      const big = `{"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`;
      expect((await fetch(`http://127.0.0.1:${port}/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big })).status).toBe(401);
      const bad = JSON.parse(body) as { alerts: Array<Record<string, unknown>> };
      bad.alerts[0]!.startsAt = '2099-01-01T00:00:00+08:00';
      const refused = await fetch(`http://127.0.0.1:${port}/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(bad) });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ field: 'alerts.0.startsAt', message: expect.stringContaining('5 minutes after now') });
      const r = await post(`Bearer ${TOKEN}`);
      expect(await r.json()).toMatchObject({ accepted: 1 });
      await eventually(() => out.includes('/incident alert open AL-'), 'the proposal on the console');
      expect(out).toContain('开始时间：2026-11-30 11:20（来自 Alertmanager）');
      const id = /\/incident alert open (AL-[0-9A-F]{8})/.exec(out)![1];
      child.stdin.write(`/incident alert open ${id}\n`);
      await eventually(() => out.includes('开启事件 INC-'), 'the incident');
      expect(out).toContain(`已根据告警建议 ${id} 开启事件 INC-20261130-01`);
      expect(out).toContain('中断开始时间：2026-11-30 11:20（来自 Alertmanager）');
      expect(err).not.toContain(TOKEN);
    } finally {
      child.stdin.end();
      await new Promise((resolve) => { if (child.exitCode !== null) resolve(null); else { child.once('exit', resolve); child.kill('SIGTERM'); } });
    }
  }, 120_000);
});
