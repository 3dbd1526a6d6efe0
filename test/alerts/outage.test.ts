import { describe, expect, it } from 'vitest';
import { linkAlert, mergeIntervals } from '../../src/alerts/outage.ts';
import type { AlertRoute } from '../../src/alerts/routes.ts';
import type { AlertSignal } from '../../src/alerts/signal.ts';
import { assess } from '../../src/incident/assess.ts';
import type { IncidentEvent } from '../../src/incident/events.ts';
import { apply, fold, type IncidentState } from '../../src/incident/state.ts';
import { parseIso } from '../../src/calendar/time.ts';
import { botConfig } from '../fakes/chat.ts';

// Monday 2026-11-30, a working day; core-banking peaks 09:00-11:30 and 13:30-17:00 (example config).
const at = (hhmm: string) => parseIso(`2026-11-30T${hhmm}:00+08:00`);
const config = botConfig({ gradingRules: [] });
const route: AlertRoute = { match: { service: 'core-banking' }, matchRegex: {}, network: 'core-banking', outage: { provinces: 1, failureRatePercent: 100 } };

function signal(over: Partial<AlertSignal> = {}): AlertSignal {
  return { source: 'alertmanager', alertId: 'fp1', name: 'CoreBankingDown', status: 'firing', labels: { service: 'core-banking' }, summary: '', startsAtMs: at('11:20'), endsAtMs: null, ...over };
}

function incident(): IncidentState {
  return fold([{ type: 'created', id: 'INC-20261130-01', title: '核心中断', conversation: 'test:room', at: at('11:25'), actor: 'test:alice' }]);
}

function link(s: IncidentState, sig: AlertSignal, nowMs = at('11:25')): { state: IncidentState; events: IncidentEvent[] } {
  const { events } = linkAlert(s, sig, 0, 'core-banking', route, nowMs, config.assess);
  return { state: events.reduce(apply, s), events };
}

describe('alert occurrences -> outage times', () => {
  it('a firing alert sets the network, the outage start and "not restored", attributed to Alertmanager', () => {
    const { state, events } = link(incident(), signal());
    expect(state.values).toMatchObject({ 'networks.0.ref': 'core-banking', 'networks.0.outage.start': at('11:20'), 'networks.0.outage.restored': false, 'networks.0.disrupted': true });
    expect(new Set(events.map((e) => e.actor))).toEqual(new Set(['alert:alertmanager']));
    expect(state.valueBy['networks.0.outage.start']?.actor).toBe('alert:alertmanager');
  });

  it('a replay of the same occurrence in the same state changes nothing', () => {
    const { state } = link(incident(), signal());
    expect(linkAlert(state, signal(), 0, 'core-banking', route, at('11:40'), config.assess).events).toEqual([]);
  });

  it('the resolved alert sets the restoration; the live grade stops growing there', () => {
    let { state } = link(incident(), signal());
    state = link(state, signal({ status: 'resolved', endsAtMs: at('14:10') }), at('14:15')).state;
    expect(state.values['networks.0.outage.restored']).toBe(at('14:10'));
    // 10 peak minutes before 11:30 plus 13:30-14:10 = 50 peak minutes: Art. 9(1), 较大.
    const a = assess(state, at('18:00'), config.assess);
    expect(a.facts.networks?.[0]?.outage).toMatchObject({ peakMinutes: 50, totalMinutes: 170 });
    expect(a.result.grade).toBe('较大');
  });

  it('several alerts for one network: the earliest start and the latest restoration', () => {
    let { state } = link(incident(), signal());
    state = link(state, signal({ source: 'nightingale', alertId: 'h9', startsAtMs: at('11:10') })).state;
    expect(state.values['networks.0.outage.start']).toBe(at('11:10'));
    state = link(state, signal({ status: 'resolved', endsAtMs: at('12:00') })).state;
    expect(state.values['networks.0.outage.restored']).toBe(false); // Nightingale still fires
    state = link(state, signal({ source: 'nightingale', alertId: 'h9', startsAtMs: at('11:10'), status: 'resolved', endsAtMs: at('12:05') })).state;
    expect(state.values['networks.0.outage.restored']).toBe(at('12:05'));
    expect(state.alerts.map((a) => a.source)).toEqual(['alertmanager', 'nightingale']);
  });

  it('resolve then fire again is a new interval; the earlier one adds to the durations (Art. 31(4) reading)', () => {
    let { state } = link(incident(), signal({ startsAtMs: at('09:00') }));
    state = link(state, signal({ startsAtMs: at('09:00'), status: 'resolved', endsAtMs: at('09:20') })).state;
    state = link(state, signal({ startsAtMs: at('10:00') }), at('10:01')).state;
    expect(state.values).toMatchObject({ 'networks.0.outage.start': at('10:00'), 'networks.0.outage.restored': false, 'networks.0.outage.priorMinutes': 20, 'networks.0.outage.priorPeakMinutes': 20 });
    // 20 earlier peak minutes + 10 of this interval reach Art. 9(1)'s 30 min at 10:10, not at 10:30.
    const a = assess({ ...state, grade: '一般' }, at('10:01'), config.assess);
    expect(a.escalations[0]).toEqual({ network: 0, atMs: at('10:10'), grade: '较大' });
  });

  it('a time a person corrected with a reason is never overwritten by the source', () => {
    let { state } = link(incident(), signal());
    const correction: IncidentEvent = { type: 'fact-set', path: 'networks.0.outage.start', value: at('11:05'), reason: '用户投诉早于告警', at: at('11:30'), actor: 'test:alice' };
    state = apply(state, correction);
    const again = linkAlert(state, signal({ source: 'grafana', alertId: 'g1', startsAtMs: at('11:00') }), 0, 'core-banking', route, at('11:40'), config.assess);
    expect(again.events.some((e) => e.type === 'fact-set' && e.path === 'networks.0.outage.start')).toBe(false);
    expect(again.kept).toEqual([['networks.0.outage.start', at('11:00')]]);
  });

  it('merges overlapping intervals only', () => {
    const o = (s: string, e: string | null) => ({ source: 'x', alertId: s, name: '', network: 0, startsAt: at(s), endsAt: e ? at(e) : null, linkedAt: 0 });
    expect(mergeIntervals([o('10:00', '10:30'), o('10:20', '11:00'), o('12:00', null)])).toEqual([[at('10:00'), at('11:00')], [at('12:00'), Infinity]]);
  });
});

describe('what a person answered', () => {
  it('an outage start a person answered "unknown" is filled in by the alert (the monitoring knows it)', () => {
    const s = apply(incident(), { type: 'fact-unknown', path: 'networks.0.outage.start', at: at('11:24'), actor: 'test:alice' });
    expect(link(s, signal()).state.values['networks.0.outage.start']).toBe(at('11:20'));
  });

  it('a value a person cleared is not set again by the source', () => {
    let { state } = link(incident(), signal());
    state = apply(state, { type: 'fact-cleared', path: 'networks.0.outage.provinces', at: at('11:30'), actor: 'test:alice' });
    const again = link(state, signal({ source: 'grafana', alertId: 'g1' }), at('11:31')).state;
    expect(again.values['networks.0.outage.provinces']).toBeUndefined();
  });
});
