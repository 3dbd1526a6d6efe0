import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERT_NAME_MAX, LABEL_MAX, parseAlertPayload, parseRfc3339 } from '../../src/alerts/schemas.ts';
import type { AlertSource } from '../../src/alerts/signal.ts';
import { parseIso } from '../../src/calendar/time.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const START = parseIso('2026-11-30T11:20:00+08:00');
const NOW = parseIso('2026-11-30T14:30:00+08:00');
const parse = (source: AlertSource, body: unknown, nowMs = NOW) => parseAlertPayload(source, body, nowMs);
type Alert = Record<string, unknown>;
const alertsOf = (b: Record<string, unknown>) => b.alerts as Alert[];

describe('Alertmanager webhook v4', () => {
  it('reads a firing alert: fingerprint, labels, start; Go zero endsAt is no restoration', () => {
    const r = parse('alertmanager', fixture('alertmanager-firing'));
    expect(r).toMatchObject({ ok: true, signals: [{ source: 'alertmanager', alertId: '5c7c7a9b2a1f0e11', name: 'CoreBankingDown', status: 'firing', startsAtMs: START, endsAtMs: null, summary: '核心交易成功率低于 10%' }] });
  });

  it('reads a resolved alert with its end time', () => {
    const body = fixture('alertmanager-firing');
    const [a] = body.alerts as Array<Record<string, unknown>>;
    body.alerts = [{ ...a, status: 'resolved', endsAt: '2026-11-30T06:10:00Z' }];
    const r = parse('alertmanager', body);
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
    expect(parse('alertmanager', body)).toMatchObject({ ok: false, field });
  });
});

describe('Grafana alerting webhook', () => {
  it('reads the documented shape (orgId, values, dashboardURL...)', () => {
    const r = parse('grafana', fixture('grafana-firing'));
    expect(r).toMatchObject({ ok: true, signals: [{ source: 'grafana', alertId: 'c6eadffa33fcdf37', name: 'OnlineBankingLoginErrors', status: 'firing', summary: '网银登录失败', endsAtMs: null }] });
    expect(r.ok && r.signals[0]!.startsAtMs).toBe(START + 157);
  });

  it('refuses a Grafana payload without orgId, and an Alertmanager one posted to the Grafana route', () => {
    const body = fixture('grafana-firing');
    delete body.orgId;
    expect(parse('grafana', body)).toMatchObject({ ok: false, field: 'orgId' });
    expect(parse('grafana', fixture('alertmanager-firing'))).toMatchObject({ ok: false, field: 'orgId' });
  });

  it('refuses values that are not numbers', () => {
    const body = fixture('grafana-firing');
    (body.alerts as Array<Record<string, unknown>>)[0]!.values = { B: 'high' };
    expect(parse('grafana', body)).toMatchObject({ ok: false, field: 'alerts.0.values.B' });
  });
});

describe('Nightingale (夜莺) callback', () => {
  it('reads hash, rule_name, tags as labels, first_trigger_time in seconds', () => {
    const r = parse('nightingale', fixture('nightingale-firing'));
    expect(r).toMatchObject({ ok: true, signals: [{ source: 'nightingale', alertId: '8d3e5f0c2b7a41d9a6c1e2f3b4a5c6d7', name: '核心交易中断', status: 'firing', startsAtMs: START, endsAtMs: null }] });
    expect(r.ok && r.signals[0]!.labels).toMatchObject({ service: 'core-banking', severity: 'critical', ident: 'core-1', rulename: '核心交易中断' });
  });

  it('a recovered event ends at recover_time, else at last_eval_time', () => {
    const body = { ...fixture('nightingale-firing'), is_recovered: true, last_eval_time: 1796012400 };
    expect(parse('nightingale', body)).toMatchObject({ ok: true, signals: [{ status: 'resolved', endsAtMs: 1796012400_000 }] });
    expect(parse('nightingale', { ...body, recover_time: 1796012100 })).toMatchObject({ ok: true, signals: [{ endsAtMs: 1796012100_000 }] });
  });

  it.each([
    ['hash', { hash: '' }],
    ['first_trigger_time', { first_trigger_time: '2026-11-30 11:20' }],
    ['severity', { severity: 7 }],
    ['is_recovered', { is_recovered: 'yes' }],
    ['recover_time', { is_recovered: 1, recover_time: 1796000000 }],
  ])('names the field that does not parse: %s', (field, patch) => {
    expect(parse('nightingale', { ...fixture('nightingale-firing'), ...patch })).toMatchObject({ ok: false, field });
  });
});

