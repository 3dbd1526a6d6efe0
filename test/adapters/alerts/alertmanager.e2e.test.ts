// End to end with the real Alertmanager: alerts posted to its API, its webhooks delivered to the bot.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTicker } from '../../../src/reminders/ticker.ts';
import { parseIso } from '../../../src/calendar/time.ts';
import { describeAlertmanager, eventually, startAlertmanager, type RunningAlertmanager } from '../../fakes/alertmanager.ts';
import { proposalId, startHarness, TOKEN, type Harness } from './harness.ts';

// Monday 2026-11-23, a working day, in the past for Alertmanager's own (real) clock. core-banking peaks
// 09:00-11:30 and 13:30-17:00: an outage from 11:20 has 10 peak minutes by 11:30 and reaches Art. 9(1)'s
// 30 peak minutes (1 province, whole interruption) at 13:50 exactly.
const at = (hhmm: string) => parseIso(`2026-11-23T${hhmm}:00+08:00`);
const utc = (hhmm: string) => new Date(at(hhmm)).toISOString();
const LABELS = { alertname: 'CoreBankingDown', service: 'core-banking', severity: 'critical' };

function config(botUrl: string): string {
  return `
global:
  resolve_timeout: 1h
route:
  receiver: pboc-bot
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['creds="wrong"']
      receiver: pboc-bot-wrong-token
receivers:
  - name: pboc-bot
    webhook_configs:
      - url: ${botUrl}/alerts/alertmanager
        send_resolved: true
        http_config:
          authorization: { type: Bearer, credentials: ${TOKEN} }
  - name: pboc-bot-wrong-token
    webhook_configs:
      - url: ${botUrl}/alerts/alertmanager
        send_resolved: true
        http_config:
          authorization: { type: Bearer, credentials: not-the-token-0123456789 }
`;
}

describeAlertmanager('real Alertmanager -> bot', (bin) => {
  let h: Harness;
  let am: RunningAlertmanager;
  beforeAll(async () => {
    h = await startHarness('2026-11-23T11:25:00+08:00');
    am = await startAlertmanager(bin, config(h.url));
  }, 30_000);
  afterAll(async () => {
    await am?.stop();
    await h?.close();
  });

  it('wrong credentials: Alertmanager gets 401 and nothing is recorded', async () => {
    await am.postAlerts([{ labels: { ...LABELS, alertname: 'CoreBankingDownToo', creds: 'wrong' }, startsAt: utc('11:20'), endsAt: '2099-01-01T00:00:00Z' }]);
    await eventually(() => h.logs.some((l) => l.includes(': 401, wrong or missing credentials')), 'Alertmanager to deliver with the wrong token');
    expect(h.sender.sent).toEqual([]);
    expect(await h.store.listOpen()).toEqual([]);
    expect(h.http.service!.counters.accepted).toBe(0);
  }, 40_000);

  it('proposal card, incident opened by the button, 较大 at 13:50 exactly, resolved alert sets the restoration', async () => {
    await am.postAlerts([{ labels: LABELS, annotations: { summary: '核心交易成功率低于 10%' }, startsAt: utc('11:20'), endsAt: '2099-01-01T00:00:00Z' }]);
    await eventually(() => h.sender.sent.length > 0, 'the proposal card');
    expect(h.posts()[0]).toMatch(/监控告警（Alertmanager）：CoreBankingDown — 核心交易成功率低于 10%[\s\S]*网络：核心银行系统[\s\S]*开始时间：2026-11-23 11:20（来自 Alertmanager）[\s\S]*开启事件[\s\S]*忽略/);
    expect(await h.store.listOpen()).toEqual([]);

    h.clock.set('2026-11-23T11:26:00+08:00');
    const opened = await h.click('open', proposalId(h));
    expect(opened).toMatch(/开启事件 INC-20261123-01[\s\S]*一般（四级）/);
    expect(opened).toContain('若未恢复，将于 2026-11-23 13:50');
    expect(opened).toContain('中断开始时间：2026-11-23 11:20（来自 Alertmanager）');

    // The reminder ticker, as in production, on the test's clock.
    const ticker = createTicker({ store: h.store, config: h.config, sender: h.sender, now: h.clock.now });
    const before = h.sender.sent.length;
    h.clock.ms = at('13:50') - 1000;
    await ticker.tick();
    expect(h.sender.sent.length).toBe(before); // 13:49:59 is still 一般
    h.clock.ms = at('13:50');
    await ticker.tick();
    expect(h.sender.lines().slice(before)).toEqual([expect.stringMatching(/^11-23 13:50 .*INC-20261123-01.*较大/)]);
    expect(h.sender.sent.at(-1)!.text).toContain('2026-11-23 13:50');
    const raised = await h.http.bot.load('INC-20261123-01');
    expect(raised!.gradeHistory.at(-1)).toMatchObject({ to: '较大', effectiveAt: at('13:50') });
    expect(raised!.t0).toBe(at('13:50')); // the Art. 15 1 h and 24 h clocks start when 较大 was met

    // Restored at 14:10: Prometheus stops firing; Alertmanager sends the resolved notification.
    h.clock.set('2026-11-23T14:12:00+08:00');
    await am.postAlerts([{ labels: LABELS, startsAt: utc('11:20'), endsAt: utc('14:10') }]);
    await eventually(() => h.posts().some((p) => p.includes('已恢复，恢复时间 2026-11-23 14:10')), 'the resolved notification');
    const restored = await h.http.bot.load('INC-20261123-01');
    expect(restored!.values['networks.0.outage.restored']).toBe(at('14:10'));
    expect(restored!.valueBy['networks.0.outage.restored']).toMatchObject({ actor: 'alert:alertmanager' });
    expect(h.posts().at(-1)).toContain('告警 CoreBankingDown（来自 Alertmanager）：2026-11-23 11:20 — 2026-11-23 14:10');
    // Repeat deliveries of the same notification (Alertmanager retries, replicas) changed nothing more.
    expect(restored!.alerts).toHaveLength(1);
  }, 60_000);
});
