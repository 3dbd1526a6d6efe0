import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseIso } from '../../../src/calendar/time.ts';
import { GRAFANA_HMAC, NG_PASSWORD, NG_USER, proposalId, startHarness, TOKEN, type Harness } from './harness.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/alerts/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const NOW = '2026-11-30T11:25:00+08:00';
const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
const sign = (body: string, ts?: string) => createHmac('sha256', GRAFANA_HMAC).update(ts ? `${ts}:${body}` : body).digest('hex');

let h: Harness;
afterEach(async () => h?.close());

async function nothingRecorded(): Promise<void> {
  expect(h.sender.sent).toEqual([]);
  expect(await h.store.listOpen()).toEqual([]);
  expect(h.http.service!.counters).toMatchObject({ accepted: 0, proposals: 0 });
}

describe('authentication before parsing', () => {
  it('Alertmanager: a wrong or missing bearer token is 401, nothing is recorded, and the token never reaches the log', async () => {
    h = await startHarness(NOW);
    for (const headers of [{ authorization: 'Bearer wrong-token-0123456789' }, {}, basic('x', TOKEN)]) {
      const r = await h.post('alertmanager', fixture('alertmanager-firing'), headers);

      expect(r.status).toBe(401);
    }
    // Not even parsed: garbage with wrong credentials is 401, not 400.
    expect((await h.post('alertmanager', '{not json', {})).status).toBe(401);
    await nothingRecorded();
    expect(h.logs.filter((l) => l.includes(': 401, wrong or missing credentials'))).toHaveLength(4);
    expect(h.logs.join('\n')).not.toContain(TOKEN);
    // The rejected requests claimed nothing: the same alert with the right token is processed, not a replay.
    expect(await (await h.post('alertmanager', fixture('alertmanager-firing'))).json()).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  it('Nightingale: basic auth; a wrong password is 401', async () => {
    h = await startHarness(NOW);
    expect((await h.post('nightingale', fixture('nightingale-firing'), basic(NG_USER, 'wrong-password-0123456789'))).status).toBe(401);
    await nothingRecorded();
    expect((await h.post('nightingale', fixture('nightingale-firing'), basic(NG_USER, NG_PASSWORD))).status).toBe(200);
    expect(h.posts()[0]).toContain('来自 夜莺 Nightingale');
  });

  it('Grafana: the HMAC-SHA256 signature of the body; wrong, missing or stale (timestamp header) signatures are 401', async () => {
    h = await startHarness(NOW, { ALERTS_GRAFANA_TIMESTAMP_HEADER: 'X-Grafana-Alerting-Timestamp' });
    const body = JSON.stringify(fixture('grafana-firing'));
    const ts = String(Math.floor(parseIso(NOW) / 1000));
    const stale = String(Math.floor(parseIso(NOW) / 1000) - 600);
    const tsH = 'x-grafana-alerting-timestamp';
    const attempts: Array<Record<string, string>> = [{}, { 'x-grafana-alerting-signature': sign(body) }, { 'x-grafana-alerting-signature': sign(`${body} `, ts), [tsH]: ts }, { 'x-grafana-alerting-signature': sign(body, stale), [tsH]: stale }];
    for (const headers of attempts) {
      expect((await h.post('grafana', body, headers)).status).toBe(401);
    }
    await nothingRecorded();
    const ok = await h.post('grafana', body, { 'x-grafana-alerting-signature': sign(body, ts), [tsH]: ts });
    expect(ok.status).toBe(200);
    expect(h.posts()[0]).toMatch(/来自 Grafana[\s\S]*网上银行/);
  });

  it('an unauthenticated 3 MB body is 401 before any body limit (413 only for a sender with the right credentials)', async () => {
    h = await startHarness(NOW);
    const big = JSON.stringify({ ...fixture('alertmanager-firing'), pad: 'x'.repeat(3 * 1024 * 1024) });
    expect((await h.post('alertmanager', big, {})).status).toBe(401);
    expect((await h.post('alertmanager', big, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await h.post('nightingale', big, basic(NG_USER, 'wrong-password-0123456789'))).status).toBe(401);
    expect((await h.post('grafana', big, {})).status).toBe(401); // no signature: refused before the body is read
    expect((await h.post('alertmanager', big)).status).toBe(413);
    await nothingRecorded();
  });

  it('a source without a secret has no route', async () => {
    h = await startHarness(NOW, { ALERTS_GRAFANA_HMAC_SECRET: '' });
    expect((await h.post('grafana', fixture('grafana-firing'))).status).toBe(404);
  });
});

describe('payloads', () => {
  it('400 names the field that does not parse, and nothing is recorded', async () => {
    h = await startHarness(NOW);
    const bad = fixture('alertmanager-firing');
    (bad.alerts as Array<Record<string, unknown>>)[0]!.startsAt = 'soon';
    const r = await h.post('alertmanager', bad);
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ field: 'alerts.0.startsAt' });
    expect(await (await h.post('alertmanager', '{"version":')).json()).toMatchObject({ field: '(body)' });
    const ng = await h.post('nightingale', { ...fixture('nightingale-firing'), hash: 42 }, basic(NG_USER, NG_PASSWORD));
    expect(await ng.json()).toMatchObject({ field: 'hash' });
    await nothingRecorded();
  });

  it('startsAt "1" and startsAt in 2099 are answered 400 with the field and the rule; nothing is recorded', async () => {
    h = await startHarness(NOW);
    for (const [startsAt, rule] of <Array<[string, string]>>[['1', 'RFC 3339'], ['2099-01-01T00:00:00+08:00', '5 minutes after now'], ['2026-11-30T11:20:00', 'RFC 3339'], ['+275760-09-13T00:00:00Z', 'RFC 3339']]) {
      const body = fixture('alertmanager-firing');
      (body.alerts as Array<Record<string, unknown>>)[0]!.startsAt = startsAt;
      const r = await h.post('alertmanager', body);
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ field: 'alerts.0.startsAt', message: expect.stringContaining(rule), refused: [{ field: 'alerts.0.startsAt' }] });
      expect(h.logs.at(-1)).toContain(`400 at alerts.0.startsAt: `);
      expect(h.logs.some((l) => l.includes('refused alerts.0.startsAt') && l.includes(rule))).toBe(true);
    }
    await nothingRecorded();
  });

  it('one bad alert in a notification is refused on its own; the others are recorded (200 listing the refusal)', async () => {
    h = await startHarness(NOW);
    const body = fixture('alertmanager-firing');
    const [a] = body.alerts as Array<Record<string, unknown>>;
    body.alerts = [{ ...a, startsAt: '1', fingerprint: 'bad1' }, a];
    const r = await h.post('alertmanager', body);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ accepted: 1, refused: [{ field: 'alerts.0.startsAt', message: expect.stringContaining('RFC 3339') }] });
    expect(h.posts()[0]).toContain('开始时间：2026-11-30 11:20（来自 Alertmanager）');
  });

  it('an unmatched alert is counted and logged, never a proposal or an incident', async () => {
    h = await startHarness(NOW);
    const body = fixture('alertmanager-firing');
    (body.alerts as Array<Record<string, unknown>>)[0]!.labels = { alertname: 'DiskFull', service: 'hr-portal' };
    expect(await (await h.post('alertmanager', body)).json()).toMatchObject({ accepted: 0, unmatched: 1 });
    expect(h.logs.some((l) => l.includes('unmatched') && l.includes('DiskFull'))).toBe(true);
    // Labels are logged within a bound, whatever the sender puts in them.
    const many = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`l${i}`, 'v'.repeat(200)]));
    (body.alerts as Array<Record<string, unknown>>)[0]!.labels = { alertname: 'DiskFull', ...many };
    const before = h.logs.join('\n').length;
    for (let i = 0; i < 3; i++) {
      (body.alerts as Array<Record<string, unknown>>)[0]!.fingerprint = `fp-many-${i}`;
      expect(await (await h.post('alertmanager', body)).json()).toMatchObject({ unmatched: 1 });
    }
    expect(h.logs.join('\n').length - before).toBeLessThan(3 * 1000);
    expect(h.logs.at(-1)).toMatch(/… \(\d+ characters\)$/);
    await nothingRecorded();
  });
});

