// The Zabbix media type script, run as Zabbix runs it (the script body of a function of `value`), with
// Zabbix's HttpRequest replaced by one that forwards to the bot; the bot must accept what it builds.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { proposalId, startHarness, TOKEN, type Harness } from './harness.ts';

const SCRIPT = readFileSync(new URL('../../../contrib/zabbix/pboc-incident-bot.js', import.meta.url), 'utf8');

/** Runs the script; returns what it returned and the one request it made. */
function runScript(params: Record<string, string>, status = 200) {
  const sent: Array<{ url: string; headers: string[]; body: string }> = [];
  class HttpRequest {
    headers: string[] = [];
    addHeader(h: string) { this.headers.push(h); }
    post(url: string, body: string) { sent.push({ url, headers: this.headers, body }); return '{}'; }
    getStatus() { return status; }
  }
  const logs: string[] = [];
  const fn = new Function('value', 'HttpRequest', 'Zabbix', SCRIPT) as (v: string, h: unknown, z: unknown) => string;
  const run = () => fn(JSON.stringify(params), HttpRequest, { log: (_: number, m: string) => logs.push(m) });
  return { run, sent, logs };
}

const PROBLEM = {
  url: 'http://bot.invalid/alerts/alertmanager', token: TOKEN, timezone: '+08:00', event_id: '4711', event_value: '1',
  event_name: '核心交易成功率过低', event_date: '2026.11.30', event_time: '11:20:00', recovery_date: '{EVENT.RECOVERY.DATE}', recovery_time: '{EVENT.RECOVERY.TIME}',
  severity: 'Disaster', host: 'core-1', tags: '[{"tag":"service","value":"core-banking"}]',
};

let h: Harness;
afterEach(async () => h?.close());

describe('Zabbix media type script', () => {
  it('posts an Alertmanager v4 problem the bot accepts and proposes; the recovery sets the restoration', async () => {
    h = await startHarness('2026-11-30T11:25:00+08:00');
    const problem = runScript(PROBLEM);
    expect(problem.run()).toBe('OK');
    const [req] = problem.sent;
    expect(req!.headers).toContain(`Authorization: Bearer ${TOKEN}`);
    const r = await h.post('alertmanager', req!.body, { authorization: `Bearer ${TOKEN}` });
    expect(await r.json()).toMatchObject({ accepted: 1 });
    expect(h.posts()[0]).toContain('开始时间：2026-11-30 11:20（来自 Alertmanager）');
    await h.click('open', proposalId(h));

    h.clock.set('2026-11-30T12:05:00+08:00');
    const recovery = runScript({ ...PROBLEM, event_value: '0', recovery_date: '2026.11.30', recovery_time: '12:01:30' });
    recovery.run();
    await h.post('alertmanager', recovery.sent[0]!.body);
    expect(h.posts().at(-1)).toContain('已恢复，恢复时间 2026-11-30 12:01');
  });

  it('fails loudly (Zabbix marks the alert failed and retries) when the bot does not answer 200', () => {
    const r = runScript(PROBLEM, 401);
    expect(r.run).toThrow(/pboc-incident-bot answered 401/);
    expect(runScript({ ...PROBLEM, timezone: 'CST' }).run).toThrow(/timezone must look like \+08:00/);
  });
});
