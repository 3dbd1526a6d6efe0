import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertPayload } from '../../src/alerts/schemas.ts';
import { parseIso } from '../../src/rules/time.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const START = parseIso('2026-11-30T11:20:00+08:00');

describe('Alertmanager webhook v4', () => {
  it('reads a firing alert: fingerprint, labels, start; Go zero endsAt is no restoration', () => {
    const r = parseAlertPayload('alertmanager', fixture('alertmanager-firing'));
    expect(r).toMatchObject({ ok: true, signals: [{ source: 'alertmanager', alertId: '5c7c7a9b2a1f0e11', name: 'CoreBankingDown', status: 'firing', startsAtMs: START, endsAtMs: null, summary: '核心交易成功率低于 10%' }] });
  });

  it('reads a resolved alert with its end time', () => {
    const body = fixture('alertmanager-firing');
    const [a] = body.alerts as Array<Record<string, unknown>>;
    body.alerts = [{ ...a, status: 'resolved', endsAt: '2026-11-30T06:10:00Z' }];
    const r = parseAlertPayload('alertmanager', body);
    expect(r.ok && r.signals[0]).toMatchObject({ status: 'resolved', endsAtMs: parseIso('2026-11-30T14:10:00+08:00') });
  });

  it.each([
    ['version', (b: Record<string, unknown>) => { b.version = '3'; }],
    ['alerts.0.fingerprint', (b: Record<string, unknown>) => { delete (b.alerts as Array<Record<string, unknown>>)[0]!.fingerprint; }],
    ['alerts.0.startsAt', (b: Record<string, unknown>) => { (b.alerts as Array<Record<string, unknown>>)[0]!.startsAt = 'yesterday'; }],
    ['alerts.0.endsAt', (b: Record<string, unknown>) => { Object.assign((b.alerts as Array<Record<string, unknown>>)[0]!, { status: 'resolved' }); }],
    ['alerts', (b: Record<string, unknown>) => { b.alerts = []; }],
  ])('names the field that does not parse: %s', (field, spoil) => {
    const body = fixture('alertmanager-firing');
    spoil(body);
    expect(parseAlertPayload('alertmanager', body)).toMatchObject({ ok: false, field });
  });
});

describe('Grafana alerting webhook', () => {
  it('reads the documented shape (orgId, values, dashboardURL...)', () => {
    const r = parseAlertPayload('grafana', fixture('grafana-firing'));
    expect(r).toMatchObject({ ok: true, signals: [{ source: 'grafana', alertId: 'c6eadffa33fcdf37', name: 'OnlineBankingLoginErrors', status: 'firing', summary: '网银登录失败', endsAtMs: null }] });
    expect(r.ok && r.signals[0]!.startsAtMs).toBe(START + 157);
  });

  it('refuses a Grafana payload without orgId, and an Alertmanager one posted to the Grafana route', () => {
    const body = fixture('grafana-firing');
    delete body.orgId;
    expect(parseAlertPayload('grafana', body)).toMatchObject({ ok: false, field: 'orgId' });
    expect(parseAlertPayload('grafana', fixture('alertmanager-firing'))).toMatchObject({ ok: false, field: 'orgId' });
  });

  it('refuses values that are not numbers', () => {
    const body = fixture('grafana-firing');
    (body.alerts as Array<Record<string, unknown>>)[0]!.values = { B: 'high' };
    expect(parseAlertPayload('grafana', body)).toMatchObject({ ok: false, field: 'alerts.0.values.B' });
  });
});

describe('Nightingale (夜莺) callback', () => {
  it('reads hash, rule_name, tags as labels, first_trigger_time in seconds', () => {
    const r = parseAlertPayload('nightingale', fixture('nightingale-firing'));
    expect(r).toMatchObject({ ok: true, signals: [{ source: 'nightingale', alertId: '8d3e5f0c2b7a41d9a6c1e2f3b4a5c6d7', name: '核心交易中断', status: 'firing', startsAtMs: START, endsAtMs: null }] });
    expect(r.ok && r.signals[0]!.labels).toMatchObject({ service: 'core-banking', severity: 'critical', ident: 'core-1', rulename: '核心交易中断' });
  });

  it('a recovered event ends at recover_time, else at last_eval_time', () => {
    const body = { ...fixture('nightingale-firing'), is_recovered: true, last_eval_time: 1796012400 };
    expect(parseAlertPayload('nightingale', body)).toMatchObject({ ok: true, signals: [{ status: 'resolved', endsAtMs: 1796012400_000 }] });
    expect(parseAlertPayload('nightingale', { ...body, recover_time: 1796012100 })).toMatchObject({ ok: true, signals: [{ endsAtMs: 1796012100_000 }] });
  });

  it.each([
    ['hash', { hash: '' }],
    ['first_trigger_time', { first_trigger_time: '2026-11-30 11:20' }],
    ['severity', { severity: 7 }],
    ['is_recovered', { is_recovered: 'yes' }],
    ['recover_time', { is_recovered: 1, recover_time: 1796000000 }],
  ])('names the field that does not parse: %s', (field, patch) => {
    expect(parseAlertPayload('nightingale', { ...fixture('nightingale-firing'), ...patch })).toMatchObject({ ok: false, field });
  });
});
