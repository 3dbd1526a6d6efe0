import { describe, expect, it } from 'vitest';
import { isoShanghai } from '../../../src/calendar/time.ts';
import { cacGrade } from '../../../src/regimes/cac/grading.ts';
import { cac, withCacDesignation } from '../../../src/regimes/cac/regime.ts';
import { grade } from '../../../src/regimes/pboc-2025-4/grading.ts';
import { allObligations } from '../../../src/regimes/registry.ts';
import { at, regimeInput } from '../input.ts';

const initial = (input: Parameters<typeof cac.obligations>[0]) => cac.obligations(input).find((o) => o.kind === 'initial');

describe('CAC annex grades (《网络安全事件分级指南》): "以上" includes the figure', () => {
  it.each([
    ['personal information of 1,000,000 persons is 较大', { personalInfoPersons: 1_000_000 }, '较大'],
    ['999,999 persons is not reportable', { personalInfoPersons: 999_999 }, '一般'],
    ['10,000,000 persons is 重大', { personalInfoPersons: 10_000_000 }, '重大'],
    ['9,999,999 persons is 较大', { personalInfoPersons: 9_999_999 }, '较大'],
    ['100,000,000 persons is 特别重大', { personalInfoPersons: 100_000_000 }, '特别重大'],
    ['a direct loss of CNY 5,000,000 is 较大', { directLossYuan: 5_000_000 }, '较大'],
    ['CNY 4,999,999 is not reportable', { directLossYuan: 4_999_999 }, '一般'],
    ['CNY 20,000,000 is 重大', { directLossYuan: 20_000_000 }, '重大'],
    ['CNY 100,000,000 is 特别重大', { directLossYuan: 100_000_000 }, '特别重大'],
    ['50% of a province’s population is 特别重大', { provincePopulationSharePercent: 50 }, '特别重大'],
    ['10,000,000 persons affected in daily life is 特别重大', { populationAffectedPersons: 10_000_000 }, '特别重大'],
    ['more than 50% of a city is 重大; exactly 50% is not', { cityPopulationSharePercent: 50.1 }, '重大'],
    ['a CII wholly down 6 h is 特别重大', { ciiWholeOutageMinutes: 360 }, '特别重大'],
    ['a CII main function down 24 h is 特别重大', { ciiMainFunctionOutageMinutes: 1440 }, '特别重大'],
  ] as const)('%s', (_l, facts, grade) => {
    expect(cacGrade(facts).grade).toBe(grade);
  });

  it('the highest criterion wins, and a designation by the 网信部门 sets the grade', () => {
    expect(cacGrade({ personalInfoPersons: 1_000_000, directLossYuan: 20_000_000 }).grade).toBe('重大');
    expect(cacGrade({ personalInfoPersons: 10, designation: '较大' })).toMatchObject({ grade: '较大', reportable: true, designated: true });
    expect(cacGrade({ personalInfoPersons: 10_000_000, designation: '较大' }).grade).toBe('较大');
  });

  it('a 999,999-person leak gives no CAC obligation at all', () => {
    expect(cac.obligations(regimeInput({ cac: { personalInfoPersons: 999_999 } }))).toEqual([]);
  });
});

describe('CAC unverified CII-outage cells: configuration shown 未核实 with the key', () => {
  it('30 minutes whole outage is 较大 by the draft default, not verified, naming the key', () => {
    const g = cacGrade({ ciiWholeOutageMinutes: 30 });
    expect(g).toMatchObject({ grade: '较大', verified: false });
    expect(g.unverified).toEqual([{ key: 'regimes.cac.significantCiiWholeMinutes', value: 30 }]);
    expect(cacGrade({ ciiWholeOutageMinutes: 29 }).grade).toBe('一般');
    const o = initial(regimeInput({ cac: { ciiWholeOutageMinutes: 30 } }))!;
    expect(o.verified).toBe(false);
    expect(o.unverified).toEqual([{ key: 'regimes.cac.significantCiiWholeMinutes', value: 30 }]);
  });

  it('the institution’s regimes: block overrides the default', () => {
    const settings = { 'cac.significantCiiWholeMinutes': 20, 'cac.majorCiiMainMinutes': 300 };
    expect(cacGrade({ ciiWholeOutageMinutes: 20 }, settings).grade).toBe('较大');
    expect(cacGrade({ ciiWholeOutageMinutes: 20 }, settings).unverified).toEqual([{ key: 'regimes.cac.significantCiiWholeMinutes', value: 20 }]);
    expect(cacGrade({ ciiMainFunctionOutageMinutes: 300 }, settings).grade).toBe('重大');
    expect(cacGrade({ ciiMainFunctionOutageMinutes: 300 }).grade).toBe('较大');
  });

  it('the 较大 population cell has no known figure: not applied until the institution sets it', () => {
    expect(cacGrade({ populationAffectedPersons: 5_000_000 }).grade).toBe('一般');
    const g = cacGrade({ populationAffectedPersons: 5_000_000 }, { 'cac.significantPopulationPersons': 1_000_000 });
    expect(g).toMatchObject({ grade: '较大', verified: false, unverified: [{ key: 'regimes.cac.significantPopulationPersons', value: 1_000_000 }] });
  });

  it('a grade a verified criterion reaches is verified, even when an unverified one agrees', () => {
    expect(cacGrade({ personalInfoPersons: 1_000_000, ciiWholeOutageMinutes: 30 })).toMatchObject({ grade: '较大', verified: true, unverified: [] });
  });
});

