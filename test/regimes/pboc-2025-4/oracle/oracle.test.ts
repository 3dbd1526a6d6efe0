// The engine (grading, outage clock, assess, deadlines) against an independent minute-by-minute reading of
// Art. 6-17 and 31 (oracle.ts): hand-worked anchors, then random timelines that must agree on grade, T0 and
// every due time. Each property runs 200 random timelines (numRuns: 200) in CI; a pass takes seconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assess, pendingRaises, type AssessContext } from '../../../../src/incident/assess.ts';
import type { IncidentEvent } from '../../../../src/incident/events.ts';
import { apply, fold, type IncidentState } from '../../../../src/incident/state.ts';
import { PeakWindowSchema } from '../../../../src/regimes/pboc-2025-4/outage-clock.ts';
import { createCalendar } from '../../../../src/calendar/working-days.ts';
import { oracle, type OResult, type OScenario, type OStep } from './oracle.ts';

const calendar = createCalendar();
const ctx: AssessContext = {
  networks: [{
    id: 'core', name: '核心银行系统', protectionLevel: 4, keyNetwork: true, financialService: true,
    peakWindows: [PeakWindowSchema.parse({ start: '09:00', end: '11:30', days: 'workdays' }), PeakWindowSchema.parse({ start: '13:30', end: '17:00', days: 'workdays' })],
  }],
  rules: [],
  calendar,
};
const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

/** Drives the engine as the bot does: each typed step appends its events, then the raises the facts require. */
function engine(sc: OScenario): { s: IncidentState; result: OResult } {
  let s = fold([{ type: 'created', at: sc.createdAt, actor: 'u', id: 'X', title: 't', conversation: 'c' }]);
  const settle = (events: IncidentEvent[], nowMs: number) => {
    s = events.reduce(apply, s);
    s = pendingRaises(s, nowMs, ctx).reduce(apply, s);
  };
  settle([], sc.createdAt);
  for (const st of sc.steps) {
    const base = { at: st.at, actor: 'u' };
    const fact = (path: string, value: string | number | boolean): IncidentEvent => ({ ...base, type: 'fact-set', path, value });
    const ref = fact('networks.0.ref', 'core');
    const ev: IncidentEvent[] = [];
    switch (st.kind) {
      case 'outage': ev.push(ref, fact('networks.0.outage.start', st.start), fact('networks.0.outage.provinces', st.provinces), fact('networks.0.outage.failureRatePercent', st.rate)); break;
      case 'restored': ev.push(fact('networks.0.outage.restored', st.restoredAt)); break;
      case 'disrupted': ev.push(ref, fact('networks.0.disrupted', st.value)); break;
      case 'persons': ev.push(ref, { ...fact('networks.0.affectedNaturalPersons', st.count), ...(st.since !== undefined ? { since: st.since } : {}) } as IncidentEvent); break;
      case 'importantData': ev.push(fact('data.importantData', true)); break;
      case 'coreData': ev.push(fact('data.coreData', true)); break;
      case 'ransomware': ev.push(fact('ransomwareHarm', true)); break;
      case 'correctT0': if (s.t0 !== null) ev.push({ ...base, type: 'corrected', field: 't0', from: s.t0, to: st.to, reason: 'r' }); break;
      case 'milestone': ev.push({ ...base, type: 'milestone', text: 'm' }); break;
      case 'resolve': if (s.resolvedAt === null) ev.push({ ...base, type: 'resolved', resolvedAt: st.at }); break;
    }
    settle(ev, st.at);
  }
  settle([], sc.now); // the ticker's pass at `now`
  const a = assess(s, sc.now, ctx);
  const due = (k: string) => a.deadlines.deadlines.find((d) => d.kind === k)?.dueAtMs ?? null;
  const reportable = ['较大', '重大', '特别重大'].includes(a.grade);
  return {
    s,
    result: {
      grade: a.grade, t0: reportable ? s.t0 : null, majorAt: ['重大', '特别重大'].includes(a.grade) ? s.majorAt ?? s.t0 : null,
      brief: due('brief'), incident: due('incident'), progress: due('progress'), final: due('final'),
      immediate: a.deadlines.immediate.map((d) => d.dueAtMs).sort((x, y) => x - y),
    },
  };
}

const hm = (ms: number | null) => (ms === null ? null : new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' '));
const view = (r: OResult) => ({ ...r, t0: hm(r.t0), majorAt: hm(r.majorAt), brief: hm(r.brief), incident: hm(r.incident), progress: hm(r.progress), final: hm(r.final), immediate: r.immediate.map(hm) });

