// Prometheus metrics on their own listener (METRICS_PORT), through the compiled console bot on a drill clock: the
// figures an operations team graphs (obligations by regime and kind, reminders sent and acknowledged, their lateness),
// with no incident text, incident id or user id in any label; and prom-client and pino never loaded by a run without them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../fakes/run-node.ts';
import { ROOT, startBot } from '../fakes/running-bot.ts';

const TRACE = fileURLToPath(new URL('../fakes/loaded-modules.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pboc-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TITLE_MARK = 'QzMarkTitle勒索';
const USER_MARK = 'uMarkUser7731';
const ALERT_TOKEN = 'alert-token-for-metrics-0123456789';

describe('metrics on their own listener (compiled console bot, drill clock)', { timeout: 120_000 }, () => {
  it('serves obligation and reminder figures as Prometheus text, with health on the public server and no incident text or user in any label', async () => {
    const bot = await startBot({ METRICS_PORT: '0', USER: USER_MARK, ALERTS_ALERTMANAGER_TOKEN: ALERT_TOKEN }, ['--drill', '--at', '2026-03-10T10:00+08:00']);
    try {
      const metricsPort = Number(/metrics: listening on [^:\s]+:(\d+)/.exec(bot.stderr())?.[1]);
      expect(metricsPort).toBeGreaterThan(0);
      expect(metricsPort).not.toBe(bot.port);
      expect(await bot.get('/livez')).toEqual({ status: 200, body: { live: true } });
      expect(await bot.until('/readyz', 200)).toEqual({ status: 200, body: { ready: true } });

      await bot.type(`/incident new ${TITLE_MARK} ${USER_MARK}`, /DRILL-20260310-01/);
      await bot.type('/incident set ransomwareHarm yes', /较大/);
      await bot.type('/drill advance 90m', /演练时间 2026-03-10 11:30/);
      await bot.type('/incident ack brief DRILL-20260310-01', /知悉/);
      const alert = await fetch(`http://127.0.0.1:${bot.port}/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${ALERT_TOKEN}`, 'content-type': 'application/json' }, body: readFileSync(new URL('../fixtures/alerts/alertmanager-firing.json', import.meta.url), 'utf8').replaceAll('2026-11-30T03:20:00.000Z', '2026-03-10T03:20:00.000Z') }); // on the drill's clock
      expect(alert.status).toBe(200);

      const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await r.text();
      // 较大 (ransomware that caused harm, Art. 9(4)) at 10:00: the brief report was due at 11:00, now 11:30 overdue;
      // the incident report is due in 24 h.
      expect(text).toContain('pboc_obligations_overdue{regime="pboc",kind="brief",drill="true"} 1');
      expect(text).toContain('pboc_obligations_pending{regime="pboc",kind="incident",drill="true"} 1');
      expect(text).toContain('pboc_incidents_open{drill="true"} 1');
      // T-30, T-10, T0 and the first escalation rung at 11:30 (each posted on time on the drill clock).
      expect(text).toContain('pboc_reminders_sent_total{regime="pboc",kind="brief",late="false"} 4');
      expect(text).toContain('pboc_reminder_lateness_seconds_count{regime="pboc",kind="brief"} 4');
      expect(text).toContain('pboc_reminders_acknowledged_total{regime="pboc",kind="brief"} 1');
      expect(text).toMatch(/pboc_ack_latency_seconds_count\{regime="pboc",kind="brief"\} 1/);
      expect(text).toMatch(/pboc_store_operation_seconds_count\{op="append",outcome="ok"\} \d+/);
      expect(text).toContain('pboc_inbox_depth 0');
      expect(text).toContain('pboc_inbound_events_total{platform="alerts",result="accepted"} 1');
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
      for (const secret of [TITLE_MARK, USER_MARK, 'QzMark', 'DRILL-20260310', 'console:']) expect(text).not.toContain(secret);

      // Never on the public server.
      expect((await fetch(`http://127.0.0.1:${bot.port}/metrics`)).status).toBe(404);
    } finally {
      await bot.stop();
    }
  });

  it('refuses METRICS_PORT equal to HTTP_PORT, or not a port, before starting anything', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, HTTP_PORT: '18080', METRICS_PORT: '18080' };
    delete env.NODE_OPTIONS;
    const same = await runNode(['bin/start.js', '--drill'], { cwd: ROOT, env, input: '' });
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('METRICS_PORT=18080 与 HTTP_PORT 相同');
    const bad = await runNode(['bin/start.js', '--drill'], { cwd: ROOT, env: { ...env, METRICS_PORT: 'ninety' }, input: '' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('METRICS_PORT=ninety 须为 0 至 65535 的端口号 / must be a port number 0-65535');
  });

  it('pboc-incident grade and a console run without METRICS_PORT or LOG_FORMAT load neither prom-client nor pino', async () => {
    const loaded = async (args: string[], input: string) => {
      const log = join(dir, `loaded-${args[0]!.replace(/\W/g, '')}.log`);
      writeFileSync(log, '');
      const env: NodeJS.ProcessEnv = { ...process.env, LOADED_MODULES_LOG: log, SQLITE_PATH: join(dir, 'bot.db'), STORE_CREATE: '1' };
      for (const k of ['NODE_OPTIONS', 'REDIS_URL', 'SLACK_BOT_TOKEN', 'FEISHU_APP_ID', 'METRICS_PORT', 'LOG_FORMAT', 'HTTP_PORT']) delete env[k];
      const r = await runNode(['--import', TRACE, ...args], { cwd: ROOT, env, input });
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(log, 'utf8').split('\n');
    };
    const facts = { networks: [{ name: '支付系统', keyNetwork: true, financialService: true, outage: { provinces: 2, failureRatePercent: 85, peakMinutes: 20, totalMinutes: 40 } }] };
    for (const modules of [await loaded(['bin/pboc-incident.js', 'grade'], JSON.stringify(facts)), await loaded(['bin/start.js'], '/incident help\n')]) {
      expect(modules.some((u) => u.includes('/node_modules/prom-client/'))).toBe(false);
      expect(modules.some((u) => u.includes('/node_modules/pino/'))).toBe(false);
    }
  });
});