describe('CAC initial report: 1 / 2 / 4 hours by operator type, from discovery or from becoming 较大', () => {
  const facts = { cac: { personalInfoPersons: 1_200_000 } };
  it.each([
    ['a CII operator: 1 h, to its 保护工作部门 and the 公安机关', { ciiOperator: true, ciiProtectionDepartment: '中国人民银行网络安全和信息化局' }, '2026-11-30T11:00:00+08:00', '中国人民银行网络安全和信息化局和公安机关'],
    ['a central organ: 2 h, to its own 网信工作机构', { centralOrgan: true }, '2026-11-30T12:00:00+08:00', '本单位网信工作机构'],
    ['any other operator: 4 h, to the provincial 网信部门', { province: '上海市' }, '2026-11-30T14:00:00+08:00', '上海市省级网信部门'],
    ['a CII operator that is also a central organ: the 1 h wins', { ciiOperator: true, centralOrgan: true }, '2026-11-30T11:00:00+08:00', '本单位关键信息基础设施保护工作部门和公安机关'],
  ] as const)('%s', (_l, profile, dueAt, recipient) => {
    const o = initial(regimeInput({ profile, ...facts }))!;
    expect(isoShanghai(o.dueAtMs!)).toBe(dueAt);
    expect(o.recipient['zh-CN']).toBe(recipient);
    expect(o).toMatchObject({ regime: 'cac', status: 'pending', verified: true, grade: '较大' });
    expect(o.article['zh-CN']).toBe('《国家网络安全事件报告管理办法》');
    expect(o.basis!['zh-CN']).toContain('自发现之时');
  });

  it('an event that became 较大 after discovery is clocked from that moment, and says so', () => {
    const o = initial(regimeInput({ profile: { ciiOperator: true }, cac: { personalInfoPersons: 1_000_000, reachedSignificantAtMs: at('2026-11-30T15:20+08:00') } }))!;
    expect(isoShanghai(o.dueAtMs!)).toBe('2026-11-30T16:20:00+08:00');
    expect(o.basis!['zh-CN']).toContain('自达到"较大"之时（2026-11-30 15:20）起算');
    expect(o.basis!.en).toContain('from the moment it became Significant (2026-11-30 15:20)');
  });

  it('overdue once the hour passes; met by a report recorded as { regime: cac, kind: initial }', () => {
    const input = regimeInput({ profile: { ciiOperator: true }, ...facts, nowMs: at('2026-11-30T11:01+08:00') });
    expect(initial(input)!.status).toBe('overdue');
    expect(initial({ ...input, reports: [{ regime: 'pboc', kind: 'brief', atMs: at('2026-11-30T10:30+08:00') }] })!.status).toBe('overdue');
    expect(initial({ ...input, reports: [{ regime: 'cac', kind: 'initial', atMs: at('2026-11-30T10:40+08:00') }] })).toMatchObject({ status: 'met', late: false });
  });
});

describe('CAC supplementary and summary reports', () => {
  it('cause or impact unknown: a supplementary report (补报), 及时, met by { cac, supplementary }', () => {
    const input = regimeInput({ cac: { directLossYuan: 6_000_000, causeKnown: false } });
    expect(cac.obligations(input).find((o) => o.kind === 'supplementary')).toMatchObject({ due: '及时', dueAtMs: null, status: 'pending' });
    expect(cac.obligations(regimeInput({ cac: { directLossYuan: 6_000_000, impactKnown: false } })).map((o) => o.kind)).toEqual(['initial', 'supplementary']);
    expect(cac.obligations(regimeInput({ cac: { directLossYuan: 6_000_000, causeKnown: true, impactKnown: true } })).map((o) => o.kind)).toEqual(['initial']);
    const met = cac.obligations({ ...input, reports: [{ regime: 'cac', kind: 'supplementary', atMs: at('2026-12-01T09:00+08:00') }] });
    expect(met.find((o) => o.kind === 'supplementary')!.status).toBe('met');
  });

  it('the summary is due 30 calendar days after handling ends, at 24:00 of that day', () => {
    const input = regimeInput({ cac: { personalInfoPersons: 2_000_000 }, resolvedAtMs: at('2026-12-20T18:00+08:00'), nowMs: at('2027-01-19T23:59+08:00') });
    const s = cac.obligations(input).find((o) => o.kind === 'summary')!;
    expect(s).toMatchObject({ dueDate: '2027-01-19', status: 'pending' });
    expect(isoShanghai(s.dueAtMs!)).toBe('2027-01-20T00:00:00+08:00');
    expect(cac.obligations({ ...input, nowMs: at('2027-01-20T00:01+08:00') }).find((o) => o.kind === 'summary')!.status).toBe('overdue');
  });
});

describe('registry', () => {
  it('CAC runs for every institution, beside PBoC', () => {
    expect(allObligations(regimeInput({ cac: { personalInfoPersons: 1_000_000 } })).map((o) => `${o.regime}:${o.kind}`)).toEqual(['cac:initial']);
  });
});

describe('a CAC designation also sets PBoC’s grade (PBoC Art. 7-10 item 5)', () => {
  it('adds it to PBoC’s facts as a 网信部门 designation, once', () => {
    const facts = withCacDesignation({ data: { personalInfoRecords: 10 } }, { designation: '重大' });
    expect(facts!.designations).toEqual([{ by: 'cac', grade: '重大' }]);
    expect(grade(facts!).grade).toBe('重大');
    expect(withCacDesignation(facts, { designation: '重大' })).toBe(facts);
    expect(withCacDesignation(undefined, {})).toBeUndefined();
  });
});
