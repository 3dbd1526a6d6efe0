import { describe, expect, it } from 'vitest';
import { isoShanghai } from '../../../src/calendar/time.ts';
import { csrc } from '../../../src/regimes/csrc/regime.ts';
import { allObligations } from '../../../src/regimes/registry.ts';
import { at, regimeInput } from '../input.ts';

const firm = { regulators: ['csrc' as const] };

describe('CSRC: immediate phone report and the written 报告书', () => {
  it('the phone report is due 立即: pending for the first hour, overdue after it unless recorded', () => {
    const phone = (nowIso: string, reports = regimeInput().reports) => csrc.obligations(regimeInput({ profile: firm, nowMs: at(nowIso), reports })).find((o) => o.kind === 'phone')!;
    expect(phone('2026-11-30T11:00+08:00')).toMatchObject({ due: '立即', dueAtMs: null, status: 'pending', verified: true });
    expect(phone('2026-11-30T11:00+08:00').overdueAtMs).toBe(at('2026-11-30T11:00+08:00'));
    expect(phone('2026-11-30T11:00:01+08:00').status).toBe('overdue');
    expect(phone('2026-11-30T12:00+08:00', [{ regime: 'csrc', kind: 'phone', atMs: at('2026-11-30T10:20+08:00') }]).status).toBe('met');
  });

  it('the written report’s clock is unverified with no default: no due time, 未核实 naming regimes.csrc.writtenReportHours', () => {
    const w = csrc.obligations(regimeInput({ profile: firm })).find((o) => o.kind === 'written')!;
    expect(w).toMatchObject({ dueAtMs: null, status: 'pending', verified: false, unverified: [{ key: 'regimes.csrc.writtenReportHours', value: null }] });
    expect(w.basis!['zh-CN']).toContain('regimes.csrc.writtenReportHours');
  });

  it('set in the institution’s regimes: block, the written report runs that clock, still 未核实', () => {
    const input = regimeInput({ profile: firm, settings: { 'csrc.writtenReportHours': 24 }, nowMs: at('2026-12-01T10:00:01+08:00') });
    const w = csrc.obligations(input).find((o) => o.kind === 'written')!;
    expect(isoShanghai(w.dueAtMs!)).toBe('2026-12-01T10:00:00+08:00');
    expect(w).toMatchObject({ status: 'overdue', verified: false, unverified: [{ key: 'regimes.csrc.writtenReportHours', value: 24 }] });
  });

  it('only for firms that name csrc among their regulators', () => {
    expect(allObligations(regimeInput()).filter((o) => o.regime === 'csrc')).toEqual([]);
    expect(allObligations(regimeInput({ profile: firm })).filter((o) => o.regime === 'csrc').map((o) => o.kind)).toEqual(['phone', 'written']);
  });
});