describe('oracle anchors, worked by hand', () => {
  it('key network down from 10:00 in 2 provinces at 90%, typed at 10:40: Art. 9(1) met 10:15, T0 10:15, brief due 11:15', () => {
    const sc: OScenario = { createdAt: at('2026-12-04T10:40:00+08:00'), steps: [{ at: at('2026-12-04T10:40:00+08:00'), kind: 'outage', start: at('2026-12-04T10:00:00+08:00'), provinces: 2, rate: 90 }], now: at('2026-12-04T10:40:00+08:00') };
    const o = view(oracle(sc, calendar));
    expect(o).toMatchObject({ grade: '较大', t0: '2026-12-04 10:15', brief: '2026-12-04 11:15', incident: '2026-12-05 10:15' });
    expect(view(engine(sc).result)).toEqual(o);
  });

  it('the same typed at 11:40: 重大 at 11:30 (90 peak minutes) is a raise from 较大 during handling: an immediate report; progress due 13:30', () => {
    const sc: OScenario = { createdAt: at('2026-12-04T11:40:00+08:00'), steps: [{ at: at('2026-12-04T11:40:00+08:00'), kind: 'outage', start: at('2026-12-04T10:00:00+08:00'), provinces: 2, rate: 90 }], now: at('2026-12-04T11:40:00+08:00') };
    const o = view(oracle(sc, calendar));
    expect(o).toMatchObject({ grade: '重大', t0: '2026-12-04 10:15', majorAt: '2026-12-04 11:30', brief: '2026-12-04 11:15', progress: '2026-12-04 13:30', immediate: ['2026-12-04 11:30'] });
    expect(view(engine(sc).result)).toEqual(o);
  });

  it('important data when the incident is opened: first grade 重大, the 1-hour brief, no immediate report', () => {
    const t = at('2026-12-04T09:00:00+08:00');
    const sc: OScenario = { createdAt: t, steps: [{ at: t, kind: 'importantData' }], now: t + 30 * MIN };
    const o = view(oracle(sc, calendar));
    expect(o).toMatchObject({ grade: '重大', t0: '2026-12-04 09:00', brief: '2026-12-04 10:00', progress: '2026-12-04 11:00', immediate: [] });
    expect(view(engine(sc).result)).toEqual(o);
  });

  it('20万 persons with the main function not disrupted stays 一般 (Art. 9(2) needs the disruption)', () => {
    const t = at('2026-12-04T09:00:00+08:00');
    const sc: OScenario = { createdAt: t, steps: [{ at: t, kind: 'disrupted', value: false }, { at: t + MIN, kind: 'persons', count: 200_000 }], now: t + 5 * MIN };
    expect(oracle(sc, calendar).grade).toBe('一般');
    expect(engine(sc).result.grade).toBe('一般');
  });

  it('an outage across the make-up Saturday 2026-10-10 counts peak minutes; on Sunday 10-11 it does not', () => {
    const sat: OScenario = { createdAt: at('2026-10-10T11:00:00+08:00'), steps: [{ at: at('2026-10-10T11:00:00+08:00'), kind: 'outage', start: at('2026-10-10T09:00:00+08:00'), provinces: 1, rate: 95 }], now: at('2026-10-10T11:00:00+08:00') };
    expect(view(oracle(sat, calendar))).toMatchObject({ grade: '较大', t0: '2026-10-10 09:30' });
    expect(view(engine(sat).result)).toEqual(view(oracle(sat, calendar)));
    const sun: OScenario = { ...sat, createdAt: sat.createdAt + 86_400_000, steps: [{ ...sat.steps[0]!, at: sat.createdAt + 86_400_000, start: at('2026-10-11T09:00:00+08:00') } as OStep], now: sat.now + 86_400_000 };
    expect(oracle(sun, calendar).grade).toBe('一般');
    expect(engine(sun).result.grade).toBe('一般');
  });
});

// Days around a holiday, a make-up working Saturday, an ordinary weekend and a provisional year.
const DAYS = ['2026-09-30', '2026-10-08', '2026-10-10', '2026-10-11', '2026-12-04', '2026-12-05', '2026-12-31', '2027-02-05'];
const stepArb = (outageStart: number) => fc.oneof(
  fc.record({ kind: fc.constant('outage' as const), provinces: fc.integer({ min: 1, max: 3 }), rate: fc.constantFrom(50, 70, 71, 90), startBack: fc.integer({ min: 0, max: 600 }) }).map((x) => ({ ...x, start: outageStart - x.startBack * MIN })),
  fc.record({ kind: fc.constant('restored' as const), frac: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('disrupted' as const), value: fc.boolean() }),
  fc.record({ kind: fc.constant('persons' as const), count: fc.constantFrom(50_000, 100_000, 200_000, 1_000_000, 10_000_000), sinceBack: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }) }),
  fc.constant({ kind: 'importantData' as const }),
  fc.constant({ kind: 'coreData' as const }),
  fc.constant({ kind: 'ransomware' as const }),
  fc.constant({ kind: 'milestone' as const }),
  fc.constant({ kind: 'resolve' as const }),
);

