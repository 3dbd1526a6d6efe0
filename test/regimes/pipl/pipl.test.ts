import { describe, expect, it } from 'vitest';
import { pipl } from '../../../src/regimes/pipl/regime.ts';
import { at, regimeInput } from '../input.ts';

describe('PIPL Art. 57: remedy and notify at once', () => {
  it('a personal-information incident: remedy, notify the authority and the individuals, each 立即', () => {
    const o = pipl.obligations(regimeInput({ personalInfoIncident: true }));
    expect(o.map((x) => x.kind)).toEqual(['remedy', 'notify-authority', 'notify-individuals']);
    for (const x of o) expect(x).toMatchObject({ regime: 'pipl', due: '立即', dueAtMs: null, status: 'pending', verified: true });
    expect(o[0]!.article['zh-CN']).toBe('《中华人民共和国个人信息保护法》第五十七条');
    expect(o[1]!.recipient['zh-CN']).toBe('履行个人信息保护职责的部门');
  });

  it('the individuals are not notified where the measures avoid the harm', () => {
    expect(pipl.obligations(regimeInput({ personalInfoIncident: true, personalInfoHarmAvoided: true })).map((x) => x.kind)).toEqual(['remedy', 'notify-authority']);
  });

  it('overdue one hour after discovery unless recorded', () => {
    const later = regimeInput({ personalInfoIncident: true, nowMs: at('2026-11-30T11:00:01+08:00'), reports: [{ regime: 'pipl', kind: 'remedy', atMs: at('2026-11-30T10:30+08:00') }] });
    expect(pipl.obligations(later).map((x) => [x.kind, x.status])).toEqual([['remedy', 'met'], ['notify-authority', 'overdue'], ['notify-individuals', 'overdue']]);
  });

  it('nothing without a personal-information incident', () => {
    expect(pipl.obligations(regimeInput())).toEqual([]);
  });

  it('PBoC’s data facts (records leaked, or a possible leak) bring it in unless PIPL’s flag says otherwise', () => {
    expect(pipl.obligations(regimeInput({ facts: { data: { personalInfoRecords: 1_200_000 } } })).length).toBe(3);
    expect(pipl.obligations(regimeInput({ facts: { data: { personalInfoIncidentPossible: true } } })).length).toBe(3);
    expect(pipl.obligations(regimeInput({ facts: { data: { personalInfoRecords: 0 } } }))).toEqual([]);
    expect(pipl.obligations(regimeInput({ personalInfoIncident: false, facts: { data: { personalInfoRecords: 10 } } }))).toEqual([]);
  });
});