describe('times that cannot lie: strict RFC 3339 with an offset, bounded by the bot\'s clock', () => {
  it.each([
    ['"1" (Date.parse reads 2001)', '1'],
    ['no offset (read in the process\'s zone)', '2026-11-30T11:20:00'],
    ['a six-digit year', '+275760-09-13T00:00:00Z'],
    ['a date alone', '2026-11-30'],
    ['a day out of range', '2026-02-30T00:00:00Z'],
    ['an hour out of range', '2026-11-30T24:00:00Z'],
    ['an offset out of range', '2026-11-30T11:20:00+24:00'],
    ['words', 'yesterday'],
  ])('refuses startsAt %s', (_what, startsAt) => {
    const body = fixture('alertmanager-firing');
    alertsOf(body)[0]!.startsAt = startsAt;
    expect(parse('alertmanager', body)).toMatchObject({ ok: false, field: 'alerts.0.startsAt', message: expect.stringContaining('RFC 3339') });
  });

  it('reads offsets and fractions exactly', () => {
    expect(parseRfc3339('2026-11-30T11:20:00+08:00')).toBe(START);
    expect(parseRfc3339('2026-11-30T03:20:00.157Z')).toBe(START + 157);
    expect(parseRfc3339('2026-11-30T03:20:00.157999999z')).toBe(START + 157);
    expect(parseRfc3339('2026-11-29T22:50:00-04:30')).toBe(START);
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('a start older than 90 days or later than 5 minutes ahead is refused; the bounds themselves are taken', () => {
    const at = (startsAt: number) => {
      const body = fixture('alertmanager-firing');
      alertsOf(body)[0]!.startsAt = new Date(startsAt).toISOString();
      return parse('alertmanager', body);
    };
    expect(at(NOW - 90 * 86_400_000)).toMatchObject({ ok: true });
    expect(at(NOW - 90 * 86_400_000 - 1000)).toMatchObject({ ok: false, field: 'alerts.0.startsAt', message: expect.stringContaining('90 days') });
    expect(at(NOW + 5 * 60_000)).toMatchObject({ ok: true });
    expect(at(NOW + 5 * 60_000 + 1000)).toMatchObject({ ok: false, field: 'alerts.0.startsAt', message: expect.stringContaining('5 minutes') });
    const body = fixture('alertmanager-firing');
    alertsOf(body)[0]!.startsAt = '2099-01-01T00:00:00+08:00';
    expect(parse('alertmanager', body)).toMatchObject({ ok: false, field: 'alerts.0.startsAt' });
  });

  it('a resolved alert ends within [start, now + 5 min]; a firing alert\'s future endsAt (the resend horizon) is ignored', () => {
    const body = fixture('alertmanager-firing');
    const [a] = alertsOf(body);
    body.alerts = [{ ...a, endsAt: '2099-01-01T00:00:00Z' }];
    expect(parse('alertmanager', body)).toMatchObject({ ok: true, signals: [{ status: 'firing', endsAtMs: null }] });
    body.alerts = [{ ...a, status: 'resolved', endsAt: '2026-11-30T14:40:00+08:00' }];
    expect(parse('alertmanager', body)).toMatchObject({ ok: false, field: 'alerts.0.endsAt', message: expect.stringContaining('5 minutes after now') });
    body.alerts = [{ ...a, status: 'resolved', endsAt: '2026-11-30T11:19:59+08:00' }];
    expect(parse('alertmanager', body)).toMatchObject({ ok: false, field: 'alerts.0.endsAt', message: 'ends before it starts' });
  });

  it('one bad alert is refused on its own, with its field and rule; the others go on', () => {
    const body = fixture('alertmanager-firing');
    const [a] = alertsOf(body);
    body.alerts = [{ ...a, startsAt: '1' }, { ...a, fingerprint: 'fp2' }, { ...a, fingerprint: 'fp3', startsAt: '2099-01-01T00:00:00+08:00' }];
    const r = parse('alertmanager', body);
    expect(r).toMatchObject({ ok: true, signals: [{ alertId: 'fp2' }] });
    expect(r.refused).toEqual([
      { field: 'alerts.0.startsAt', message: expect.stringContaining('RFC 3339') },
      { field: 'alerts.2.startsAt', message: expect.stringContaining('5 minutes after now') },
    ]);
  });

  it('Nightingale: epoch seconds as it documents them, with the same bounds; 0 is refused', () => {
    expect(parse('nightingale', { ...fixture('nightingale-firing'), first_trigger_time: 0 })).toMatchObject({ ok: false, field: 'first_trigger_time', message: expect.stringContaining('90 days') });
    expect(parse('nightingale', { ...fixture('nightingale-firing'), first_trigger_time: 4070908800 })).toMatchObject({ ok: false, field: 'first_trigger_time' });
    expect(parse('nightingale', { ...fixture('nightingale-firing'), is_recovered: true, recover_time: Math.floor(NOW / 1000) + 3600 })).toMatchObject({ ok: false, field: 'recover_time', message: expect.stringContaining('5 minutes after now') });
  });

  it('names and labels are cut to their documented lengths, and the signal says it was cut', () => {
    const body = fixture('alertmanager-firing');
    const [a] = alertsOf(body);
    const long = 'N'.repeat(500_000);
    body.alerts = [{ ...a, labels: { ...(a!.labels as Record<string, string>), alertname: long, extra: 'v'.repeat(1000) } }];
    const r = parse('alertmanager', body);
    if (!r.ok) throw new Error(r.message);
    const [s] = r.signals;
    expect([...s!.name]).toHaveLength(ALERT_NAME_MAX);
    expect(s!.name.endsWith('…')).toBe(true);
    expect([...s!.labels.extra!]).toHaveLength(LABEL_MAX);
    expect(s!.cut).toBe(true);
    expect(parse('alertmanager', fixture('alertmanager-firing'))).toMatchObject({ ok: true, signals: [expect.not.objectContaining({ cut: true })] });
  });
});