const scenarioArb = fc.record({
  day: fc.constantFrom(...DAYS),
  createdMinute: fc.integer({ min: 6 * 60, max: 20 * 60 }),
  gaps: fc.array(fc.integer({ min: 0, max: 240 }), { minLength: 1, maxLength: 6 }),
  raw: fc.array(stepArb(0), { minLength: 1, maxLength: 6 }),
  tail: fc.integer({ min: 0, max: 900 }),
  correct: fc.option(fc.integer({ min: -180, max: 180 }), { nil: undefined }),
}).map(({ day, createdMinute, gaps, raw, tail, correct }): OScenario => {
  const createdAt = Date.parse(`${day}T00:00:00+08:00`) + createdMinute * MIN;
  let t = createdAt;
  let outageStart: number | null = null;
  const steps: OStep[] = [];
  raw.forEach((r, i) => {
    t += (gaps[i % gaps.length] ?? 0) * MIN;
    if (r.kind === 'outage') {
      // The outage began before it was typed: facts entered late.
      outageStart = createdAt - ('startBack' in r ? r.startBack : 0) * MIN;
      steps.push({ at: t, kind: 'outage', start: outageStart, provinces: r.provinces, rate: r.rate });
    } else if (r.kind === 'restored') {
      if (outageStart === null) return;
      const span = Math.floor(((t - outageStart) / MIN) * r.frac);
      steps.push({ at: t, kind: 'restored', restoredAt: outageStart + span * MIN });
    } else if (r.kind === 'disrupted') steps.push({ at: t, kind: 'disrupted', value: r.value });
    else if (r.kind === 'persons') steps.push({ at: t, kind: 'persons', count: r.count, ...(r.sinceBack !== undefined ? { since: t - r.sinceBack * MIN } : {}) });
    else steps.push({ at: t, kind: r.kind });
  });
  // A person's correction of T0 comes last, either way, with a reason.
  if (correct !== undefined) steps.push({ at: t, kind: 'correctT0', to: createdAt + correct * MIN });
  return { createdAt, steps, now: t + tail * MIN };
});

// Peak edges: an outage that starts a few minutes either side of 09:00, 11:30, 13:30 or 17:00 (or midnight before a
// holiday or make-up day), typed late, restored near a threshold.
const edgeArb = fc.record({
  day: fc.constantFrom(...DAYS),
  edge: fc.constantFrom(9 * 60, 11 * 60 + 30, 13 * 60 + 30, 17 * 60, 24 * 60),
  startOffset: fc.integer({ min: -20, max: 20 }),
  provinces: fc.integer({ min: 1, max: 2 }),
  typedAfter: fc.integer({ min: 0, max: 400 }),
  restoredAfter: fc.option(fc.constantFrom(14, 15, 16, 29, 30, 31, 89, 90, 91), { nil: undefined }),
  tail: fc.integer({ min: 0, max: 300 }),
}).map(({ day, edge, startOffset, provinces, typedAfter, restoredAfter, tail }): OScenario => {
  const start = Date.parse(`${day}T00:00:00+08:00`) + (edge + startOffset) * MIN;
  const typed = start + typedAfter * MIN;
  const steps: OStep[] = [{ at: typed, kind: 'outage', start, provinces, rate: 90 }];
  if (restoredAfter !== undefined) steps.push({ at: typed + 5 * MIN, kind: 'restored', restoredAt: start + restoredAfter * MIN });
  return { createdAt: typed, steps, now: typed + (5 + tail) * MIN };
});

describe('engine and oracle agree on random timelines (200 timelines per property in CI)', () => {
  // Counts may carry `set … at <time>` (dated before they were typed); corrections of T0 come last.
  it('peak edges, make-up days and holidays, restorations at the thresholds (numRuns: 200)', () => {
    fc.assert(fc.property(edgeArb, (sc) => {
      expect(view(engine(sc).result)).toEqual(view(oracle(sc, calendar)));
    }), { numRuns: 200 });
  });

  it('grade, T0, when 重大 began, brief/incident/progress/post-incident due times and every immediate report (numRuns: 200)', () => {
    fc.assert(fc.property(scenarioArb, (sc) => {
      expect(view(engine(sc).result)).toEqual(view(oracle(sc, calendar)));
    }), { numRuns: 200 });
  });

  it('T0 never moves later on its own: the engine T0 is never after what the first facts gave (numRuns: 200)', () => {
    fc.assert(fc.property(scenarioArb.filter((sc) => !sc.steps.some((s) => s.kind === 'correctT0')), (sc) => {
      const { s } = engine(sc);
      const moves = s.clockMoves.filter((m) => m.clock === 't0');
      for (const m of moves) expect(m.to).toBeLessThan(m.from);
      if (s.t0 !== null) expect(s.t0).toBeLessThanOrEqual(Math.min(...s.gradeHistory.filter((g) => g.to !== '一般').map((g) => g.effectiveAt)));
    }), { numRuns: 200 });
  });
});