describe('what an alert does', () => {
  it('proposes; a person opens the incident; a replay changes nothing; another source for the network is linked and listed', async () => {
    h = await startHarness(NOW);
    expect(await (await h.post('alertmanager', fixture('alertmanager-firing'))).json()).toMatchObject({ accepted: 1 });
    expect(h.posts()).toHaveLength(1);
    expect(h.posts()[0]).toMatch(/监控告警（Alertmanager）：CoreBankingDown[\s\S]*网络：核心银行系统[\s\S]*开始时间：2026-11-30 11:20（来自 Alertmanager）[\s\S]*1\. 开启事件\n {2}2\. 忽略/);
    expect(await h.store.listOpen()).toEqual([]); // a proposal is not an incident
    expect(await (await h.post('alertmanager', fixture('alertmanager-firing'))).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(h.posts()).toHaveLength(1);

    const id = proposalId(h);
    h.clock.set('2026-11-30T11:27:00+08:00');
    const opened = await h.click('open', id);
    expect(opened).toMatch(/已根据告警建议 AL-\w+ 开启事件 INC-20261130-01/);
    expect(opened).toContain('中断开始时间：2026-11-30 11:20（来自 Alertmanager）');
    // Already 一般 (Art. 10(1) at 11:50 changes nothing); 10 peak minutes before 11:30 and 20 after 13:30: Art. 9(1).
    expect(opened).toContain('若未恢复，将于 2026-11-30 13:50（2小时23分钟后）升为较大');
    expect(await h.click('open', id)).toContain('已处理过');
    expect(await h.store.listOpen()).toHaveLength(1);

    // Nightingale reports the same outage from 11:10: linked to the open incident, earliest start wins.
    const ng = { ...fixture('nightingale-firing'), first_trigger_time: 1796008200 };
    expect(await (await h.post('nightingale', ng, basic(NG_USER, NG_PASSWORD))).json()).toMatchObject({ accepted: 1 });
    const linked = h.posts().at(-1)!;
    expect(linked).toContain('INC-20261130-01：告警 核心交易中断（来自 夜莺 Nightingale）触发，中断开始 2026-11-30 11:10');
    expect(linked).toMatch(/告警 CoreBankingDown（来自 Alertmanager）：2026-11-30 11:20 — 仍在触发[\s\S]*告警 核心交易中断（来自 夜莺 Nightingale）：2026-11-30 11:10 — 仍在触发/);
    const s = await h.http.bot.load('INC-20261130-01');
    expect(s!.values['networks.0.outage.start']).toBe(parseIso('2026-11-30T11:10:00+08:00'));
  });

  it('ignore: no incident, and the decision is reported', async () => {
    h = await startHarness(NOW);
    await h.post('alertmanager', fixture('alertmanager-firing'));
    expect(await h.click('ignore', proposalId(h), 'test:bob')).toMatch(/已忽略告警建议 AL-\w+（CoreBankingDown），操作人 test:bob/);
    expect(await h.store.listOpen()).toEqual([]);
  });

  it('a person corrects a time from the source only with a reason; later alerts keep the correction and say so', async () => {
    h = await startHarness(NOW);
    await h.post('alertmanager', fixture('alertmanager-firing'));
    await h.say(`/incident alert open ${proposalId(h)}`); // the console's way to press the button
    expect(await h.say('/incident set 中断开始 11:05')).toContain('取自 Alertmanager。更正请说明原因');
    const corrected = await h.say('/incident set 中断开始 11:05 原因 客户投诉早于告警');
    expect(corrected).toContain('中断开始时间：2026-11-30 11:05（test:alice 更正，原因：客户投诉早于告警）');
    const ng = { ...fixture('nightingale-firing'), first_trigger_time: 1796008200 };
    await h.post('nightingale', ng, basic(NG_USER, NG_PASSWORD));
    expect(h.posts().at(-1)).toContain('夜莺 Nightingale 报告中断开始时间为 2026-11-30 11:10；保留人工更正值（test:alice，原因：客户投诉早于告警）');
    expect((await h.http.bot.load('INC-20261130-01'))!.values['networks.0.outage.start']).toBe(parseIso('2026-11-30T11:05:00+08:00'));
  });
});

describe('many alerts for an open incident', () => {
  it('300 distinct alerts in three notifications make at most 10 posts; the card summarises, the log keeps every one', async () => {
    h = await startHarness(NOW);
    await h.post('alertmanager', fixture('alertmanager-firing'));
    await h.click('open', proposalId(h));
    const before = h.sender.sent.length;
    const [a] = fixture('alertmanager-firing').alerts as Array<Record<string, unknown>>;
    for (let n = 0; n < 3; n++) {
      const body = fixture('alertmanager-firing');
      body.alerts = Array.from({ length: 100 }, (_, i) => ({
        ...a, fingerprint: `fp-${n}-${i}`, startsAt: `2026-11-30T03:${String(10 + (i % 10)).padStart(2, '0')}:00Z`,
        labels: { ...(a!.labels as Record<string, string>), alertname: `CoreCheck${i % 7}`, instance: `core-${n}-${i}` },
      }));
      expect(await (await h.post('alertmanager', body)).json()).toMatchObject({ accepted: 100, refused: [] });
    }
    const posts = h.posts().slice(before);
    expect(posts.length).toBeLessThanOrEqual(10);
    expect(posts[0]).toMatch(/INC-20261130-01：新关联告警 100 条：CoreCheck\d（触发 \d+，恢复 0）/);
    expect(posts[0]).toContain('最早开始 2026-11-30 11:10');
    const s = await h.http.bot.load('INC-20261130-01');
    expect(s!.alerts).toHaveLength(301);
    expect(s!.values['networks.0.outage.start']).toBe(parseIso('2026-11-30T11:10:00+08:00'));
    const status = await h.say('/incident status');
    expect(status).toMatch(/关联告警 301 次（CoreCheck\d（触发 \d+，恢复 0）[^）]*）.*另有 3 个告警名称/);
    expect(status).not.toContain('fp-2-99');
    expect(status.length).toBeLessThan(6000);
  });

  it('posts are held to a few a minute; what waits is said in the next post', async () => {
    h = await startHarness(NOW);
    await h.post('alertmanager', fixture('alertmanager-firing'));
    await h.click('open', proposalId(h));
    const before = h.sender.sent.length;
    const [a] = fixture('alertmanager-firing').alerts as Array<Record<string, unknown>>;
    const one = (i: number) => ({ ...fixture('alertmanager-firing'), alerts: [{ ...a, fingerprint: `fp-${i}`, labels: { ...(a!.labels as Record<string, string>), alertname: `Check${i}` } }] });
    for (let i = 0; i < 6; i++) await h.post('alertmanager', one(i));
    expect(h.posts().slice(before)).toHaveLength(3);
    expect(h.logs.filter((l) => l.includes('the post waits'))).toHaveLength(3);
    h.clock.advanceMinutes(1);
    await h.post('alertmanager', one(6));
    const last = h.posts().at(-1)!;
    expect(last).toContain('新关联告警 4 条');
    expect(last).toMatch(/Check3（触发 1，恢复 0）、Check4（触发 1，恢复 0）、Check5（触发 1，恢复 0）、Check6/);
  });

  it('a 500,000-character alert name is cut, and the card says so', async () => {
    h = await startHarness(NOW);
    const body = fixture('alertmanager-firing');
    const [a] = body.alerts as Array<Record<string, unknown>>;
    body.alerts = [{ ...a, labels: { ...(a!.labels as Record<string, string>), alertname: 'X'.repeat(500_000) } }];
    await h.post('alertmanager', body);
    const card = h.posts()[0]!;
    expect(card.length).toBeLessThan(2000);
    const opened = await h.click('open', proposalId(h));
    expect(opened).toContain('部分告警名称或标签超过 200 个字符，已截断显示');
    expect(opened).toContain(`${'X'.repeat(199)}…`);
  });
});

describe('a network a person adds to an open incident', () => {
  it('takes the alerts for that network from then on, however recently the bot last read the incident', async () => {
    h = await startHarness(NOW);
    await h.post('alertmanager', fixture('alertmanager-firing'));
    await h.click('open', proposalId(h));
    expect(await h.say('/incident set networks.1.ref online-banking')).not.toContain('错误');
    const body = fixture('alertmanager-firing');
    const [a] = body.alerts as Array<Record<string, unknown>>;
    body.alerts = [{ ...a, fingerprint: 'ob1', labels: { alertname: 'OnlineBankingLoginErrors' } }];
    expect(await (await h.post('alertmanager', body)).json()).toMatchObject({ accepted: 1 });
    expect(h.posts().at(-1)).toContain('INC-20261130-01：告警 OnlineBankingLoginErrors（来自 Alertmanager）触发');
    const s = await h.http.bot.load('INC-20261130-01');
    expect(s!.alerts.map((x) => [x.alertId, x.network])).toEqual([['5c7c7a9b2a1f0e11', 0], ['ob1', 1]]);
  });
});
